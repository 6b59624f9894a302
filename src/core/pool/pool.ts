import { InvalidRequestError, TimeoutError } from "../../shared/errors.ts";
import type { DriverConnection } from "../drivers/driver.ts";

export interface PoolOptions {
  /** Connections open at most at once. */
  readonly size: number;
  /** How long `acquire()` waits for a free connection before failing with `TimeoutError`. */
  readonly timeoutMs: number;
  /** Ping a connection before handing it out; a dead one is replaced (SQLAlchemy's `pool_pre_ping`). */
  readonly prePing: boolean;
}

interface Waiter {
  resolve(connection: DriverConnection): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * A bounded pool of driver connections. The engine resets a connection (rolls back whatever it
 * left open) before returning it here, and invalidates connections that broke, so whatever comes
 * out of the pool is clean and alive.
 */
export class Pool {
  readonly options: PoolOptions;
  readonly #open: () => Promise<DriverConnection>;
  readonly #idle: DriverConnection[] = [];
  readonly #waiters: Waiter[] = [];
  #count = 0;
  #disposed = false;

  constructor(open: () => Promise<DriverConnection>, options: PoolOptions) {
    this.#open = open;
    this.options = options;
  }

  /** Connections currently open (idle or checked out). */
  get size(): number {
    return this.#count;
  }

  /** Connections waiting in the pool. */
  get idle(): number {
    return this.#idle.length;
  }

  /** A connection for exclusive use until `release()`; waits at most `timeoutMs`. */
  async acquire(): Promise<DriverConnection> {
    if (this.#disposed) throw new InvalidRequestError("This engine has been disposed");
    const idle = this.#idle.pop();
    if (idle) return this.options.prePing ? this.#checked(idle) : idle;
    if (this.#count < this.options.size) return this.#openNew();
    const connection = await new Promise<DriverConnection>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(
            new TimeoutError(
              `QueuePool limit of size ${this.options.size} reached, connection timed out after ${this.options.timeoutMs} ms`,
            ),
          );
        }, this.options.timeoutMs),
      };
      this.#waiters.push(waiter);
    });
    return this.options.prePing ? this.#checked(connection) : connection;
  }

  /** Gives a connection back (already reset by the caller). */
  release(connection: DriverConnection): void {
    const waiter = this.#waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      waiter.resolve(connection);
      return;
    }
    if (this.#disposed) {
      void this.#discard(connection);
      return;
    }
    this.#idle.push(connection);
  }

  /** Closes a broken connection and frees its place, so a waiter gets a fresh one. */
  async invalidate(connection: DriverConnection): Promise<void> {
    await this.#discard(connection);
    const waiter = this.#waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      this.#openNew().then(waiter.resolve, waiter.reject);
    }
  }

  /** Closes idle connections and refuses new checkouts; checked-out ones close when released. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const waiter of this.#waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new InvalidRequestError("This engine has been disposed"));
    }
    await Promise.all(this.#idle.splice(0).map((c) => this.#discard(c)));
  }

  async #openNew(): Promise<DriverConnection> {
    this.#count++;
    try {
      return await this.#open();
    } catch (error) {
      this.#count--;
      throw error;
    }
  }

  async #checked(connection: DriverConnection): Promise<DriverConnection> {
    try {
      await connection.ping();
      return connection;
    } catch {
      await this.#discard(connection);
      return this.#openNew();
    }
  }

  async #discard(connection: DriverConnection): Promise<void> {
    this.#count--;
    try {
      await connection.close();
    } catch {
      // A connection that cannot close cleanly is gone either way.
    }
  }
}
