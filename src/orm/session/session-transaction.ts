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

  async commit(): Promise<void> {
    if (!this.#active) return;
    this.#active = false;
    await this.#commit();
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
