import type { FirstValue, Result, ScalarResult } from "../../core/engine/result.ts";

/**
 * The result of `session.stream(stmt)` (SQLAlchemy's `AsyncResult`): the same fetch methods as
 * `Result`, awaited, plus `for await` and `partitions()`. The session loads the rows (and runs the
 * query's eager loaders) before `stream()` resolves, so the session is free for the next call while
 * this is consumed; no connection stays checked out behind it.
 *
 * ```ts
 * for await (const [user] of await session.stream(select(User))) console.log(user.name);
 * ```
 */
export class AsyncResult<R> implements AsyncIterable<R> {
  readonly #result: Result<R>;

  constructor(result: Result<R>) {
    this.#result = result;
  }

  keys(): readonly string[] {
    return this.#result.keys();
  }

  async all(): Promise<R[]> {
    return this.#result.all();
  }

  async first(): Promise<R | null> {
    return this.#result.first();
  }

  async one(): Promise<R> {
    return this.#result.one();
  }

  async oneOrNone(): Promise<R | null> {
    return this.#result.oneOrNone();
  }

  async scalar(): Promise<FirstValue<R> | null> {
    return this.#result.scalar();
  }

  async scalarOne(): Promise<FirstValue<R>> {
    return this.#result.scalarOne();
  }

  async scalarOneOrNone(): Promise<FirstValue<R> | null> {
    return this.#result.scalarOneOrNone();
  }

  /** The first column of each row, as an `AsyncScalarResult`. */
  scalars(): AsyncScalarResult<FirstValue<R>> {
    return new AsyncScalarResult(this.#result.scalars());
  }

  /** The remaining rows without repeats (entities compared by identity). */
  unique(): AsyncResult<R> {
    return new AsyncResult(this.#result.unique());
  }

  /** The next `size` rows (SQLAlchemy's `AsyncResult.fetchmany()`). */
  async fetchmany(size: number): Promise<R[]> {
    return this.#result.fetchmany(size);
  }

  /** The remaining rows in lists of at most `size` (SQLAlchemy's `partitions()`). */
  async *partitions(size = 100): AsyncGenerator<R[]> {
    yield* this.#result.partitions(size);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<R> {
    yield* this.#result.all();
  }
}

/** `session.streamScalars(stmt)` / `asyncResult.scalars()` (SQLAlchemy's `AsyncScalarResult`). */
export class AsyncScalarResult<T> implements AsyncIterable<T> {
  readonly #result: ScalarResult<T>;

  constructor(result: ScalarResult<T>) {
    this.#result = result;
  }

  async all(): Promise<T[]> {
    return this.#result.all();
  }

  async first(): Promise<T | null> {
    return this.#result.first();
  }

  async one(): Promise<T> {
    return this.#result.one();
  }

  async oneOrNone(): Promise<T | null> {
    return this.#result.oneOrNone();
  }

  unique(): AsyncScalarResult<T> {
    return new AsyncScalarResult(this.#result.unique());
  }

  async fetchmany(size: number): Promise<T[]> {
    return this.#result.fetchmany(size);
  }

  async *partitions(size = 100): AsyncGenerator<T[]> {
    yield* this.#result.partitions(size);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    yield* this.#result.all();
  }
}
