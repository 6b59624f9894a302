import type { Dialect } from "../dialects/dialect.ts";
import type { IsolationLevel, TransactionOptions } from "../dialects/transaction-options.ts";
import type { Driver, DriverConnection } from "../drivers/driver.ts";
import { Pool } from "../pool/pool.ts";
import { type ResetOnReturn, resolvePoolOptions } from "../pool/pool-options.ts";
import { AsyncConnection, type ConnectionOwner } from "./async-connection.ts";
import type { Executable, NamedParams } from "./executable.ts";
import { isParamsList } from "./execute-many.ts";
import { type Logger, statementLogger } from "./logger.ts";
import type { Result } from "./result.ts";
import { type StatementEndListener, type StatementEvent, timeStatement } from "./statement-event.ts";
import { ListenerRegistry } from "../../shared/listener-registry.ts";
import type { ConnectionEventMap } from "./connection-events.ts";

/** Receives each statement the engine runs, before it runs: statement counting in tests. */
export type StatementListener = (sql: string, params: readonly unknown[]) => void;

export interface EngineOptions {
  /**
   * Log every statement with its parameters and duration, and BEGIN/COMMIT/ROLLBACK, at info
   * (`true`); `"debug"` adds each result's row count and columns at debug. Failed statements are
   * logged at error. Goes to `logger` (the console without one); a function here is the logger.
   * Default: on when `logger` is given, off otherwise.
   */
  readonly echo?: boolean | "debug" | ((line: string) => void);
  /** Where `echo` writes: `console`, a pino logger, `{ info, debug, error … }` or `(message, level) => …`. */
  readonly logger?: Logger;
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
   * The isolation level of every transaction (SQLAlchemy's `create_engine(isolation_level=…)`),
   * set per transaction (`BEGIN ISOLATION LEVEL …`), so the pool never has to undo it. Default:
   * the database's own.
   */
  readonly isolationLevel?: IsolationLevel;
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
  readonly transactionDefaults: TransactionOptions;
  readonly #listeners = new Set<StatementListener>();
  readonly #endListeners = new Set<StatementEndListener>();
  /** @internal The listeners of every connection's events (`listen(engine, "beforeExecute", …)`). */
  readonly connectionEvents = new ListenerRegistry<ConnectionEventMap>();
  /** @internal Someone listens for statement ends: connections time statements only then. */
  get timingStatements(): boolean {
    return this.#endListeners.size > 0;
  }

  constructor(url: string, dialect: Dialect, driver: Driver, options: EngineOptions = {}) {
    this.url = url;
    this.dialect = dialect;
    this.driver = driver;
    this.transactionDefaults = options.isolationLevel === undefined ? {} : { isolationLevel: options.isolationLevel };
    dialect.transactionSql(this.transactionDefaults); // a level the database cannot run fails here, not at the first BEGIN
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
      this.#sendReset(connection),
    );
    const { echo = options.logger !== undefined, logger = console } = options;
    if (echo !== false) {
      this.onStatementEnd(statementLogger(typeof echo === "function" ? echo : logger, echo === "debug" ? "debug" : "info"));
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

  /** Listens to every statement the engine runs; returns a function that stops listening. */
  onStatement(listener: StatementListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Listens to the end of every statement, with its duration and row count (or its error);
   * returns a function that stops listening. Statements are timed only while someone listens.
   *
   * ```ts
   * engine.onStatementEnd((e) => e.durationMs > 100 && console.warn(`slow: ${e.sql}`));
   * ```
   */
  onStatementEnd(listener: StatementEndListener): () => void {
    this.#endListeners.add(listener);
    return () => this.#endListeners.delete(listener);
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

  async #sendReset(connection: DriverConnection): Promise<void> {
    this.statementExecuted("ROLLBACK", []);
    if (this.timingStatements) await timeStatement(this.statementEnded, "ROLLBACK", [], () => connection.execute("ROLLBACK", []));
    else await connection.execute("ROLLBACK", []);
  }

  /** @internal */
  readonly statementEnded = (event: StatementEvent): void => {
    for (const listener of this.#endListeners) listener(event);
  };

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
