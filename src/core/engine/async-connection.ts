import { type Io, runAsync } from "../../shared/io.ts";
import type { TransactionOptions } from "../dialects/transaction-options.ts";
import type { DriverConnection, DriverResult, DriverStream, StreamChunk } from "../drivers/driver.ts";
import type { AsyncDdlRunner } from "../schema/metadata.ts";
import type { Table } from "../schema/table.ts";
import { ConnectionCore } from "./connection-core.ts";
import type { Executable, NamedParams } from "./executable.ts";
import { type PreparedStatement, prepareStatement } from "./prepared-statement.ts";
import type { Result } from "./result.ts";
import { timeStream } from "./statement-event.ts";
import type { AsyncEngine } from "./async-engine.ts";
import type { StatementOptions } from "./statement-options.ts";
import { StreamingResult } from "./streaming-result.ts";
import { Transaction } from "./transaction.ts";

export type { ConnectionOwner } from "./connection-core.ts";

/**
 * One database connection checked out of the engine's pool. Like SQLAlchemy 2.0's connection it
 * begins a transaction on first use ("autobegin"); `commit()` commits it, and closing without
 * committing rolls it back.
 *
 * ```ts
 * await using conn = await engine.connect();
 * await conn.execute(insert(users).values({ name: "ann" }));  // BEGIN; INSERT INTO "users" ("name") VALUES (?)
 * await conn.commit();                                          // COMMIT
 * ```
 *
 * A statement that fails because the connection is gone (server ended the session, socket cut)
 * raises an `OperationalError` with `connectionInvalidated: true` and invalidates the connection:
 * the driver connection goes back to the pool to be discarded. As in SQLAlchemy, the transaction
 * is then lost: every statement, and `commit()`, raise `PendingRollbackError` until `rollback()`
 * (which sends nothing and never throws); after it, the connection checks out a new one.
 *
 * The logic is `ConnectionCore`'s, shared with the synchronous `Connection` (better-sqlite3); this
 * class runs it on the event loop (`runAsync`) and adds what only an asynchronous connection has:
 * `stream()` and cursors.
 */
