import { ArgumentError, InvalidRequestError, MultipleResultsFound, NoResultFound } from "../../shared/errors.ts";
import { UNIQUE_REQUIRED } from "../../core/engine/filtered-result.ts";
import type { FirstValue } from "../../core/engine/result.ts";
import { rowIdentity } from "../../core/engine/row-identity.ts";
import { type Io, done } from "../../shared/io.ts";

/** Where a streamed result's rows come from: batches read when asked for (a cursor), or one in memory. */
export interface ResultBatches {
  /** The next batch, or `undefined` at the end. */
  nextIo(): Io<unknown[] | undefined>;
  /** Stops reading (closes the cursor); safe to call twice. */
  closeIo(): Io<void>;
}

/** How to read a streamed result's batches. */
export interface ResultShape {
  readonly keys: readonly string[];
  /** Batches hold the values of the only column (the instances of `select(User)`), not rows. */
  readonly column: boolean;
  /** Read with SQLAlchemy's `yield_per`: `unique()` is refused and `partitions()` defaults to it. */
  readonly yieldPer?: number | undefined;
  /** Joined eager collections repeat parents over rows: reading needs `unique()` first. */
  readonly uniqueRequired?: boolean;
}

/** A statement opened as a stream: its batches and how to read them (wrapped by `AsyncResult` or `SyncResult`). */
export interface StreamSource {
  readonly batches: ResultBatches;
  readonly shape: ResultShape;
}

/** The batches of one statement, whatever is left of them, shared by a result and its `scalars()`. */
export class BatchReader {
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
  *takeIo(max: number): Io<unknown[]> {
    const out: unknown[] = [];
    while (out.length < max && (this.#position < this.#items.length || (yield* this.#fillIo()))) {
      const end = Math.min(this.#items.length, this.#position + max - out.length);
      for (let i = this.#position; i < end; i++) out.push(this.#items[i]);
      this.#position = end;
    }
    return out;
  }

  /** The items of the next batch (or what is left of the current one), or `undefined` at the end. */
  *nextBatchIo(): Io<unknown[] | undefined> {
    if (this.#position >= this.#items.length && !(yield* this.#fillIo())) return undefined;
    const items = this.#position === 0 ? this.#items : this.#items.slice(this.#position);
    this.#items = [];
    this.#position = 0;
    return items;
  }

  *closeIo(): Io<void> {
    this.#ended = true;
    this.#items = [];
    this.#position = 0;
    yield* this.#source.closeIo();
  }

  *#fillIo(): Io<boolean> {
    while (!this.#ended) {
      const batch = yield* this.#source.nextIo();
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

/** What an item of a row result or of a scalar result hands out, and what makes two of them repeats. */
export interface ItemView<T> {
  out(item: unknown): T;
  keyOf(item: unknown): unknown;
}

/** A row result's view: rows (tuples), the instance wrapped as a one-place row when batches hold instances. */
export function rowView<R>(shape: ResultShape): ItemView<R> {
  return shape.column
    ? { out: (item) => [item] as R, keyOf: (item) => item }
    : { out: (item) => item as R, keyOf: (item) => rowIdentity(item) };
}

/** A scalar result's view: the first column of each row. */
export function scalarView<T>(shape: ResultShape): ItemView<T> {
  const first = shape.keys[0] as string;
  const out = shape.column ? (item: unknown) => item as T : (item: unknown) => (item as Record<string, unknown>)[first] as T;
  return { out, keyOf: out };
}

/** The first column's value of a row (a one-place row when the batches hold instances). */
export function firstValueOf<R>(shape: ResultShape, row: R): FirstValue<R> {
  return (shape.column ? (row as unknown[])[0] : (row as Record<string, unknown>)[shape.keys[0] as string]) as FirstValue<R>;
}

/**
 * What a streamed result does, once for both shells (`AsyncResult` drives these with `runAsync`,
 * `SyncResult` with `runSync`): the fetches, `unique()`, and the `unique()` that joined eager
 * collections require.
 */
export class BatchedResultCore<T> {
  readonly reader: BatchReader;
  readonly shape: ResultShape;
  readonly view: ItemView<T>;
  #uniqued = false;

  constructor(reader: BatchReader, shape: ResultShape, view: ItemView<T>) {
    this.reader = reader;
    this.shape = shape;
    this.view = view;
  }

  *allIo(): Io<T[]> {
    this.requireUnique();
    const out: T[] = [];
    let batch: unknown[] | undefined;
    while ((batch = yield* this.reader.nextBatchIo()) !== undefined) for (const item of batch) out.push(this.view.out(item));
    return out;
  }

  *firstIo(): Io<T | null> {
    const [item] = yield* this.reader.takeIo(1);
    yield* this.reader.closeIo();
    return item === undefined ? null : this.view.out(item);
  }

  *oneIo(): Io<T> {
    const found = yield* this.oneOrNoneIo();
    if (found === null) throw new NoResultFound("No row was found when one was required");
    return found;
  }

  *oneOrNoneIo(): Io<T | null> {
    this.requireUnique();
    const items = yield* this.reader.takeIo(2);
    yield* this.reader.closeIo();
    if (items.length > 1) throw new MultipleResultsFound("Multiple rows were found when one or none was required");
    return items.length === 0 ? null : this.view.out(items[0]);
  }

  *fetchmanyIo(size: number): Io<T[]> {
    this.requireUnique();
    return (yield* this.reader.takeIo(checkedSize(size))).map((item) => this.view.out(item));
  }

  /** The partition size `partitions()` uses: the one asked for, else the `yieldPer` batch. */
  partitionSize(size: number | undefined): number {
    return checkedSize(size ?? this.shape.yieldPer ?? 100);
  }

  /** Drops repeated rows (entities compared by identity), keeping the first; refused with `yieldPer`, as SQLAlchemy. */
  unique(): void {
    if (this.shape.yieldPer !== undefined) throw new InvalidRequestError("Can't use the ORM yield_per feature in conjunction with unique()");
    this.reader.dropRepeats((item) => this.view.keyOf(item));
    this.#uniqued = true;
  }

  requireUnique(): void {
    if (this.shape.uniqueRequired && !this.#uniqued) throw new InvalidRequestError(UNIQUE_REQUIRED);
  }
}

/** Batches over rows already in memory (a statement that is not streamed). */
export function batchesInMemory(values: unknown[]): ResultBatches {
  let pending: unknown[] | undefined = values;
  return {
    nextIo() {
      const batch = pending;
      pending = undefined;
      return done(batch !== undefined && batch.length > 0 ? batch : undefined);
    },
    closeIo() {
      pending = undefined;
      return done(undefined);
    },
  };
}

function checkedSize(size: number): number {
  if (!Number.isInteger(size) || size < 1) throw new ArgumentError(`size must be a whole number ≥ 1 (got ${String(size)})`);
  return size;
}
