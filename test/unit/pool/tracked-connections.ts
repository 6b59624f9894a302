import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BetterSqlite3Driver } from "../../../src/core/drivers/better-sqlite3/better-sqlite3-driver.ts";
import type { DriverConnection, DriverResult, DriverStream, ExecuteOptions, StreamChunk } from "../../../src/core/drivers/driver.ts";

/**
 * A real better-sqlite3 connection with the two things a pool test needs to see: when it is open
 * (counted from the start of opening to the end of closing, the pool's own unit of account), and
 * a close that takes as long as a network close would (`closeDelayMs`).
 */
export class TrackedConnection implements DriverConnection {
  readonly #inner: DriverConnection;
  readonly #tracker: ConnectionTracker;
  pings = 0;
  /** Break the connection without telling the pool (only a ping finds out). */
  hidesLoss = false;
  #closed = false;

  constructor(inner: DriverConnection, tracker: ConnectionTracker) {
    this.#inner = inner;
    this.#tracker = tracker;
  }

  execute(sql: string, params: readonly unknown[], options?: ExecuteOptions): ReturnType<DriverConnection["execute"]> {
    return this.#inner.execute(sql, params, options);
  }

  stream(sql: string, params: readonly unknown[], options?: ExecuteOptions & { batchSize?: number }): DriverStream {
    return this.#inner.stream(sql, params, options);
  }

  async ping(): Promise<void> {
    this.pings++;
    await this.#inner.ping();
  }

  get lost(): boolean {
    return !this.hidesLoss && this.#inner.lost === true;
  }

  /** Closes the real connection underneath, as a server that went away would. */
  async breakUnderneath(): Promise<void> {
    await this.#inner.close();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#tracker.closeDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#tracker.closeDelayMs));
    await this.#inner.close();
    this.#tracker.closed();
  }
}

/** Opens tracked connections on one SQLite file and records how many were open at most. */
export class ConnectionTracker {
  readonly filename: string;
  readonly #dir: string;
  closeDelayMs: number;
  /** Opens fail (with SQLite's real error for an impossible path) while this is above 0. */
  failNextOpens = 0;
  open = 0;
  maxOpen = 0;
  opened = 0;
  readonly connections: TrackedConnection[] = [];

  constructor(options: { closeDelayMs?: number } = {}) {
    this.#dir = mkdtempSync(join(tmpdir(), "tsal-pool-"));
    this.filename = join(this.#dir, "pool.db");
    this.closeDelayMs = options.closeDelayMs ?? 0;
  }

  /** The pool's `open` function. */
  readonly connect = async (): Promise<TrackedConnection> => {
    this.open++;
    this.maxOpen = Math.max(this.maxOpen, this.open);
    try {
      const failing = this.failNextOpens > 0;
      if (failing) this.failNextOpens--;
      const filename = failing ? join(this.#dir, "missing", "dir", "x.db") : this.filename;
      const connection = new TrackedConnection(await new BetterSqlite3Driver({ filename }).connect(), this);
      this.opened++;
      this.connections.push(connection);
      return connection;
    } catch (error) {
      this.open--;
      throw error;
    }
  };

  closed(): void {
    this.open--;
  }

  cleanUp(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
