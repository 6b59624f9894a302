import { withoutUndefined } from "../../shared/without-undefined.ts";
import { DBAPIError, IllegalStateChangeError, InvalidRequestError, PendingRollbackError } from "../../shared/errors.ts";
import type { Dialect } from "../dialects/dialect.ts";
import type { TransactionOptions } from "../dialects/transaction-options.ts";
import type { DriverConnection, DriverResult, ExecuteOptions, StreamChunk } from "../drivers/driver.ts";
import type { DdlRunner } from "../schema/metadata.ts";
import type { Table } from "../schema/table.ts";
import { createTables, dropTables } from "./ddl-operations.ts";
import type { Executable, NamedParams } from "./executable.ts";
import { isParamsList, prepareMany } from "./execute-many.ts";
import { type PreparedStatement, prepareStatement, rowsFrom } from "./prepared-statement.ts";
import { Result } from "./result.ts";
import { type StatementEndListener, timeStatement, timeStream } from "./statement-event.ts";
import type { ListenerRegistry } from "../../shared/listener-registry.ts";
import type { ConnectionEventMap } from "./connection-events.ts";
import { ConnectionEventDispatch } from "./connection-event-dispatch.ts";
import type { AsyncEngine } from "./async-engine.ts";
import { type StatementOptions, cancellationSignal } from "./statement-options.ts";
import { StreamingResult } from "./streaming-result.ts";
import { type CursorPort, type RowCursor, openRowCursor } from "./row-cursor.ts";
import { Transaction, type TransactionHost } from "./transaction.ts";

/** What a connection needs from its engine. */
export interface ConnectionOwner {
  readonly dialect: Dialect;
  /** The engine's `isolationLevel`, for every transaction its connections begin. */
  readonly transactionDefaults?: TransactionOptions | undefined;
  /** @internal Reports a statement before it runs (`onStatement`). */
  statementExecuted(sql: string, params: readonly unknown[]): void;
  /** @internal Someone listens for statement ends (`echo`, `onStatementEnd`): time statements. */
  readonly timingStatements: boolean;
  /** @internal Reports a statement's end, with its duration. */
  readonly statementEnded: StatementEndListener;
  /**
   * @internal Takes the connection back, to be reset by the pool (which rolls back a transaction
   * left open), or throws it away; `cause` is the error that invalidated it, if any.
   */
  releaseConnection(connection: DriverConnection, options: { invalidate: boolean; transactionOpen: boolean; cause?: unknown }): Promise<void>;
  /** @internal A fresh connection, for a connection used again after it was invalidated. */
  acquireConnection(): Promise<DriverConnection>;
  /** @internal The engine's event listeners (`listen(engine, …)`). */
  readonly connectionEvents?: ListenerRegistry<ConnectionEventMap>;
}

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
 */
export class AsyncConnection implements DdlRunner, TransactionHost, AsyncDisposable {
  readonly #owner: ConnectionOwner;
  readonly dialect: Dialect;
  #driver: DriverConnection | undefined;
  #root: Transaction | undefined;
  readonly #savepoints: Transaction[] = [];
  #savepointCounter = 0;
  #busy = false;
  #busyBy: "statement" | "stream" = "statement";
  #invalid = false;
  #closed = false;
  /** The disconnect that invalidated this connection; its driver connection was given back. */
  #lostWith: DBAPIError | undefined;
  #transactionOptions: TransactionOptions;
  /** SQL that undoes what the open transaction's begin set on the connection (SQLite's query_only). */
  #restoreSql: readonly string[] = [];
  /** The same, for a transaction that has ended: run before the next begin, or on close. */
  #restorePending: readonly string[] = [];
  /** The signal every statement runs under for the time of `withStatementOptions`. */
  #scopeSignal: AbortSignal | undefined;
  /** The engine's and this connection's event listeners. */
  readonly #events: ConnectionEventDispatch;

