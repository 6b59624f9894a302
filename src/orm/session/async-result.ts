import { ArgumentError, InvalidRequestError, MultipleResultsFound, NoResultFound } from "../../shared/errors.ts";
import { UNIQUE_REQUIRED } from "../../core/engine/filtered-result.ts";
import type { FirstValue } from "../../core/engine/result.ts";
import { rowIdentity } from "../../core/engine/row-identity.ts";

/** Where an async result's rows come from: batches read when asked for (a cursor), or one in memory. */
export interface ResultBatches {
  /** The next batch, or `undefined` at the end. */
  next(): Promise<unknown[] | undefined>;
  /** Stops reading (closes the cursor); safe to call twice. */
  close(): Promise<void>;
}

/** How to read an async result's batches. */
export interface AsyncResultShape {
  readonly keys: readonly string[];
  /** Batches hold the values of the only column (the instances of `select(User)`), not rows. */
  readonly column: boolean;
  /** Read with SQLAlchemy's `yield_per`: `unique()` is refused and `partitions()` defaults to it. */
  readonly yieldPer?: number | undefined;
  /** Joined eager collections repeat parents over rows: reading needs `unique()` first. */
  readonly uniqueRequired?: boolean;
}

/** The batches of one statement, whatever is left of them, shared by a result and its `scalars()`. */
class BatchReader {
  readonly #source: ResultBatches;
  #items: unknown[] = [];
  #position = 0;
  #ended = false;
  #keep: ((item: unknown) => boolean) | undefined;

  constructor(source: ResultBatches) {
    this.#source = source;
  }

  /** Keeps only the first item of each key from now on (what is buffered included). */
  dropRepeats(keyOf: (item: unknown) => unknown): void {
    const seen = new Set<unknown>();
    this.#keep = (item) => {
      const key = keyOf(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    };
    this.#items = this.#items.slice(this.#position).filter(this.#keep);
    this.#position = 0;
  }

