import { InvalidRequestError } from "../../shared/errors.ts";
import { runSync } from "../../shared/io.ts";
import type { Dialect } from "../dialects/dialect.ts";
import type { DriverConnection, SyncDriver } from "../drivers/driver.ts";
import { SyncPool } from "../pool/sync-pool.ts";
import type { SyncDdlRunner } from "../schema/metadata.ts";
import type { Table } from "../schema/table.ts";
import type { ConnectionOwner } from "./connection-core.ts";
import { Connection } from "./connection.ts";
import { EngineCore, type EngineCoreOptions } from "./engine-core.ts";
import type { Executable, NamedParams } from "./executable.ts";
import { isParamsList } from "./execute-many.ts";
import type { Result } from "./result.ts";

/** `createEngine`'s options: `echo`, `logger`, `isolationLevel`, and what SQLite's pool and driver take. */
export interface SyncEngineOptions extends EngineCoreOptions {
  /** Replace the pooled connection at checkout once it is older than this many ms (default: never). */
  readonly poolRecycle?: number | null;
  /** Check the pooled connection is alive before handing it out (default false). */
  readonly poolPrePing?: boolean;
  /** better-sqlite3's `Database` options (`readonly`, `fileMustExist`, `timeout`, …), SQLAlchemy's `connect_args`. */
  readonly connectArgs?: Readonly<Record<string, unknown>>;
}

/**
 * The synchronous engine (`createEngine(url)`): SQLite through better-sqlite3, whose calls return
 * their answers, so every method here returns values instead of promises. Its connections
 * (`Connection`) share `AsyncConnection`'s logic; its statement reports, `echo` and connection
 * events (`listen(engine, "beforeExecute", …)`) are `AsyncEngine`'s (`EngineCore`).
 *
 * Like `AsyncEngine` over SQLite, it pools one connection (SQLite lets one connection write at a
 * time, and each `:memory:` connection is a database of its own). Synchronous code cannot wait
 * for it to come back, so `connect()` while it is checked out throws `TimeoutError` at once.
 *
 * ```ts
 * using engine = createEngine("sqlite:///app.db");
 * engine.begin((conn) => conn.execute(insert(users).values({ name: "ann" })));
 * // BEGIN; INSERT INTO "users" ("name") VALUES (?); COMMIT
 * ```
 */
export class Engine extends EngineCore implements ConnectionOwner, SyncDdlRunner, Disposable {
  readonly driver: SyncDriver;
  readonly pool: SyncPool;

  constructor(url: string, dialect: Dialect, driver: SyncDriver, options: SyncEngineOptions = {}) {
    super(url, dialect, options);
    this.driver = driver;
    const pool = { size: 1, recycleMs: options.poolRecycle ?? null, prePing: options.poolPrePing ?? false };
    this.pool = new SyncPool(() => driver.connectSync(), pool, (connection) => runSync(this.sendResetIo(connection)));
  }

  /** Checks the connection out of the pool; `close()` (or `using`) gives it back. */
  connect(): Connection {
    return new Connection(this, this.pool.acquire());
  }

  /**
   * Runs `work` in a transaction: commits when it returns, rolls back when it throws. Without
   * `work`, returns a connection with a transaction begun (commit it, and close it, yourself).
   * `work` must be synchronous: one returning a promise is rolled back and refused.
   */
  begin(): Connection;
  begin<T>(work: (conn: Connection) => T): T;
  begin<T>(work?: (conn: Connection) => T): T | Connection {
    const conn = this.connect();
    try {
      conn.begin();
    } catch (error) {
      conn.close();
      throw error;
    }
    if (work === undefined) return conn;
    try {
      const value = work(conn);
      if (value instanceof Promise) {
        value.catch(() => {});
        throw new InvalidRequestError("engine.begin(work): work returned a promise; the synchronous Engine runs synchronous work (use createAsyncEngine for async work)");
      }
      conn.commit();
      return value;
    } catch (error) {
      try {
        conn.rollback();
      } catch {
        conn.invalidate();
      }
      throw error;
    } finally {
      conn.close();
    }
  }

  /** Runs one statement on the pooled connection and commits it. */
  execute<R>(statement: Executable<R>, params?: NamedParams): Result<R>;
  /** Runs a statement for each of several parameter sets and commits them together (see `Connection.execute`). */
  execute<R>(statement: Executable<R>, paramsList: readonly NamedParams[]): Result<R>;
  execute<R>(statement: Executable<R>, params?: NamedParams | readonly NamedParams[]): Result<R> {
    return this.begin((conn) => (isParamsList(params) ? conn.execute(statement, params) : conn.execute(statement, params)));
  }

  /** `metadata.createAll(engine)`: CREATE TABLE for each missing table in one transaction, committed. */
  createTables(tables: readonly Table[], options: { checkfirst: boolean }): void {
    this.begin((conn) => conn.createTables(tables, options));
  }

  /** `metadata.dropAll(engine)`: DROP TABLE for each existing table in one transaction, committed. */
  dropTables(tables: readonly Table[], options: { checkfirst: boolean }): void {
    this.begin((conn) => conn.dropTables(tables, options));
  }

  /** Closes the pooled connection; one still checked out closes when given back. */
  dispose(): void {
    this.pool.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** @internal */
  acquireConnection(): DriverConnection {
    return this.pool.acquire();
  }

  /** @internal */
  releaseConnection(connection: DriverConnection, options: { invalidate: boolean; transactionOpen: boolean }): void {
    if (options.invalidate) this.pool.invalidate(connection);
    else this.pool.release(connection, { transactionOpen: options.transactionOpen });
  }
}
