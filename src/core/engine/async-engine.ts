import type { Dialect } from "../dialects/dialect.ts";
import type { Driver, DriverConnection } from "../drivers/driver.ts";
import { Pool } from "../pool/pool.ts";
import { type ResetOnReturn, resolvePoolOptions } from "../pool/pool-options.ts";
import { AsyncConnection, type ConnectionOwner } from "./async-connection.ts";
import type { Executable, NamedParams } from "./executable.ts";
import { isParamsList } from "./execute-many.ts";
import type { Result } from "./result.ts";
import { runAsync } from "../../shared/io.ts";
import { EngineCore, type EngineCoreOptions } from "./engine-core.ts";

export type { StatementListener } from "./engine-core.ts";

export interface EngineOptions extends EngineCoreOptions {
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
  /** Options for the client library's connect call, SQLAlchemy's `connect_args` (see `createAsyncEngine`). */
  readonly connectArgs?: Readonly<Record<string, unknown>>;
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
export class AsyncEngine extends EngineCore implements ConnectionOwner, AsyncDisposable {
  readonly driver: Driver;
  readonly pool: Pool;

  constructor(url: string, dialect: Dialect, driver: Driver, options: EngineOptions = {}) {
    super(url, dialect, options);
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
    // The pool's ROLLBACK on return is reported (onStatement, echo) like any other statement.
    this.pool = new Pool(() => driver.connect(), single ? { ...poolOptions, size: 1, maxOverflow: 0 } : poolOptions, (connection) =>
      runAsync(this.sendResetIo(connection)),
    );
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
  execute<R>(statement: Executable<R>, params?: NamedParams): Promise<Result<R>>;
  /**
   * Runs a statement for each of several parameter sets on one pooled connection and commits them
   * together, or rolls all back if one fails (see `AsyncConnection.execute`):
   *
   * ```ts
   * await engine.execute(insert(users), [{ name: "ann" }, { name: "bob" }]);
   * // BEGIN; INSERT INTO "users" ("name") VALUES (?), (?); COMMIT
   * ```
   */
  execute<R>(statement: Executable<R>, paramsList: readonly NamedParams[]): Promise<Result<R>>;
  async execute<R>(statement: Executable<R>, params?: NamedParams | readonly NamedParams[]): Promise<Result<R>> {
    return this.begin((conn) => (isParamsList(params) ? conn.execute(statement, params) : conn.execute(statement, params)));
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
  acquireConnection(): Promise<DriverConnection> {
    return this.pool.acquire();
  }

  /** @internal */
  async releaseConnection(connection: DriverConnection, options: { invalidate: boolean; transactionOpen: boolean; cause?: unknown }): Promise<void> {
    if (options.invalidate) await this.pool.invalidate(connection, options.cause);
    else await this.pool.release(connection, { transactionOpen: options.transactionOpen });
  }
}