  /** The next `max` items (fewer at the end). */
  async take(max: number): Promise<unknown[]> {
    const out: unknown[] = [];
    while (out.length < max && (this.#position < this.#items.length || (await this.#fill()))) {
      const end = Math.min(this.#items.length, this.#position + max - out.length);
      for (let i = this.#position; i < end; i++) out.push(this.#items[i]);
      this.#position = end;
    }
    return out;
  }

  /** The items of the next batch (or what is left of the current one), or `undefined` at the end. */
  async nextBatch(): Promise<unknown[] | undefined> {
    if (this.#position >= this.#items.length && !(await this.#fill())) return undefined;
    const items = this.#position === 0 ? this.#items : this.#items.slice(this.#position);
    this.#items = [];
    this.#position = 0;
    return items;
  }

  async close(): Promise<void> {
    this.#ended = true;
    this.#items = [];
    this.#position = 0;
    await this.#source.close();
  }

  async #fill(): Promise<boolean> {
    while (!this.#ended) {
      const batch = await this.#source.next();
      if (batch === undefined) {
        this.#ended = true;
        return false;
      }
      const keep = this.#keep;
      this.#items = keep === undefined ? batch : batch.filter(keep);
      this.#position = 0;
      if (this.#items.length > 0) return true;
    }
    return false;
  }
}

/** What AsyncResult and AsyncScalarResult share: how items become what they hand out. */
abstract class AsyncBatchedResult<T> implements AsyncIterable<T>, AsyncDisposable {
  protected readonly reader: BatchReader;
  protected readonly shape: AsyncResultShape;
  #uniqued = false;

  constructor(reader: BatchReader, shape: AsyncResultShape) {
    this.reader = reader;
    this.shape = shape;
  }

  protected abstract out(item: unknown): T;
  protected abstract keyOf(item: unknown): unknown;

  /** All remaining rows. */
  async all(): Promise<T[]> {
    this.#requireUnique();
    const out: T[] = [];
    let batch: unknown[] | undefined;
    while ((batch = await this.reader.nextBatch()) !== undefined) for (const item of batch) out.push(this.out(item));
    return out;
  }

  /** The first row, or `null`; the rest is discarded and the cursor closed. */
  async first(): Promise<T | null> {
    const [item] = await this.reader.take(1);
    await this.reader.close();
    return item === undefined ? null : this.out(item);
  }

  /** Exactly one row, else `NoResultFound` / `MultipleResultsFound`; closes the cursor. */
  async one(): Promise<T> {
    const found = await this.oneOrNone();
    if (found === null) throw new NoResultFound("No row was found when one was required");
    return found;
  }

  /** One row or `null`; more than one raises `MultipleResultsFound`; closes the cursor. */
  async oneOrNone(): Promise<T | null> {
    this.#requireUnique();
    const items = await this.reader.take(2);
    await this.reader.close();
    if (items.length > 1) throw new MultipleResultsFound("Multiple rows were found when one or none was required");
    return items.length === 0 ? null : this.out(items[0]);
  }

  /** The next `size` rows (fewer at the end, `[]` once consumed), SQLAlchemy's `fetchmany()`. */
  async fetchmany(size: number): Promise<T[]> {
    this.#requireUnique();
    return (await this.reader.take(checkedSize(size))).map((item) => this.out(item));
  }

  /** The remaining rows in lists of `size` (default: the `yieldPer` batch), SQLAlchemy's `partitions()`. */
  async *partitions(size = this.shape.yieldPer ?? 100): AsyncGenerator<T[]> {
    checkedSize(size);
    try {
      for (let part = await this.fetchmany(size); part.length > 0; part = await this.fetchmany(size)) yield part;
    } finally {
      await this.reader.close();
    }
  }

  /**
   * Drops repeated rows (entities compared by identity), keeping the first of each. Refused on a
   * `yieldPer` result, as SQLAlchemy: a stream would have to remember every row it passed.
   */
  unique(): this {
    if (this.shape.yieldPer !== undefined) throw new InvalidRequestError("Can't use the ORM yield_per feature in conjunction with unique()");
    this.reader.dropRepeats((item) => this.keyOf(item));
    this.#uniqued = true;
    return this;
  }

  /** Stops reading: closes the cursor, freeing its connection (what leaving a `for await` early does). */
  close(): Promise<void> {
    return this.reader.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    this.#requireUnique();
    try {
      let batch: unknown[] | undefined;
      while ((batch = await this.reader.nextBatch()) !== undefined) {
        for (let i = 0; i < batch.length; i++) yield this.out(batch[i]);
        // Dropped before the next batch is read, so a long stream's passed rows can be collected.
        batch = undefined;
      }
    } finally {
      // Also on `break`: the cursor closes and the connection takes statements again.
      await this.reader.close();
    }
  }

  #requireUnique(): void {
    if (this.shape.uniqueRequired && !this.#uniqued) throw new InvalidRequestError(UNIQUE_REQUIRED);
  }
}

/**
 * The result of `session.stream(stmt)` (SQLAlchemy's `AsyncResult`): rows read from a cursor in
 * batches (`executionOptions({ yieldPer })`, else 1,000), each batch loaded into instances with
 * its eager loads when the iteration reaches it. Until the iteration ends, breaks or `close()` is
 * called, the session's connection is busy with it.
 *
 * ```ts
 * for await (const [user] of await session.stream(select(User))) console.log(user.name);
 * ```
 */
export class AsyncResult<R> extends AsyncBatchedResult<R> {
  constructor(source: ResultBatches, shape: AsyncResultShape) {
    super(new BatchReader(source), shape);
  }

  keys(): readonly string[] {
    return this.shape.keys;
  }

  async scalar(): Promise<FirstValue<R> | null> {
    const row = await this.first();
    return row === null ? null : this.#firstValue(row);
  }

  async scalarOne(): Promise<FirstValue<R>> {
    return this.#firstValue(await this.one());
  }

  async scalarOneOrNone(): Promise<FirstValue<R> | null> {
    const row = await this.oneOrNone();
    return row === null ? null : this.#firstValue(row);
  }

  /** The first column of each row, as an `AsyncScalarResult` reading the same batches. */
  scalars(): AsyncScalarResult<FirstValue<R>> {
    return new AsyncScalarResult(this.reader, this.shape);
  }

  protected out(item: unknown): R {
    return (this.shape.column ? [item] : item) as R;
  }

  protected keyOf(item: unknown): unknown {
    return this.shape.column ? item : rowIdentity(item);
  }

  #firstValue(row: R): FirstValue<R> {
    return (row as Record<string, unknown>)[this.shape.keys[0] as string] as FirstValue<R>;
  }
}

/** `session.streamScalars(stmt)` / `asyncResult.scalars()` (SQLAlchemy's `AsyncScalarResult`). */
export class AsyncScalarResult<T> extends AsyncBatchedResult<T> {
  /** @internal */
  constructor(reader: BatchReader, shape: AsyncResultShape) {
    super(reader, shape);
  }

  protected out(item: unknown): T {
    return (this.shape.column ? item : (item as Record<string, unknown>)[this.shape.keys[0] as string]) as T;
  }

  protected keyOf(item: unknown): unknown {
    return this.out(item);
  }
}

/** Batches over rows already in memory (a statement that is not streamed). */
export function batchesInMemory(values: unknown[]): ResultBatches {
  let pending: unknown[] | undefined = values;
  return {
    next: async () => {
      const batch = pending;
      pending = undefined;
      return batch !== undefined && batch.length > 0 ? batch : undefined;
    },
    close: async () => {
      pending = undefined;
    },
  };
}

function checkedSize(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new ArgumentError(`size must be a whole number ≥ 1 (got ${String(size)})`);
  return size;
}
