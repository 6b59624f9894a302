import { type Io, runAsync } from "../../shared/io.ts";

/** What ending a session's explicit transaction (or savepoint) runs, as `Io` (session-base.ts builds them). */
export interface TransactionSteps {
  commit(): Io<void>;
  rollback(): Io<void>;
}

/**
 * A session's explicit transaction (or savepoint), committed or rolled back once: the logic both
 * session shells share (docs/adr/0014). `SessionTransaction` is its asynchronous shell.
 */
export class TransactionBase {
  readonly #steps: TransactionSteps;
  #active = true;

  constructor(steps: TransactionSteps) {
    this.#steps = steps;
  }

  get isActive(): boolean {
    return this.#active;
  }

  /**
   * @internal Commits; when the commit itself fails (its flush, or the COMMIT), rolls back before
   * rethrowing, as SQLAlchemy's `with session.begin():` does, so the session is usable again.
   */
  *commitIo(): Io<void> {
    if (!this.#active) return;
    this.#active = false;
    try {
      yield* this.#steps.commit();
    } catch (error) {
      try {
        yield* this.#steps.rollback();
      } catch {
        // the commit's error is the one to report
      }
      throw error;
    }
  }

  /** @internal Rolls back, once. */
  *rollbackIo(): Io<void> {
    if (!this.#active) return;
    this.#active = false;
    yield* this.#steps.rollback();
  }
}

/**
 * An `AsyncSession`'s explicit transaction (or savepoint): commit or roll back once. Disposing it
 * while still active rolls it back, so `await using tx = await session.begin()` never leaks one.
 */
export class SessionTransaction extends TransactionBase implements AsyncDisposable {
  /**
   * Commits; when the commit itself fails (its flush, or the COMMIT), rolls back before
   * rethrowing, as SQLAlchemy's `with session.begin():` does, so the session is usable again.
   */
  commit(): Promise<void> {
    return runAsync(this.commitIo());
  }

  rollback(): Promise<void> {
    return runAsync(this.rollbackIo());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.rollback();
  }
}
