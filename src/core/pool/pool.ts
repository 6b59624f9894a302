import { DBAPIError, InvalidRequestError, TimeoutError } from "../../shared/errors.ts";
import type { DriverConnection } from "../drivers/driver.ts";
import { connectWithRetry } from "./connect-with-retry.ts";
import { type PoolEventName, PoolEvents, type PoolListener } from "./pool-events.ts";
import { type PoolOptions, type PoolOptionsInput, resolvePoolOptions } from "./pool-options.ts";

/** What a waiter is handed: an idle connection, or a place to open one in. */
type Handoff = { readonly connection: DriverConnection } | { readonly connection: undefined };

interface Waiter {
  resolve(handoff: Handoff): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A bounded pool of driver connections, after SQLAlchemy's `QueuePool`.
 *
 * Accounting is by places: a place is taken before a connection is opened and given up only once
 * that connection has finished closing (or failed to open), so connections open, opening and
 * closing together never exceed `size + maxOverflow`. A place given up while someone waits passes
 * to the first waiter, who opens a connection in it; a new caller cannot take it in between.
 *
 * Connections given back are reset (`resetOnReturn`) before anyone else gets them; checkout
 * replaces a connection that is known lost, older than `recycleMs`, older than the last failed
 * pre-ping (the server probably restarted), or that fails its pre-ping.
 */
export class Pool {
  readonly options: PoolOptions;
  readonly #open: () => Promise<DriverConnection>;
  readonly #rollback: (connection: DriverConnection) => Promise<void>;
  readonly #events = new PoolEvents();
  readonly #idle: DriverConnection[] = [];
  readonly #checkedOut = new Set<DriverConnection>();
  readonly #openedAt = new WeakMap<DriverConnection, number>();
  readonly #waiters: Waiter[] = [];
  #places = 0;
  /** Connections opened before this instant are replaced at checkout (set by a failed pre-ping or a disconnect). */
  #staleBefore = Number.NEGATIVE_INFINITY;
  #disposed = false;

  /**
   * `rollback` runs the reset's ROLLBACK on a returned connection; the engine passes one that
   * reports it to its statement listeners and log like any other statement.
   */
  constructor(
    open: () => Promise<DriverConnection>,
    options: PoolOptionsInput = {},
    rollback: (connection: DriverConnection) => Promise<void> = async (connection) => void (await connection.execute("ROLLBACK", [])),
  ) {
    this.#open = open;
    this.#rollback = rollback;
    this.options = resolvePoolOptions(options);
  }

  /** Places taken: connections open (idle or checked out), being opened, or being closed. */
  get size(): number {
    return this.#places;
  }

  /** Connections waiting in the pool. */
  get idle(): number {
    return this.#idle.length;
  }

  /** Connections handed out and not yet given back. */
  get checkedOut(): number {
    return this.#checkedOut.size;
  }

  /** Callers waiting for a connection. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /** The most places the pool takes: `size + maxOverflow`. */
  get capacity(): number {
    return this.options.size + this.options.maxOverflow;
  }

  /**
   * Listens to `"connect" | "checkout" | "checkin" | "invalidate" | "reset"`; returns a function
   * that stops listening.
   *
   * ```ts
   * engine.pool.on("checkout", (connection) => checkouts++);
   * ```
   */
  on<E extends PoolEventName>(event: E, listener: PoolListener<E>): () => void {
    return this.#events.on(event, listener);
  }

  /** A connection for exclusive use until `release()` or `invalidate()`; waits at most `timeoutMs`. */
  async acquire(): Promise<DriverConnection> {
    this.#requireNotDisposed();
    const idle = this.options.useLifo ? this.#idle.pop() : this.#idle.shift();
    let handoff: Handoff;
    if (idle) handoff = { connection: idle };
    else if (this.#places < this.capacity) {
      this.#places++;
      handoff = { connection: undefined };
    } else handoff = await this.#wait();
    // From here this call holds one place, whatever happens.
    let connection: DriverConnection;
    try {
      connection = handoff.connection ? await this.#revive(handoff.connection) : await this.#openConnection();
    } catch (error) {
      this.#givePlaceUp();
      throw error;
    }
    try {
      this.#requireNotDisposed();
      this.#events.emit("checkout", connection);
    } catch (error) {
      await this.#discard(connection);
      throw error;
    }
    this.#checkedOut.add(connection);
    return connection;
  }

  /**
   * Gives a connection back: it is reset (`resetOnReturn`), then handed to the first waiter, kept
   * idle, or closed when `size` connections are idle already (an overflow connection). A reset
   * that fails invalidates the connection instead.
   */
  async release(connection: DriverConnection, state: { transactionOpen?: boolean } = {}): Promise<void> {
    this.#checkIn(connection);
    try {
      await this.#reset(connection, state.transactionOpen ?? false);
    } catch (error) {
      await this.#invalidateTaken(connection, error);
      return;
    }
    if (this.#disposed) {
      await this.#discard(connection);
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve({ connection });
    } else if (this.#idle.length >= this.options.size) {
      await this.#discard(connection);
    } else {
      this.#idle.push(connection);
    }
    this.#events.emit("checkin", connection);
  }

