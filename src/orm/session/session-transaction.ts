/**
 * A session's explicit transaction (or savepoint): commit or roll back once. Disposing it while
 * still active rolls it back, so `await using tx = await session.begin()` never leaks one.
 */
export class SessionTransaction implements AsyncDisposable {
  readonly #commit: () => Promise<void>;
  readonly #rollback: () => Promise<void>;
  #active = true;

  constructor(commit: () => Promise<void>, rollback: () => Promise<void>) {
    this.#commit = commit;
    this.#rollback = rollback;
  }

  get isActive(): boolean {
    return this.#active;
  }

  /**
   * Commits; when the commit itself fails (its flush, or the COMMIT), rolls back before
   * rethrowing, as SQLAlchemy's `with session.begin():` does, so the session is usable again.
   */
  async commit(): Promise<void> {
    if (!this.#active) return;
    this.#active = false;
    try {
      await this.#commit();
    } catch (error) {
      await this.#rollback().catch(() => {}); // the commit's error is the one to report
      throw error;
    }
  }

  async rollback(): Promise<void> {
    if (!this.#active) return;
    this.#active = false;
    await this.#rollback();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.rollback();
  }
}
