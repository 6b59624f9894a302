import { type AsyncEngine, createAsyncEngine } from "../../src/index.ts";
import type { TestDatabase } from "../support/databases.ts";
export { hasKillableBackends } from "../support/backends.ts";

/** How to find and end the server sessions of one database, per server. */
const KILL_SQL = {
  postgresql: {
    self: "SELECT pg_backend_pid()",
    others: "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
    // Waits (up to 5 s) until the backend has exited, so the kill has happened when this returns.
    kill: (id: number) => `SELECT pg_terminate_backend(${id}, 5000)`,
  },
  mysql: {
    self: "SELECT CONNECTION_ID()",
    others: "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()",
    kill: (id: number) => `KILL CONNECTION ${id}`,
  },
} as const;

/**
 * Ends other server sessions of a database from a connection of its own (PostgreSQL
 * `pg_terminate_backend`, MariaDB `KILL CONNECTION`), as an operator or a failover would.
 */
export class BackendKiller {
  readonly #engine: AsyncEngine;
  readonly #sql: (typeof KILL_SQL)[keyof typeof KILL_SQL];
  kills = 0;
  lastKillAt = 0;

  constructor(url: string, db: TestDatabase) {
    this.#engine = createAsyncEngine(url, { poolSize: 1, maxOverflow: 0 });
    this.#sql = KILL_SQL[db.name as keyof typeof KILL_SQL];
  }

  /** The server's id for the session of `conn` (pid / connection id). */
  get selfSql(): string {
    return this.#sql.self;
  }

  /** Ends one session by id; an id already gone is not an error. */
  async kill(id: number): Promise<void> {
    const conn = await this.#engine.connect();
    try {
      await conn.execDriverSql(this.#sql.kill(id));
      await conn.commit();
      this.kills++;
      this.lastKillAt = performance.now();
    } catch (error) {
      // MariaDB: "Unknown thread id" when the session ended on its own meanwhile.
      if (!/Unknown thread id/i.test(String(error))) throw error;
    } finally {
      await conn.close();
    }
  }

  /** Ends one random other session of the database; false when there was none. */
  async killRandom(): Promise<boolean> {
    const conn = await this.#engine.connect();
    let ids: number[];
    try {
      ids = (await conn.execDriverSql(this.#sql.others)).rows.map((row) => Number(row[0]));
      await conn.commit();
    } finally {
      await conn.close();
    }
    const id = ids[Math.floor(Math.random() * ids.length)];
    if (id === undefined) return false;
    await this.kill(id);
    return true;
  }

  async dispose(): Promise<void> {
    await this.#engine.dispose();
  }
}

/** Runs `fault` every `everyMs` until the returned stop function is awaited. */
export function repeatFault(everyMs: number, fault: () => Promise<unknown> | unknown): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    while (running) {
      await fault();
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

/** `url` with its host and port replaced (to point an engine at a proxy). */
export function viaPort(url: string, port: number): string {
  const parsed = new URL(url);
  parsed.hostname = "127.0.0.1";
  parsed.port = String(port);
  return parsed.toString();
}
