import type { FirstValue } from "../../core/engine/result.ts";
import { runAsync } from "../../shared/io.ts";
import { BatchReader, BatchedResultCore, type ItemView, type ResultShape, type StreamSource, firstValueOf, rowView, scalarView } from "./batched-result.ts";

export type { ResultBatches, ResultShape as AsyncResultShape } from "./batched-result.ts";

/** What AsyncResult and AsyncScalarResult share: the core's fetches, awaited. */
abstract class AsyncBatchedResult<T> implements AsyncIterable<T>, AsyncDisposable {
  protected readonly core: BatchedResultCore<T>;

  constructor(reader: BatchReader, shape: ResultShape, view: ItemView<T>) {
    this.core = new BatchedResultCore(reader, shape, view);
  }

  /** All remaining rows. */
  all(): Promise<T[]> {
    return runAsync(this.core.allIo());
  }

  /** The first row, or `null`; the rest is discarded and the cursor closed. */
  first(): Promise<T | null> {
    return runAsync(this.core.firstIo());
  }

  /** Exactly one row, else `NoResultFound` / `MultipleResultsFound`; closes the cursor. */
  one(): Promise<T> {
    return runAsync(this.core.oneIo());
  }

  /** One row or `null`; more than one raises `MultipleResultsFound`; closes the cursor. */
  oneOrNone(): Promise<T | null> {
    return runAsync(this.core.oneOrNoneIo());
  }

  /** The next `size` rows (fewer at the end, `[]` once consumed), SQLAlchemy's `fetchmany()`. */
  fetchmany(size: number): Promise<T[]> {
    return runAsync(this.core.fetchmanyIo(size));
  }

  /** The remaining rows in lists of `size` (default: the `yieldPer` batch), SQLAlchemy's `partitions()`. */
  async *partitions(size?: number): AsyncGenerator<T[]> {
    const partSize = this.core.partitionSize(size);
    try {
      for (let part = await this.fetchmany(partSize); part.length > 0; part = await this.fetchmany(partSize)) yield part;
    } finally {
      await this.close();
    }
  }

  /**
   * Drops repeated rows (entities compared by identity), keeping the first of each. Refused on a
   * `yieldPer` result, as SQLAlchemy: a stream would have to remember every row it passed.
   */
  unique(): this {
    this.core.unique();
    return this;
  }

  /** Stops reading: closes the cursor, freeing its connection (what leaving a `for await` early does). */
  close(): Promise<void> {
    return runAsync(this.core.reader.closeIo());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    this.core.requireUnique();
    const { reader, view } = this.core;
    try {
      let batch: unknown[] | undefined;
      while ((batch = await runAsync(reader.nextBatchIo())) !== undefined) {
        for (let i = 0; i < batch.length; i++) yield view.out(batch[i]);
        // Dropped before the next batch is read, so a long stream's passed rows can be collected.
        batch = undefined;
      }
    } finally {
      // Also on `break`: the cursor closes and the connection takes statements again.
      await this.close();
    }
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
  constructor(source: StreamSource) {
    super(new BatchReader(source.batches), source.shape, rowView<R>(source.shape));
  }

  keys(): readonly string[] {
    return this.core.shape.keys;
  }

  async scalar(): Promise<FirstValue<R> | null> {
    const row: R | null = await this.first();
    return row === null ? null : firstValueOf<R>(this.core.shape, row);
  }

  async scalarOne(): Promise<FirstValue<R>> {
    const row: R = await this.one();
    return firstValueOf<R>(this.core.shape, row);
  }

  async scalarOneOrNone(): Promise<FirstValue<R> | null> {
    const row: R | null = await this.oneOrNone();
    return row === null ? null : firstValueOf<R>(this.core.shape, row);
  }

  /** The first column of each row, as an `AsyncScalarResult` reading the same batches. */
  scalars(): AsyncScalarResult<FirstValue<R>> {
    return new AsyncScalarResult(this.core.reader, this.core.shape);
  }
}

/** `session.streamScalars(stmt)` / `asyncResult.scalars()` (SQLAlchemy's `AsyncScalarResult`). */
export class AsyncScalarResult<T> extends AsyncBatchedResult<T> {
  /** @internal */
  constructor(reader: BatchReader, shape: ResultShape) {
    super(reader, shape, scalarView<T>(shape));
  }
}
