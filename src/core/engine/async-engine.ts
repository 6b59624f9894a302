import type { Dialect } from "../dialects/dialect.ts";
import type { Driver, DriverConnection } from "../drivers/driver.ts";
import { Pool } from "../pool/pool.ts";
import { type ResetOnReturn, resolvePoolOptions } from "../pool/pool-options.ts";
import { AsyncConnection, type ConnectionOwner } from "./async-connection.ts";
import type { Executable, NamedParams } from "./executable.ts";
import type { Result } from "./result.ts";

/** Receives each statement the engine runs: `echo` logging, statement counting in tests. */
export type StatementListener = (sql: string, params: readonly unknown[]) => void;

export interface EngineOptions {
  /** Log every statement and its parameters (`true`: to the console; or a function of the line). */
  readonly echo?: boolean | ((line: string) => void);
  /** Connections kept in the pool (default 5; always 1 for SQLite and PGlite). SQLAlchemy's `pool_size`. */
  readonly poolSize?: number;
  /** Connections opened beyond `poolSize` under load and closed again on return (default 10; 0 for SQLite and PGlite). */
  readonly maxOverflow?: number;
  /** How long to wait for a connection, in **ms** (default 30 000), before `TimeoutError`. SQLAlchemy's `pool_timeout` is in seconds. */
  readonly poolTimeout?: number;
  /** Replace a connection at checkout once it is older than this many ms (default: never). SQLAlchemy's `pool_recycle` (seconds). */
  readonly poolRecycle?: number | null;
  /** Check a pooled connection is alive before handing it out (default false). */
  readonly poolPrePing?: boolean;
  /** Hand out the most recently returned connection first (default false: the oldest, FIFO). */
  readonly poolUseLifo?: boolean;
  /** `"rollback"` (default), `"full"` (also the database's session reset, so a `SET` does not leak) or `null`. */
  readonly poolResetOnReturn?: ResetOnReturn;
  /** Retries when the server refuses a new connection (default 0). */
  readonly connectRetries?: number;
  /** The wait before the first connect retry, in ms (default 100); it doubles with each retry. */
  readonly connectRetryDelayMs?: number;
  /**
   * PostgreSQL (pg): `"named"` (default) prepares each ORM/Core statement once per connection;
   * `"unnamed"` parses every statement afresh. Use `"unnamed"` behind a transaction-mode pooler
   * (pgbouncer < 1.21, or without `max_prepared_statements`); the URL query
   * `?prepared_statements=unnamed` does the same. SQLAlchemy asyncpg: `prepared_statement_cache_size=0`.
   */
  readonly preparedStatements?: "named" | "unnamed";
}

/**
 * The starting point: a dialect, a driver and a pool of connections. Create one per database
 * with `createAsyncEngine(url)` and share it.
 *
 * ```ts
 * const engine = createAsyncEngine("sqlite://:memory:");
 * await engine.begin(async (conn) => { await conn.execute(insert(users).values({ name: "ann" })); });
 * // BEGIN; INSERT INTO "users" ("name") VALUES (?); COMMIT
 * await engine.dispose();
 * ```
 */
export class AsyncEngine implements ConnectionOwner, AsyncDisposable {
  readonly dialect: Dialect;
  readonly driver: Driver;
  readonly url: string;
  readonly pool: Pool;
  readonly #listeners = new Set<StatementListener>();

  constructor(url: string, dialect: Dialect, driver: Driver, options: EngineOptions = {}) {
    this.url = url;
    this.dialect = dialect;
    this.driver = driver;
    const poolOptions = resolvePoolOptions({
      size: options.poolSize,
      maxOverflow: options.maxOverflow,
      timeoutMs: options.poolTimeout,
      recycleMs: options.poolRecycle,
      prePing: options.poolPrePing,
      useLifo: options.poolUseLifo,
      resetOnReturn: options.poolResetOnReturn,
      connectRetries: options.connectRetries,
      connectRetryDelayMs: options.connectRetryDelayMs,
    });
    // One database per connection (SQLite) or one instance behind every handle (PGlite): one connection.
    const single = dialect.capabilities.singleConnection || driver.name === "pglite";
    this.pool = new Pool(() => driver.connect(), single ? { ...poolOptions, size: 1, maxOverflow: 0 } : poolOptions);
    // The pool's ROLLBACK on return shows in echo and statement listeners like any other.
    this.pool.on("reset", (_connection, kind) => {
      if (kind === "rollback") this.statementExecuted("ROLLBACK", []);
    });
    const echo = options.echo;
    if (echo) {
      const write = typeof echo === "function" ? echo : (line: string) => console.log(line);
      this.#listeners.add((sql, params) => write(params.length > 0 ? `${sql}\n[parameters: ${formatParams(params)}]` : sql));
    }
  }

  /** Checks a connection out of the pool; `close()` (or `await using`) gives it back. */
  async connect(): Promise<AsyncConnection> {
    const driverConnection = await this.pool.acquire();
    return new AsyncConnection(this, driverConnection);
  }

  /**
   * Runs `work` in a transaction: commits when it resolves, rolls back when it throws.
   * Without `work`, returns a connection with a transaction begun (commit it yourself).
   */
  begin(): Promise<AsyncConnection>;
  begin<T>(work: (conn: AsyncConnection) => Promise<T>): Promise<T>;
  async begin<T>(work?: (conn: AsyncConnection) => Promise<T>): Promise<T | AsyncConnection> {
    const conn = await this.connect();
    try {
      await conn.begin();
    } catch (error) {
      await conn.close();
      throw error;
    }
    if (work === undefined) return conn;
    try {
      const value = await work(conn);
      await conn.commit();
      return value;
    } catch (error) {
      await conn.rollback().catch(() => conn.invalidate());
      throw error;
    } finally {
      await conn.close();
    }
  }

  /** Runs one statement on a pooled connection and commits it. */
  async execute<R>(statement: Executable<R>, params?: NamedParams): Promise<Result<R>> {
    return this.begin((conn) => conn.execute(statement, params));
  }

  /** Listens to every statement the engine runs; returns a function that stops listening. */
  onStatement(listener: StatementListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Closes the pool's connections and the driver. Connections still checked out close on release. */
  async dispose(): Promise<void> {
    await this.pool.dispose();
    await this.driver.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }

  /** @internal */
  statementExecuted(sql: string, params: readonly unknown[]): void {
    for (const listener of this.#listeners) listener(sql, params);
  }

  /** @internal */
  async releaseConnection(connection: DriverConnection, options: { invalidate: boolean; transactionOpen: boolean }): Promise<void> {
    if (options.invalidate) await this.pool.invalidate(connection);
    else await this.pool.release(connection, { transactionOpen: options.transactionOpen });
  }
}

function formatParams(params: readonly unknown[]): string {
  return `[${params
    .map((p) => (typeof p === "bigint" ? `${p}n` : p instanceof Uint8Array ? `<${p.byteLength} bytes>` : JSON.stringify(p)))
    .join(", ")}]`;
}
