import type { FirstValue } from "../../core/engine/result.ts";
import { runSync } from "../../shared/io.ts";
import { BatchReader, BatchedResultCore, type ItemView, type ResultShape, type StreamSource, firstValueOf, rowView, scalarView } from "./batched-result.ts";

/**
 * What `SyncResult` and `SyncScalarResult` share: the fetches of `BatchedResultCore` driven with
 * `runSync` (installed below from a list, as the synchronous Session's methods are), iteration,
 * `partitions()`, `unique()` and `close()`.
 */
abstract class SyncBatchedResult<T> implements Iterable<T>, Disposable {
  protected readonly core: BatchedResultCore<T>;

  constructor(reader: BatchReader, shape: ResultShape, view: ItemView<T>) {
    this.core = new BatchedResultCore(reader, shape, view);
  }

  /** The remaining rows in lists of `size` (default: the `yieldPer` batch), SQLAlchemy's `partitions()`. */
  *partitions(size?: number): Generator<T[]> {
    const partSize = this.core.partitionSize(size);
    try {
      for (let part = this.fetchmany(partSize); part.length > 0; part = this.fetchmany(partSize)) yield part;
    } finally {
      this.close();
    }
  }

  /** Drops repeated rows (entities compared by identity), keeping the first; refused with `yieldPer`. */
  unique(): this {
    this.core.unique();
    return this;
  }

  /** Stops reading: closes the cursor, freeing the session's connection (what leaving a `for` loop early does). */
  close(): void {
    runSync(this.core.reader.closeIo());
  }

  [Symbol.dispose](): void {
    this.close();
  }

  *[Symbol.iterator](): Iterator<T> {
    this.core.requireUnique();
    const { reader, view } = this.core;
    try {
      for (let batch = runSync(reader.nextBatchIo()); batch !== undefined; batch = runSync(reader.nextBatchIo())) {
        for (const item of batch) yield view.out(item);
      }
    } finally {
      // Also on `break`: the cursor closes and the connection takes statements again.
      this.close();
    }
  }
}

interface SyncBatchedResult<T> {
  /** All remaining rows. */
  all(): T[];
  /** The first row, or `null`; the rest is discarded and the cursor closed. */
  first(): T | null;
  /** Exactly one row, else `NoResultFound` / `MultipleResultsFound`; closes the cursor. */
  one(): T;
  /** One row or `null`; more than one raises `MultipleResultsFound`; closes the cursor. */
  oneOrNone(): T | null;
  /** The next `size` rows (fewer at the end, `[]` once consumed), SQLAlchemy's `fetchmany()`. */
  fetchmany(size: number): T[];
}

for (const name of ["all", "first", "one", "oneOrNone", "fetchmany"] as const) {
  Object.defineProperty(SyncBatchedResult.prototype, name, {
    configurable: true,
    writable: true,
    value: function (this: { core: Record<string, (...args: unknown[]) => Generator<unknown, unknown, unknown>> }, ...args: unknown[]): unknown {
      return runSync((this.core[`${name}Io`] as (...a: unknown[]) => Generator<unknown, unknown, unknown>).apply(this.core, args));
    },
  });
}

/**
 * The result of a synchronous `session.stream(stmt)`: rows read from a cursor (better-sqlite3's
 * iterator) in batches of `executionOptions({ yieldPer })` (1,000 without), each batch loaded into
 * instances with its eager loads when the iteration reaches it; the connection is busy until the
 * iteration ends, breaks or the result is closed.
 *
 * ```ts
 * for (const [user] of session.stream(select(User))) console.log(user.name);
 * ```
 */
export class SyncResult<R> extends SyncBatchedResult<R> {
  constructor(source: StreamSource) {
    super(new BatchReader(source.batches), source.shape, rowView<R>(source.shape));
  }

  keys(): readonly string[] {
    return this.core.shape.keys;
  }

  scalar(): FirstValue<R> | null {
    const row: R | null = this.first();
    return row === null ? null : firstValueOf<R>(this.core.shape, row);
  }

  scalarOne(): FirstValue<R> {
    return firstValueOf<R>(this.core.shape, this.one());
  }

  scalarOneOrNone(): FirstValue<R> | null {
    const row: R | null = this.oneOrNone();
    return row === null ? null : firstValueOf<R>(this.core.shape, row);
  }

  /** The first column of each row, reading the same batches. */
  scalars(): SyncScalarResult<FirstValue<R>> {
    return new SyncScalarResult(this.core.reader, this.core.shape);
  }
}

/** `session.streamScalars(stmt)` / `syncResult.scalars()`. */
export class SyncScalarResult<T> extends SyncBatchedResult<T> {
  /** @internal */
  constructor(reader: BatchReader, shape: ResultShape) {
    super(reader, shape, scalarView<T>(shape));
  }
}
