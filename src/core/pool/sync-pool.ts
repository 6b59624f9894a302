import { InvalidRequestError, TimeoutError } from "../../shared/errors.ts";
import type { DriverConnection } from "../drivers/driver.ts";

/** How the synchronous engine's pool keeps its connections. */
export interface SyncPoolOptions {
  /** Connections open at once (checked out or idle). */
  readonly size: number;
  /** Replace an idle connection at checkout once it is older than this many ms; `null`: never. */
  readonly recycleMs: number | null;
  /** Check an idle connection is alive (`ping`) before handing it out. */
  readonly prePing: boolean;
}

/**
 * The synchronous engine's pool of better-sqlite3 connections: `Pool`'s rules without waiting,
 * which synchronous code cannot do. Checkout hands out an idle connection (replacing one that is
 * lost, too old or fails its pre-ping) or opens one; past `size` open connections it throws at
 * once, where the asynchronous pool would wait for one to come back. A connection given back with
 * a transaction open is rolled back first; one that cannot be, or was invalidated, is closed.
 */
export class SyncPool {
  readonly options: SyncPoolOptions;
  readonly #open: () => DriverConnection;
  readonly #rollback: (connection: DriverConnection) => void;
  readonly #idle: DriverConnection[] = [];
  readonly #checkedOut = new Set<DriverConnection>();
  readonly #openedAt = new WeakMap<DriverConnection, number>();
  #disposed = false;

  /** `rollback` runs the reset's ROLLBACK; the engine's reports it like any other statement. */
  constructor(open: () => DriverConnection, options: SyncPoolOptions, rollback: (connection: DriverConnection) => void) {
    this.#open = open;
    this.options = options;
    this.#rollback = rollback;
  }

  /** Connections open: checked out or idle. */
  get size(): number {
    return this.#idle.length + this.#checkedOut.size;
  }

  /** Connections checked out. */
  get checkedOut(): number {
    return this.#checkedOut.size;
  }

  /** An idle connection, or a new one; `TimeoutError` when `size` connections are checked out. */
  acquire(): DriverConnection {
    if (this.#disposed) throw disposedError();
    let connection: DriverConnection | undefined;
    while (connection === undefined) {
      const idle = this.#idle.pop();
      if (idle === undefined) break;
      if (this.#usable(idle)) connection = idle;
      else closeQuietly(idle);
    }
    if (connection === undefined) {
      if (this.#checkedOut.size >= this.options.size) {
        throw new TimeoutError(
          `QueuePool limit of size ${this.options.size} reached: the synchronous engine cannot wait for a connection ` +
            "to come back; close() the connection (or end the Session) holding it first",
        );
      }
      connection = this.#open();
      this.#openedAt.set(connection, performance.now());
    }
    this.#checkedOut.add(connection);
    return connection;
  }

  /** Takes a connection back: rolled back when a transaction is open, then kept idle (or closed past `size`). */
  release(connection: DriverConnection, state: { transactionOpen?: boolean } = {}): void {
    this.#checkIn(connection);
    if (state.transactionOpen) {
      try {
        this.#rollback(connection);
      } catch {
        closeQuietly(connection);
        return;
      }
    }
    if (this.#disposed || this.#idle.length >= this.options.size) closeQuietly(connection);
    else this.#idle.push(connection);
  }

  /** Closes a broken connection instead of keeping it. */
  invalidate(connection: DriverConnection): void {
    this.#checkIn(connection);
    closeQuietly(connection);
  }

  /** Closes idle connections and refuses new checkouts; checked-out ones close when given back. */
  dispose(): void {
    this.#disposed = true;
    for (const connection of this.#idle.splice(0)) closeQuietly(connection);
  }

  #usable(connection: DriverConnection): boolean {
    const { recycleMs, prePing } = this.options;
    if (connection.lost === true) return false;
    if (recycleMs !== null && performance.now() - (this.#openedAt.get(connection) ?? 0) > recycleMs) return false;
    if (!prePing) return true;
    try {
      refuseAsync(connection.ping());
      return true;
    } catch {
      return false;
    }
  }

  #checkIn(connection: DriverConnection): void {
    if (!this.#checkedOut.delete(connection)) {
      throw new InvalidRequestError("This connection is not checked out of this pool (given back twice?)");
    }
  }
}

function disposedError(): InvalidRequestError {
  return new InvalidRequestError("This engine has been disposed");
}

function closeQuietly(connection: DriverConnection): void {
  try {
    refuseAsync(connection.close());
  } catch {
    // A connection that cannot close cleanly is gone either way.
  }
}

/** The pool's driver is synchronous (better-sqlite3): a promise here is a driver it cannot use. */
function refuseAsync(outcome: unknown): void {
  if (outcome instanceof Promise) {
    outcome.catch(() => {});
    throw new InvalidRequestError("The synchronous engine's pool was given an asynchronous driver connection");
  }
}
