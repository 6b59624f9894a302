import { runSync } from "../../shared/io.ts";
import type { TransactionOptions } from "../dialects/transaction-options.ts";
import type { DriverResult } from "../drivers/driver.ts";
import type { SyncDdlRunner } from "../schema/metadata.ts";
import type { Table } from "../schema/table.ts";
import { ConnectionCore } from "./connection-core.ts";
import type { Engine } from "./engine.ts";
import type { Executable, NamedParams } from "./executable.ts";
import type { PreparedStatement } from "./prepared-statement.ts";
import type { Result } from "./result.ts";
import type { StatementOptions } from "./statement-options.ts";
import { SyncTransaction } from "./sync-transaction.ts";

/**
 * One connection of the synchronous `Engine` (`createEngine`, better-sqlite3): `AsyncConnection`'s
 * API and behaviour (`ConnectionCore`, run with `runSync`), returning values instead of promises.
 * It begins a transaction on first use ("autobegin"); `commit()` commits it, and closing without
 * committing rolls it back.
 *
 * ```ts
 * using conn = engine.connect();
 * conn.execute(insert(users).values({ name: "ann" }));  // BEGIN; INSERT INTO "users" ("name") VALUES (?)
 * conn.commit();                                          // COMMIT
 * ```
 *
 * Streams (`stream()`, cursors) are `AsyncConnection`'s only, for now. An asynchronous event
 * listener or callback reached from here is refused with `InvalidRequestError` (`runSync`).
 */
export class Connection extends ConnectionCore<SyncTransaction> implements SyncDdlRunner, Disposable {
  protected newTransaction(savepoint: string | undefined, quotedName: string): SyncTransaction {
    return new SyncTransaction(this, savepoint, quotedName);
  }

  /** The engine this connection came from (its owner). */
  get engine(): Engine {
    return this.owner as Engine;
  }

  /**
   * Runs a statement and returns its buffered rows. Named parameters (from `bindparam()` /
   * `text()`) come from `params`. Begins a transaction first if none is open.
   *
   * `options.signal` stops a statement only when it has aborted before the statement starts
   * (`QueryCanceledError`): nothing can interrupt a synchronous statement, and `timeoutMs` cannot
   * fire while one runs (better-sqlite3's `timeout` connect argument bounds waiting for a lock).
   *
   * ```ts
   * const names = conn.execute(select(users.c.name)).scalars().all();
   * // BEGIN; SELECT "users"."name" FROM "users"
   * ```
   */
  execute<R>(statement: Executable<R>, params?: NamedParams, options?: StatementOptions): Result<R>;
  /**
   * Runs a statement for each of several parameter sets, in one transaction (SQLAlchemy's
   * executemany), as `AsyncConnection.execute` does: an `insert(table)` without `.values()` sends
   * multi-row INSERTs.
   *
   * ```ts
   * conn.execute(insert(users), [{ name: "ann" }, { name: "bob" }]);
   * // INSERT INTO "users" ("name") VALUES (?), (?)
   * ```
   */
  execute<R>(statement: Executable<R>, paramsList: readonly NamedParams[], options?: StatementOptions): Result<R>;
  execute<R>(statement: Executable<R>, params?: NamedParams | readonly NamedParams[], options?: StatementOptions): Result<R> {
    return runSync(this.executeIo<R>(statement, params, options));
  }

  /** @internal Runs an already prepared statement (the ORM prepares its own). */
  executePrepared<R>(prepared: PreparedStatement): Result<R> {
    return runSync(this.executePreparedIo<R>(prepared));
  }

  /** @internal Runs a prepared statement and returns the driver's raw array rows (ORM hydration reads these). */
  executeRaw(prepared: PreparedStatement): DriverResult {
    return runSync(this.executeRawIo(prepared));
  }

  /** Runs literal SQL with positional parameters (`?`). */
  execDriverSql(sql: string, params: readonly unknown[] = []): DriverResult {
    return runSync(this.execDriverSqlIo(sql, params));
  }

  /**
   * @internal Puts every statement issued on this connection from now on under `options`' signal,
   * until the returned function is called. Synchronously, only a signal already aborted when a
   * statement starts counts (`QueryCanceledError`); `timeoutMs` starts a timer that cannot fire
   * while a statement runs, so it stops only statements issued after it has expired.
   */
  override enterStatementScope(options: StatementOptions): () => void {
    return super.enterStatementScope(options);
  }

  /**
   * Begins the transaction explicitly (`BEGIN`); an error if one is already open. Disposing the
   * returned transaction rolls it back if still active: `using tx = conn.begin()`.
   */
  begin(options?: TransactionOptions): SyncTransaction {
    return runSync(this.beginIo(options));
  }

  /** `SAVEPOINT "sp_n"`: a nested transaction (beginning the outer one first if needed). */
  beginNested(): SyncTransaction {
    return runSync(this.beginNestedIo());
  }

  /** Commits the open transaction (`COMMIT`); nothing when none is open. */
  commit(): void {
    runSync(this.commitIo());
  }

  /** Rolls back the open transaction (`ROLLBACK`); nothing when none is open. */
  rollback(): void {
    runSync(this.rollbackIo());
  }

  /**
   * Returns the connection to the pool, which rolls back a transaction left open (`ROLLBACK`).
   * Safe to call twice; never throws because the connection was lost.
   */
  close(): void {
    runSync(this.closeIo());
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** `metadata.createAll(conn)`: CREATE TABLE for each table, parents first. */
  createTables(tables: readonly Table[], options: { checkfirst: boolean }): void {
    runSync(this.createTablesIo(tables, options));
  }

  /** `metadata.dropAll(conn)`: DROP TABLE for each table, children first. */
  dropTables(tables: readonly Table[], options: { checkfirst: boolean }): void {
    runSync(this.dropTablesIo(tables, options));
  }
}