  constructor(owner: ConnectionOwner, driver: DriverConnection) {
    this.#owner = owner;
    this.dialect = owner.dialect;
    this.#driver = driver;
    this.#transactionOptions = owner.transactionDefaults ?? {};
    this.#events = new ConnectionEventDispatch(this, owner.connectionEvents);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The engine this connection came from (its owner). */
  get engine(): AsyncEngine {
    return this.#owner as AsyncEngine;
  }

  /** @internal This connection's own event listeners (`listen(conn, …)`). */
  get connectionEvents(): ListenerRegistry<ConnectionEventMap> {
    return this.#events.own;
  }

  /** @internal Reports that a transaction (or the savepoint `savepoint`) is about to commit or roll back. */
  transactionEnding(kind: "commit" | "rollback", savepoint?: string): void {
    if (!this.#events.any) return;
    if (savepoint === undefined) this.#events.fire(kind);
    else this.#events.fireSavepoint(kind === "commit" ? "releaseSavepoint" : "rollbackSavepoint", savepoint);
  }

  /** Whether a disconnect invalidated the connection (until `rollback()` and the next use). */
  get invalidated(): boolean {
    return this.#lostWith !== undefined;
  }

  /** Whether a transaction (explicit or autobegun) is open. */
  inTransaction(): boolean {
    return this.#root?.isActive ?? false;
  }

  /** Whether a savepoint is open. */
  inNestedTransaction(): boolean {
    return this.#savepoints.length > 0;
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
  async execute<R>(statement: Executable<R>, params?: NamedParams | readonly NamedParams[], options?: StatementOptions): Promise<Result<R>> {
    if (isParamsList(params)) {
      const statements = prepareMany(this.dialect, statement, params);
      if (options === undefined) return this.#executeMany<R>(statements);
      return this.withStatementOptions(options, () => this.#executeMany<R>(statements));
    }
    const prepared = prepareStatement(this.dialect, statement.node, params);
    if (options === undefined) return this.executePrepared<R>(prepared);
    return this.withStatementOptions(options, () => this.executePrepared<R>(prepared));
  }

  async #executeMany<R>(statements: readonly PreparedStatement[]): Promise<Result<R>> {
    const results: Result<R>[] = [];
    for (const prepared of statements) results.push(await this.executePrepared<R>(prepared));
    return Result.concat(results);
  }

  /**
   * @internal Runs `work` with every statement it issues on this connection under one signal and
   * timeout (an ORM query's SELECT, its eager loads and its autoflush).
   */
  async withStatementOptions<T>(options: StatementOptions, work: () => Promise<T>): Promise<T> {
    const leave = this.enterStatementScope(options);
    try {
      return await work();
    } finally {
      leave();
    }
  }

  /**
   * @internal Puts every statement issued on this connection from now on under `options`' signal
   * and timeout, until the returned function is called (`withStatementOptions` for code written as
   * `Io` generators: `const leave = conn.enterStatementScope(o); try { … } finally { leave(); }`).
   */
  enterStatementScope(options: StatementOptions): () => void {
    const outer = this.#scopeSignal;
    const signal = cancellationSignal(options);
    const scope = outer === undefined || signal === undefined ? (signal ?? outer) : AbortSignal.any([outer, signal]);
    this.#scopeSignal = scope;
    // Only this scope's own: scopes that overlap (a misuse of one connection) must not leave an
    // ended one's signal, perhaps already fired, over every later statement.
    return () => {
      if (this.#scopeSignal === scope) this.#scopeSignal = outer;
    };
  }

  /**
   * Sets how the transactions this connection begins from now on run (SQLAlchemy's
   * `conn.execution_options(isolation_level=…)`), over the engine's `isolationLevel`. Only while no
   * transaction is open; it lasts until the connection goes back to the pool, and each transaction
   * sets it afresh, so it never reaches the next user.
   *
   * ```ts
   * conn.executionOptions({ isolationLevel: "SERIALIZABLE" });
   * await conn.execute(select(users));  // BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT …
   * ```
   */
  executionOptions(options: TransactionOptions): this {
    if (this.inTransaction()) {
      throw new InvalidRequestError("Cannot change the transaction options while a transaction is open; commit or roll it back first");
    }
    const merged = { ...this.#transactionOptions, ...withoutUndefined(options) };
    this.dialect.transactionSql(merged); // refuses what the database cannot do, now rather than at the next BEGIN
    this.#transactionOptions = merged;
    return this;
  }

  /** @internal Runs an already prepared statement (the ORM prepares its own). */
  async executePrepared<R>(prepared: PreparedStatement): Promise<Result<R>> {
    const driverResult = await this.#run(prepared.sql, prepared.params, prepared.plan.executeOptions);
    return this.#resultOf<R>(prepared, driverResult);
  }

  /** @internal Runs a prepared statement and returns the driver's raw array rows (ORM hydration reads these). */
  async executeRaw(prepared: PreparedStatement): Promise<DriverResult> {
    return this.#run(prepared.sql, prepared.params, prepared.plan.executeOptions);
  }

  /**
   * Runs a query and yields rows as the driver delivers them, without buffering the whole
   * result (on drivers with cursors; PGlite buffers).
   */
  async stream<R>(statement: Executable<R>, params?: NamedParams, options: { batchSize?: number } = {}): Promise<StreamingResult<R>> {
    const prepared = prepareStatement(this.dialect, statement.node, params);
    await this.#autobegin();
    const driver = this.#requireOpen();
    const owner = this.#owner;
    if (this.#events.any) this.#events.beforeExecute(prepared.sql, prepared.params, false);
    owner.statementExecuted(prepared.sql, prepared.params);
    let chunks = driver.stream(prepared.sql, prepared.params, {
      exactIntegers: prepared.plan.exactIntegers,
      ...(prepared.plan.untypedColumns === undefined ? {} : { untypedColumns: prepared.plan.untypedColumns }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
    if (owner.timingStatements) chunks = timeStream(owner.statementEnded, prepared.sql, prepared.params, chunks);
    return new StreamingResult<R>(this.#watched(driver, chunks), prepared.plan, (busy) => this.#setBusy(busy, "stream"));
  }

  /**
   * @internal Opens `prepared` as a cursor read `batchSize` rows at a time (the ORM's streams).
   * The connection is busy until the cursor closes, for every statement but those its holder runs
   * through it between batches (`interleave`: a batch's eager loads). Listeners hear of the
   * statement once, as for `stream()`, not of the cursor's fetches.
   */
  async openCursor(prepared: PreparedStatement, options: { batchSize: number; interleave: boolean }): Promise<RowCursor> {
    await this.#autobegin();
    const driver = this.#requireOpen();
    this.#setBusy(true, "stream");
    const port: CursorPort = {
      dialect: this.dialect,
      send: async (sql, params, executeOptions, report) => {
        try {
          return report ? await this.#send(driver, sql, params, executeOptions, true) : await driver.execute(sql, params, executeOptions);
        } catch (error) {
          await this.#failed(driver, error);
          throw error;
        }
      },
      stream: (sql, params, streamOptions) => this.#watched(driver, driver.stream(sql, params, streamOptions)),
      readsDuringStream: driver.readsDuringStream === true,
      release: () => this.#setBusy(false),
    };
    if (this.#events.any) this.#events.beforeExecute(prepared.sql, prepared.params, false);
    this.#owner.statementExecuted(prepared.sql, prepared.params);
    try {
      return await openRowCursor(port, prepared, options);
    } catch (error) {
      this.#setBusy(false);
      throw error;
    }
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
  async begin(options?: TransactionOptions): Promise<Transaction> {
    if (this.inTransaction()) {
      throw new InvalidRequestError("This connection has already initialized a transaction; commit or roll it back first");
    }
    if (this.#lostWith !== undefined && !this.#closed) await this.#reconnect();
    const merged = options === undefined ? this.#transactionOptions : { ...this.#transactionOptions, ...withoutUndefined(options) };
    const sql = this.dialect.transactionSql(merged);
    if (this.#events.any) this.#events.fire("begin");
    try {
      for (const statement of this.#restorePending) await this.runTransactionControl(statement);
      this.#restorePending = [];
      for (const statement of sql.begin) await this.runTransactionControl(statement);
    } catch (error) {
      // BEGIN fails only on a connection that is gone (killed by the server, socket closed):
      // throw it away on close() rather than hand it to the next user.
      if (error instanceof DBAPIError) this.#invalid = true;
      throw error;
    }
    this.#restoreSql = sql.restore;
    this.#root = new Transaction(this, undefined, "");
    return this.#root;
  }

  /** `SAVEPOINT`: a nested transaction (beginning the outer one first if needed). */
  async beginNested(): Promise<Transaction> {
    await this.#autobegin();
    const name = `sp_${++this.#savepointCounter}`;
    const quoted = this.dialect.compiler.quote(name);
    if (this.#events.any) this.#events.fireSavepoint("savepoint", name);
    await this.runTransactionControl(`SAVEPOINT ${quoted}`);
    const savepoint = new Transaction(this, name, quoted);
    this.#savepoints.push(savepoint);
    return savepoint;
  }

  /** Commits the open transaction (explicit or autobegun); a no-op when none is open. */
  async commit(): Promise<void> {
    if (this.#root?.isActive) await this.#root.commit();
  }

  /** Rolls back the open transaction; a no-op when none is open. */
  async rollback(): Promise<void> {
    if (this.#root?.isActive) await this.#root.rollback();
  }

  /** Marks the connection broken: it is discarded instead of returning to the pool. */
  invalidate(): void {
    this.#invalid = true;
  }

  /**
   * Returns the connection to the pool, which rolls back a transaction left open (its reset on
   * return). Safe to call twice; never throws because the connection was lost.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    const driver = this.#driver;
    const transactionOpen = this.inTransaction();
    if (this.#root) {
      // Ended by the pool's reset, without SQL from here.
      this.#root.deactivate();
      this.transactionEnded(this.#root);
    }
    // Undo what a transaction's begin set on the connection (SQLite's query_only) while it is
    // still open to statements. A statement still running (an unfinished stream) leaves the
    // connection mid-protocol: then it is discarded instead.
    if (driver !== undefined && this.#restorePending.length > 0 && !this.#invalid && !this.#busy) await this.#restore();
    if (this.#closed) return; // a concurrent close() finished meanwhile
    this.#closed = true;
    // Read again: a disconnect during the restore gave the driver connection to the pool already.
    const current = this.#driver;
    if (current === undefined) return;
    this.#driver = undefined;
    const invalidate = this.#invalid || this.#busy;
    await this.#owner.releaseConnection(current, { invalidate, transactionOpen });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** `metadata.createAll(conn)`: CREATE TABLE for each table, parents first. */
  async createTables(tables: readonly Table[], options: { checkfirst: boolean }): Promise<void> {
    await createTables(this.#ddlExecutor(), this.dialect, tables, options);
  }

  /** `metadata.dropAll(conn)`: DROP TABLE for each table, children first. */
  async dropTables(tables: readonly Table[], options: { checkfirst: boolean }): Promise<void> {
    await dropTables(this.#ddlExecutor(), this.dialect, tables, options);
  }

  /** Runs literal SQL with positional parameters in the dialect's placeholder style. */
  async execDriverSql(sql: string, params: readonly unknown[] = []): Promise<DriverResult> {
    return this.#run(sql, params, {});
  }

  /**
   * @internal A rollback (`options.rollback`) on an invalidated connection sends nothing, and one
   * that fails with a disconnect does not throw: the server ended the transaction with the session.
   */
  async runTransactionControl(sql: string, options: { rollback?: boolean } = {}): Promise<void> {
    if (options.rollback && this.#lostWith !== undefined && !this.#closed) return;
    const driver = this.#requireOpen();
    this.#setBusy(true);
    try {
      await this.#send(driver, sql, [], {}, true);
    } catch (error) {
      if ((await this.#failed(driver, error)) && options.rollback) return;
      throw error;
    } finally {
      this.#setBusy(false);
    }
  }

  /** @internal */
  transactionEnded(transaction: Transaction): void {
    if (transaction === this.#root) {
      for (const sp of this.#savepoints.splice(0)) sp.deactivate();
      this.#root = undefined;
      this.#restorePending = this.#restoreSql;
      this.#restoreSql = [];
      return;
    }
    const index = this.#savepoints.indexOf(transaction);
    if (index >= 0) for (const sp of this.#savepoints.splice(index)) sp.deactivate();
  }

  #ddlExecutor() {
    return { execute: (sql: string, params: unknown[]) => this.#run(sql, params, {}) };
  }

  /** Undoes the ended transaction's connection state before the pool gets it; failing that, discards it. */
  async #restore(): Promise<void> {
    try {
      for (const statement of this.#restorePending) await this.runTransactionControl(statement);
      this.#restorePending = [];
    } catch {
      this.#invalid = true;
    }
  }

  async #autobegin(): Promise<void> {
    if (!this.inTransaction()) await this.begin();
  }

  async #run(sql: string, params: readonly unknown[], options: ExecuteOptions): Promise<DriverResult> {
    // Checked inline: most statements run in an open transaction, and skip an await.
    if (!this.inTransaction()) await this.begin();
    const driver = this.#requireOpen();
    this.#setBusy(true);
    try {
      const signal = this.#scopeSignal;
      return await this.#send(driver, sql, params, signal === undefined ? options : { ...options, signal });
    } catch (error) {
      await this.#failed(driver, error);
      throw error;
    } finally {
      this.#setBusy(false);
    }
  }

  /**
   * Reports a statement to the engine's listeners and runs it, timed only when someone listens;
   * a statement (not transaction `control`) goes through the connection events when any is listened to.
   */
  #send(driver: DriverConnection, sql: string, params: readonly unknown[], options: ExecuteOptions, control = false): Promise<DriverResult> {
    if (!control && this.#events.any) return this.#sendObserved(driver, sql, params, options);
    return this.#sendPlain(driver, sql, params, options);
  }

  /** `#send` with `beforeExecute`, `afterExecute` and `handleError` around the statement. */
  async #sendObserved(driver: DriverConnection, sql: string, params: readonly unknown[], options: ExecuteOptions): Promise<DriverResult> {
    const events = this.#events;
    ({ sql, params } = events.beforeExecute(sql, params, true));
    let result: DriverResult;
    try {
      result = await this.#sendPlain(driver, sql, params, options);
    } catch (error) {
      throw events.handleError(error, sql, params, error instanceof DBAPIError && (error.connectionInvalidated || driver.lost === true));
    }
    events.afterExecute(sql, params, result);
    return result;
  }

  #sendPlain(driver: DriverConnection, sql: string, params: readonly unknown[], options: ExecuteOptions): Promise<DriverResult> {
    const owner = this.#owner;
    owner.statementExecuted(sql, params);
    if (owner.timingStatements) return timeStatement(owner.statementEnded, sql, params, () => driver.execute(sql, params, options));
    return driver.execute(sql, params, options);
  }

  /**
   * After a statement failed: when the error is a disconnect (or left the driver connection
   * lost), flags it `connectionInvalidated`, invalidates this connection and gives the driver
   * connection to the pool to discard (SQLAlchemy's `_handle_dbapi_exception`). True when it did.
   */
  async #failed(driver: DriverConnection, error: unknown): Promise<boolean> {
    if (!(error instanceof DBAPIError) || !(error.connectionInvalidated || driver.lost === true)) return false;
    error.connectionInvalidated = true;
    if (this.#driver !== driver) return true;
    this.#lostWith = error;
    this.#driver = undefined;
    await this.#owner.releaseConnection(driver, { invalidate: true, transactionOpen: false, cause: error });
    return true;
  }

  /** The driver's rows, invalidating this connection if reading them fails with a disconnect. */
  async *#watched(driver: DriverConnection, chunks: AsyncIterable<StreamChunk>): AsyncIterable<StreamChunk> {
    try {
      yield* chunks;
    } catch (error) {
      await this.#failed(driver, error);
      throw error;
    }
  }

  /** Used again after a disconnect, with no transaction open: a fresh connection from the pool. */
  async #reconnect(): Promise<void> {
    this.#driver = await this.#owner.acquireConnection();
    this.#lostWith = undefined;
    this.#invalid = false;
  }

  #resultOf<R>(prepared: PreparedStatement, driverResult: DriverResult): Result<R> {
    const meta = { rowsAffected: driverResult.rowsAffected, lastInsertId: driverResult.lastInsertId };
    if (prepared.plan.keys.length === 0 && driverResult.columns.length > 0) {
      // Textual SQL without declared columns: rows keyed by the driver's column names, values as the
      // driver parsed them (ExecuteOptions.untypedColumns).
      const keys = driverResult.columns;
      const rows = rowsFrom<R>(driverResult, { ...prepared.plan, keys, resultProcessors: [] });
      return new Result<R>(rows, { ...meta, keys });
    }
    return new Result<R>(rowsFrom<R>(driverResult, prepared.plan), { ...meta, keys: prepared.plan.keys });
  }

  #requireOpen(): DriverConnection {
    if (this.#closed) throw new InvalidRequestError("This connection is closed");
    if (this.#driver === undefined) {
      throw new PendingRollbackError(
        "Can't reconnect until invalid transaction is rolled back. Please rollback() fully before proceeding. " +
          `The connection was invalidated by: ${this.#lostWith?.message.split("\n")[0] ?? "a lost connection"}`,
        { cause: this.#lostWith },
      );
    }
    return this.#driver;
  }

  #setBusy(busy: boolean, by: "statement" | "stream" = "statement"): void {
    if (busy && this.#busy) {
      if (this.#busyBy === "stream") {
        throw new IllegalStateChangeError(
          "This connection is reading a stream: finish, break out of or close() the stream's iteration before running another statement on it",
        );
      }
      throw new IllegalStateChangeError(
        "This connection is already running a statement; one connection cannot run two statements at once " +
          "(await each call, or use one connection per concurrent task)",
      );
    }
    this.#busy = busy;
    this.#busyBy = by;
  }
}