  /**
   * Closes a broken connection; its place passes to the first waiter once it has closed. When
   * `error` is a disconnect (`connectionInvalidated`), the server probably dropped the others too:
   * connections opened before now are replaced at their next checkout (SQLAlchemy's
   * `_invalidate_time`), unless this one was opened before an earlier such moment already.
   */
  async invalidate(connection: DriverConnection, error?: unknown): Promise<void> {
    this.#checkIn(connection);
    if (error instanceof DBAPIError && error.connectionInvalidated && (this.#openedAt.get(connection) ?? 0) > this.#staleBefore) {
      this.#staleBefore = performance.now();
    }
    await this.#invalidateTaken(connection, error);
  }

  /** Closes idle connections and refuses new checkouts; checked-out ones close when given back. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(disposedError());
    }
    await Promise.all(this.#idle.splice(0).map((c) => this.#discard(c)));
  }

  #wait(): Promise<Handoff> {
    return new Promise<Handoff>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(
            new TimeoutError(
              `QueuePool limit of size ${this.options.size} overflow ${this.options.maxOverflow} reached, ` +
                `connection timed out after ${this.options.timeoutMs} ms`,
            ),
          );
        }, this.options.timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Opens a connection in a place the caller holds. */
  async #openConnection(): Promise<DriverConnection> {
    const { connectRetries, connectRetryDelayMs } = this.options;
    const connection = await connectWithRetry(this.#open, connectRetries, connectRetryDelayMs, () => this.#disposed);
    this.#openedAt.set(connection, performance.now());
    try {
      this.#events.emit("connect", connection);
    } catch (error) {
      await closeQuietly(connection);
      throw error;
    }
    return connection;
  }

  /** An idle connection checked for checkout, or a fresh one in its place. */
  async #revive(connection: DriverConnection): Promise<DriverConnection> {
    const openedAt = this.#openedAt.get(connection) ?? Number.NEGATIVE_INFINITY;
    const { recycleMs, prePing } = this.options;
    let replace = connection.lost === true || openedAt <= this.#staleBefore || (recycleMs !== null && performance.now() - openedAt > recycleMs);
    let failure: unknown;
    if (!replace && prePing) {
      try {
        await connection.ping();
      } catch (error) {
        // The server likely dropped every connection (restart, failover): replace the others too.
        this.#staleBefore = performance.now();
        replace = true;
        failure = error;
      }
    }
    if (!replace) return connection;
    if (failure !== undefined || connection.lost === true) this.#emitQuietly("invalidate", connection, failure);
    await closeQuietly(connection);
    return this.#openConnection();
  }

  async #reset(connection: DriverConnection, transactionOpen: boolean): Promise<void> {
    const mode = this.options.resetOnReturn;
    if (mode === "full" && connection.reset) {
      this.#emitQuietly("reset", connection, "full");
      await connection.reset();
    } else if (transactionOpen) {
      if (mode === null) throw new InvalidRequestError("Connection returned with a transaction open while poolResetOnReturn is null");
      this.#emitQuietly("reset", connection, "rollback");
      await this.#rollback(connection);
    }
  }

  #checkIn(connection: DriverConnection): void {
    if (!this.#checkedOut.delete(connection)) {
      throw new InvalidRequestError("This connection is not checked out of this pool (given back twice?)");
    }
  }

  async #invalidateTaken(connection: DriverConnection, error: unknown): Promise<void> {
    try {
      this.#events.emit("invalidate", connection, error);
    } finally {
      await this.#discard(connection);
    }
  }

  /** Closes a connection whose place the caller holds, then gives the place up. */
  async #discard(connection: DriverConnection): Promise<void> {
    await closeQuietly(connection);
    this.#givePlaceUp();
  }

  /** Passes the caller's place to the first waiter, or frees it. */
  #givePlaceUp(): void {
    const waiter = this.#disposed ? undefined : this.#waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve({ connection: undefined });
    } else {
      this.#places--;
    }
  }

  #emitQuietly<E extends PoolEventName>(event: E, ...args: Parameters<PoolListener<E>>): void {
    try {
      this.#events.emit(event, ...args);
    } catch {
      // Checkout replaces the connection either way; a listener's failure must not leak its place.
    }
  }

  #requireNotDisposed(): void {
    if (this.#disposed) throw disposedError();
  }
}

function disposedError(): InvalidRequestError {
  return new InvalidRequestError("This engine has been disposed");
}

async function closeQuietly(connection: DriverConnection): Promise<void> {
  try {
    await connection.close();
  } catch {
    // A connection that cannot close cleanly is gone either way.
  }
}