export class AsyncConnection extends ConnectionCore<Transaction> implements AsyncDdlRunner, AsyncDisposable {
  /** A call was issued in the current synchronous run of code (see `#call`). */
  #calling = false;
  readonly #callTickEnded = (): void => {
    this.#calling = false;
  };

  protected newTransaction(savepoint: string | undefined, quotedName: string): Transaction {
    return new Transaction(this, savepoint, quotedName);
  }

  /** The engine this connection came from (its owner). */
  get engine(): AsyncEngine {
    return this.owner as AsyncEngine;
  }

  /**
   * Runs a statement and buffers its rows. Named parameters (from `bindparam()` / `text()`) come
   * from `params`. Begins a transaction first if none is open.
   *
   * `options.signal` / `options.timeoutMs` cancel the statement on the server (PostgreSQL's cancel
   * request, MySQL's `KILL QUERY`) and reject at once with `QueryCanceledError`; roll back before
   * the next statement. SQLite and PGlite run a statement without yielding, so there a signal
   * only stops a statement that has not started.
   *
   * ```ts
   * await conn.execute(text("SELECT pg_sleep(5)"), undefined, { timeoutMs: 100 }); // QueryCanceledError, reason "timeout"
   * await conn.rollback();
   * ```
   */
  execute<R>(statement: Executable<R>, params?: NamedParams, options?: StatementOptions): Promise<Result<R>>;
  /**
   * Runs a statement for each of several parameter sets, in one transaction (SQLAlchemy's
   * executemany); every set is checked and bound before the first statement runs.
   *
   * An `insert(table)` without `.values()` takes the sets as its rows, keyed by column (every set
   * giving the columns of the first), and sends them as multi-row INSERTs of up to 1,000 rows, fewer
   * when the rows would bind more than 30,000 values:
   *
   * ```ts
   * await conn.execute(insert(users), [{ name: "ann", age: 30 }, { name: "bob", age: 41 }]);
   * // INSERT INTO "users" ("name", "age") VALUES (?, ?), (?, ?)   [parameters: ["ann", 30, "bob", 41]]
   * ```
   *
   * Any other statement runs once per set, the set filling its `bindparam()` / `text()` parameters:
   *
   * ```ts
   * await conn.execute(update(users).where(users.c.id.eq(bindparam("uid", Integer))).values({ age: bindparam("age", Integer) }),
   *   [{ uid: 1, age: 31 }, { uid: 2, age: 42 }]);
   * // UPDATE "users" SET "age"=? WHERE "users"."id" = ?   [31, 1], then [42, 2]
   * ```
   *
   * The result's `rowsAffected` is the total, and its rows are the statements' rows one after the
   * other (`lastInsertId` is `undefined`). With `insert(table).returning(…)`, the statements run in
   * the order of the parameter sets, and each returns its rows in the order the database gives:
   * SQLite, PostgreSQL and MariaDB give an `INSERT … VALUES … RETURNING`'s rows in VALUES order (the
   * tests check it on each), but none of them promises it (SQLite's documentation calls the order
   * arbitrary), and there is no `sortByParameterOrder` yet: to pair rows with parameter sets for
   * certain, return a column the sets give and match on it. A failing statement leaves the
   * earlier ones' rows in the transaction, to roll back. An empty list is an `ArgumentError`.
   */
  execute<R>(statement: Executable<R>, paramsList: readonly NamedParams[], options?: StatementOptions): Promise<Result<R>>;
  execute<R>(statement: Executable<R>, params?: NamedParams | readonly NamedParams[], options?: StatementOptions): Promise<Result<R>> {
    return this.#call(this.executeIo<R>(statement, params, options));
  }

  /** @internal Runs an already prepared statement (the ORM prepares its own). */
  executePrepared<R>(prepared: PreparedStatement): Promise<Result<R>> {
    return this.#call(this.executePreparedIo<R>(prepared));
  }

  /** @internal Runs a prepared statement and returns the driver's raw array rows (ORM hydration reads these). */
  executeRaw(prepared: PreparedStatement): Promise<DriverResult> {
    return this.#call(this.executeRawIo(prepared));
  }

  /**
   * Runs a query and yields rows as the driver delivers them, without buffering the whole
   * result (on drivers with cursors; PGlite buffers).
   */
  async stream<R>(statement: Executable<R>, params?: NamedParams, options: { batchSize?: number } = {}): Promise<StreamingResult<R>> {
    const prepared = prepareStatement(this.dialect, statement.node, params);
    await runAsync(this.autobeginIo());
    const driver = this.requireOpen();
    const owner = this.owner;
    if (this.events.any) this.events.beforeExecute(prepared.sql, prepared.params, false);
    owner.statementExecuted(prepared.sql, prepared.params);
    let chunks = driver.stream(prepared.sql, prepared.params, {
      exactIntegers: prepared.plan.exactIntegers,
      ...(prepared.plan.untypedColumns === undefined ? {} : { untypedColumns: prepared.plan.untypedColumns }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
    if (owner.timingStatements) chunks = timeStream(owner.statementEnded, prepared.sql, prepared.params, chunks);
    return new StreamingResult<R>(this.#watched(driver, chunks), prepared.plan, (busy) => this.setBusy(busy, "stream"));
  }

  /**
   * Begins the transaction explicitly; an error if one is already open. The options apply to
   * this transaction only, over `executionOptions()` and the engine's:
   *
   * ```ts
   * await conn.begin({ isolationLevel: "REPEATABLE READ", readOnly: true });
   * // PostgreSQL: BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY
   * // MySQL:      SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; START TRANSACTION READ ONLY
   * // SQLite:     NotSupportedFeatureError (SQLite transactions are SERIALIZABLE)
   * ```
   */
  begin(options?: TransactionOptions): Promise<Transaction> {
    return this.#call(this.beginIo(options));
  }

  /** `SAVEPOINT`: a nested transaction (beginning the outer one first if needed). */
  beginNested(): Promise<Transaction> {
    return this.#call(this.beginNestedIo());
  }

  /** Commits the open transaction (explicit or autobegun); a no-op when none is open. */
  commit(): Promise<void> {
    return this.#call(this.commitIo());
  }

  /** Rolls back the open transaction; a no-op when none is open. */
  rollback(): Promise<void> {
    return this.#call(this.rollbackIo());
  }

  /**
   * Returns the connection to the pool, which rolls back a transaction left open (its reset on
   * return). Safe to call twice; never throws because the connection was lost.
   */
  close(): Promise<void> {
    return runAsync(this.closeIo());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** `metadata.createAll(conn)`: CREATE TABLE for each table, parents first. */
  createTables(tables: readonly Table[], options: { checkfirst: boolean }): Promise<void> {
    return this.#call(this.createTablesIo(tables, options));
  }

  /** `metadata.dropAll(conn)`: DROP TABLE for each table, children first. */
  dropTables(tables: readonly Table[], options: { checkfirst: boolean }): Promise<void> {
    return this.#call(this.dropTablesIo(tables, options));
  }

  /** Runs literal SQL with positional parameters in the dialect's placeholder style. */
  execDriverSql(sql: string, params: readonly unknown[] = []): Promise<DriverResult> {
    return this.#call(this.execDriverSqlIo(sql, params));
  }

  /**
   * @internal A rollback (`options.rollback`) on an invalidated connection sends nothing, and one
   * that fails with a disconnect does not throw: the server ended the transaction with the session.
   */
  runTransactionControl(sql: string, options: { rollback?: boolean } = {}): Promise<void> {
    return this.#call(this.runTransactionControlIo(sql, options));
  }

  /**
   * Runs one call's `Io` on the event loop. better-sqlite3 ends a statement before the call
   * returns, so the statement's own busy mark (`setBusy`) never sees two calls issued together
   * (`Promise.all` on one connection): the connection also counts as busy until the microtasks
   * queued by the current synchronous run of code. Such calls are refused as on every other
   * database, so that code working on SQLite does not break on PostgreSQL. (A microtask, not a
   * `.then()` on the call's promise: V8's async stack traces stop at a promise with two reactions,
   * and a driver error's stack must reach the caller.)
   */
  #call<T>(work: Io<T>): Promise<T> {
    if (this.#calling) return Promise.reject(this.busyError("statement"));
    this.#calling = true;
    queueMicrotask(this.#callTickEnded);
    return runAsync(work);
  }

  /** The driver's rows, invalidating this connection if reading them fails with a disconnect. */
  async *#watched(driver: DriverConnection, chunks: DriverStream): AsyncIterable<StreamChunk> {
    try {
      yield* chunks;
    } catch (error) {
      await runAsync(this.failedIo(driver, error));
      throw error;
    }
  }
}
