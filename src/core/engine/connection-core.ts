import { withoutUndefined } from "../../shared/without-undefined.ts";
import { DBAPIError, IllegalStateChangeError, InvalidRequestError, PendingRollbackError } from "../../shared/errors.ts";
import { type Io, type MaybePromise, io } from "../../shared/io.ts";
import type { ListenerRegistry } from "../../shared/listener-registry.ts";
import type { Dialect } from "../dialects/dialect.ts";
import type { TransactionOptions } from "../dialects/transaction-options.ts";
import type { DriverConnection, DriverResult, ExecuteOptions } from "../drivers/driver.ts";
import type { Table } from "../schema/table.ts";
import type { AsyncConnection } from "./async-connection.ts";
import { ConnectionEventDispatch } from "./connection-event-dispatch.ts";
import type { ConnectionEventMap } from "./connection-events.ts";
import { createTables, type DdlExecutor, dropTables } from "./ddl-operations.ts";
import type { Executable, NamedParams } from "./executable.ts";
import { isParamsList, prepareMany } from "./execute-many.ts";
import { type PreparedStatement, prepareStatement, rowsFrom } from "./prepared-statement.ts";
import { Result } from "./result.ts";
import { type CursorPort, type RowCursor, openRowCursor } from "./row-cursor.ts";
import { type StatementEndListener, timeStatement } from "./statement-event.ts";
import { type StatementOptions, cancellationSignal } from "./statement-options.ts";
import type { TransactionCore, TransactionHost } from "./transaction-core.ts";

/**
 * What a connection needs from its engine. An `AsyncEngine` answers with promises, the
 * synchronous `Engine` with values (`MaybePromise`): the connection yields either through `io()`.
 */
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
  releaseConnection(connection: DriverConnection, options: { invalidate: boolean; transactionOpen: boolean; cause?: unknown }): MaybePromise<void>;
  /** @internal A fresh connection, for a connection used again after it was invalidated. */
  acquireConnection(): MaybePromise<DriverConnection>;
  /** @internal The engine's event listeners (`listen(engine, …)`). */
  readonly connectionEvents?: ListenerRegistry<ConnectionEventMap>;
}

/**
 * The logic of a connection, written once for `AsyncConnection` and the synchronous `Connection`
 * (docs/adr/0014): autobegin, transactions and savepoints, invalidation after a disconnect,
 * connection events, statement reports and timing, the SQL that undoes a transaction's settings,
 * `executionOptions` and DDL. Its I/O methods are `Io` generators yielding the driver's and the
 * engine's calls; each shell runs them (`runAsync` / `runSync`) under the public names, and makes
 * the transaction objects (`Tx`) of its kind.
 *
 * The `…Io` methods are `@internal`: code written as `Io` generators over either connection (the
 * ORM) may `yield*` them directly, saving the shell's promise on the asynchronous side.
 */
export abstract class ConnectionCore<Tx extends TransactionCore> implements TransactionHost {
  /** The engine. */
  protected readonly owner: ConnectionOwner;
  readonly dialect: Dialect;
  #driver: DriverConnection | undefined;
  #root: Tx | undefined;
  readonly #savepoints: Tx[] = [];
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
  /** The signal every statement runs under for the time of a statement scope. */
  #scopeSignal: AbortSignal | undefined;
  /** The engine's and this connection's event listeners. */
  protected readonly events: ConnectionEventDispatch;

  constructor(owner: ConnectionOwner, driver: DriverConnection) {
    this.owner = owner;
    this.dialect = owner.dialect;
    this.#driver = driver;
    this.#transactionOptions = owner.transactionDefaults ?? {};
    // Listeners are typed for AsyncConnection; the synchronous Connection is handed to them the same way.
    this.events = new ConnectionEventDispatch(this as unknown as AsyncConnection, owner.connectionEvents);
  }

  /** A transaction object of the shell's kind (`Transaction` or `SyncTransaction`). */
  protected abstract newTransaction(savepoint: string | undefined, quotedName: string): Tx;

  get closed(): boolean {
    return this.#closed;
  }

  /** @internal This connection's own event listeners (`listen(conn, …)`). */
  get connectionEvents(): ListenerRegistry<ConnectionEventMap> {
    return this.events.own;
  }

  /** @internal Reports that a transaction (or the savepoint `savepoint`) is about to commit or roll back. */
  transactionEnding(kind: "commit" | "rollback", savepoint?: string): void {
    if (!this.events.any) return;
    if (savepoint === undefined) this.events.fire(kind);
    else this.events.fireSavepoint(kind === "commit" ? "releaseSavepoint" : "rollbackSavepoint", savepoint);
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

  /** @internal `execute()`: one statement, or one per parameter set (see the shells' overloads). */
  *executeIo<R>(statement: Executable<R>, params?: NamedParams | readonly NamedParams[], options?: StatementOptions): Io<Result<R>> {
    if (isParamsList(params)) {
      const statements = prepareMany(this.dialect, statement, params);
      if (options === undefined) return yield* this.#executeMany<R>(statements);
      const leave = this.enterStatementScope(options);
      try {
        return yield* this.#executeMany<R>(statements);
      } finally {
        leave();
      }
    }
    const prepared = prepareStatement(this.dialect, statement.node, params);
    if (options === undefined) return yield* this.executePreparedIo<R>(prepared);
    const leave = this.enterStatementScope(options);
    try {
      return yield* this.executePreparedIo<R>(prepared);
    } finally {
      leave();
    }
  }

  *#executeMany<R>(statements: readonly PreparedStatement[]): Io<Result<R>> {
    const results: Result<R>[] = [];
    for (const prepared of statements) results.push(yield* this.executePreparedIo<R>(prepared));
    return Result.concat(results);
  }

  /**
   * @internal Puts every statement issued on this connection from now on under `options`' signal
   * and timeout, until the returned function is called (for code written as `Io` generators:
   * `const leave = conn.enterStatementScope(o); try { … } finally { leave(); }`).
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

  /** @internal `executePrepared()`: runs an already prepared statement. */
  *executePreparedIo<R>(prepared: PreparedStatement): Io<Result<R>> {
    const driverResult = yield* this.#run(prepared.sql, prepared.params, prepared.plan.executeOptions);
    return this.#resultOf<R>(prepared, driverResult);
  }

  /** @internal `executeRaw()`: a prepared statement's raw driver result. */
  executeRawIo(prepared: PreparedStatement): Io<DriverResult> {
    return this.#run(prepared.sql, prepared.params, prepared.plan.executeOptions);
  }

  /** @internal `execDriverSql()`: literal SQL with positional parameters. */
  execDriverSqlIo(sql: string, params: readonly unknown[] = []): Io<DriverResult> {
    return this.#run(sql, params, {});
  }

  /** @internal `begin()`: BEGIN (with the transaction options' SQL); an error if a transaction is open. */
  *beginIo(options?: TransactionOptions): Io<Tx> {
    if (this.inTransaction()) {
      throw new InvalidRequestError("This connection has already initialized a transaction; commit or roll it back first");
    }
    if (this.#lostWith !== undefined && !this.#closed) yield* this.#reconnect();
    const merged = options === undefined ? this.#transactionOptions : { ...this.#transactionOptions, ...withoutUndefined(options) };
    const sql = this.dialect.transactionSql(merged);
    if (this.events.any) this.events.fire("begin");
    try {
      for (const statement of this.#restorePending) yield* this.runTransactionControlIo(statement);
      this.#restorePending = [];
      for (const statement of sql.begin) yield* this.runTransactionControlIo(statement);
    } catch (error) {
      // BEGIN fails only on a connection that is gone (killed by the server, socket closed):
      // throw it away on close() rather than hand it to the next user.
      if (error instanceof DBAPIError) this.#invalid = true;
      throw error;
    }
    this.#restoreSql = sql.restore;
    this.#root = this.newTransaction(undefined, "");
    return this.#root;
  }

  /** @internal `beginNested()`: SAVEPOINT, beginning the outer transaction first if needed. */
  *beginNestedIo(): Io<Tx> {
    yield* this.autobeginIo();
    const name = `sp_${++this.#savepointCounter}`;
    const quoted = this.dialect.compiler.quote(name);
    if (this.events.any) this.events.fireSavepoint("savepoint", name);
    yield* this.runTransactionControlIo(`SAVEPOINT ${quoted}`);
    const savepoint = this.newTransaction(name, quoted);
    this.#savepoints.push(savepoint);
    return savepoint;
  }

  /** @internal `commit()`: commits the open transaction; nothing when none is open. */
  *commitIo(): Io<void> {
    if (this.#root?.isActive) yield* this.#root.commitIo();
  }

  /** @internal `rollback()`: rolls back the open transaction; nothing when none is open. */
  *rollbackIo(): Io<void> {
    if (this.#root?.isActive) yield* this.#root.rollbackIo();
  }

  /** Marks the connection broken: it is discarded instead of returning to the pool. */
  invalidate(): void {
    this.#invalid = true;
  }

  /**
   * @internal `close()`: gives the connection back to the pool, which rolls back a transaction
   * left open (its reset on return). Safe twice; never throws because the connection was lost.
   */
  *closeIo(): Io<void> {
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
    if (driver !== undefined && this.#restorePending.length > 0 && !this.#invalid && !this.#busy) yield* this.#restore();
    if (this.#closed) return; // a concurrent close() finished meanwhile
    this.#closed = true;
    // Read again: a disconnect during the restore gave the driver connection to the pool already.
    const current = this.#driver;
    if (current === undefined) return;
    this.#driver = undefined;
    const invalidate = this.#invalid || this.#busy;
    yield* io(this.owner.releaseConnection(current, { invalidate, transactionOpen }));
  }

  /** @internal `createTables()` (`metadata.createAll(conn)`): CREATE TABLE for each table, parents first. */
  createTablesIo(tables: readonly Table[], options: { checkfirst: boolean }): Io<void> {
    return createTables(this.#ddlExecutor(), this.dialect, tables, options);
  }

  /** @internal `dropTables()` (`metadata.dropAll(conn)`): DROP TABLE for each table, children first. */
  dropTablesIo(tables: readonly Table[], options: { checkfirst: boolean }): Io<void> {
    return dropTables(this.#ddlExecutor(), this.dialect, tables, options);
  }

  /**
   * @internal Opens `prepared` as a cursor read `batchSize` rows at a time (the ORM's streams).
   * The connection is busy until the cursor closes, for every statement but those its holder runs
   * through it between batches (`interleave`: a batch's eager loads). Listeners hear of the
   * statement once, as for `stream()`, not of the cursor's fetches.
   */
  *openCursorIo(prepared: PreparedStatement, options: { batchSize: number; interleave: boolean }): Io<RowCursor> {
    yield* this.autobeginIo();
    const driver = this.requireOpen();
    this.setBusy(true, "stream");
    const connection = this;
    const port: CursorPort = {
      dialect: this.dialect,
      *sendIo(sql, params, executeOptions, report) {
        try {
          return report ? yield* connection.sendIo(driver, sql, params, executeOptions, true) : yield* io(driver.execute(sql, params, executeOptions));
        } catch (error) {
          yield* connection.failedIo(driver, error);
          throw error;
        }
      },
      stream: (sql, params, streamOptions) => driver.stream(sql, params, streamOptions),
      *failedIo(error) {
        yield* connection.failedIo(driver, error);
      },
      readsDuringStream: driver.readsDuringStream === true,
      release: () => this.setBusy(false),
    };
    if (this.events.any) this.events.beforeExecute(prepared.sql, prepared.params, false);
    this.owner.statementExecuted(prepared.sql, prepared.params);
    try {
      return yield* openRowCursor(port, prepared, options);
    } catch (error) {
      this.setBusy(false);
      throw error;
    }
  }

  /**
   * @internal A rollback (`options.rollback`) on an invalidated connection sends nothing, and one
   * that fails with a disconnect does not throw: the server ended the transaction with the session.
   */
  *runTransactionControlIo(sql: string, options: { rollback?: boolean } = {}): Io<void> {
    if (options.rollback && this.#lostWith !== undefined && !this.#closed) return;
    const driver = this.requireOpen();
    this.setBusy(true);
    try {
      yield* this.sendIo(driver, sql, [], {}, true);
    } catch (error) {
      if ((yield* this.failedIo(driver, error)) && options.rollback) return;
      throw error;
    } finally {
      this.setBusy(false);
    }
  }

  /** @internal */
  transactionEnded(transaction: TransactionCore): void {
    if (transaction === this.#root) {
      for (const sp of this.#savepoints.splice(0)) sp.deactivate();
      this.#root = undefined;
      this.#restorePending = this.#restoreSql;
      this.#restoreSql = [];
      return;
    }
    const index = this.#savepoints.indexOf(transaction as Tx);
    if (index >= 0) for (const sp of this.#savepoints.splice(index)) sp.deactivate();
  }

  #ddlExecutor(): DdlExecutor {
    return { execute: (sql: string, params: unknown[]) => this.#run(sql, params, {}) };
  }

  /** Undoes the ended transaction's connection state before the pool gets it; failing that, discards it. */
  *#restore(): Io<void> {
    try {
      for (const statement of this.#restorePending) yield* this.runTransactionControlIo(statement);
      this.#restorePending = [];
    } catch {
      this.#invalid = true;
    }
  }

  /** Begins a transaction unless one is open. */
  protected *autobeginIo(): Io<void> {
    if (!this.inTransaction()) yield* this.beginIo();
  }

  *#run(sql: string, params: readonly unknown[], options: ExecuteOptions): Io<DriverResult> {
    if (!this.inTransaction()) yield* this.beginIo();
    const driver = this.requireOpen();
    this.setBusy(true);
    try {
      const signal = this.#scopeSignal;
      const sent = signal === undefined ? options : { ...options, signal };
      const owner = this.owner;
      if (this.events.any || owner.timingStatements) return yield* this.sendIo(driver, sql, params, sent);
      // The hot path, unobserved: `sendIo` without its two generators (the yield is `io()`'s).
      owner.statementExecuted(sql, params);
      return (yield driver.execute(sql, params, sent)) as DriverResult;
    } catch (error) {
      yield* this.failedIo(driver, error);
      throw error;
    } finally {
      this.setBusy(false);
    }
  }

  /**
   * Reports a statement to the engine's listeners and runs it, timed only when someone listens;
   * a statement (not transaction `control`) goes through the connection events when any is listened to.
   */
  protected sendIo(driver: DriverConnection, sql: string, params: readonly unknown[], options: ExecuteOptions, control = false): Io<DriverResult> {
    if (!control && this.events.any) return this.#sendObserved(driver, sql, params, options);
    return this.#sendPlain(driver, sql, params, options);
  }

  /** `sendIo` with `beforeExecute`, `afterExecute` and `handleError` around the statement. */
  *#sendObserved(driver: DriverConnection, sql: string, params: readonly unknown[], options: ExecuteOptions): Io<DriverResult> {
    const events = this.events;
    ({ sql, params } = events.beforeExecute(sql, params, true));
    let result: DriverResult;
    try {
      result = yield* this.#sendPlain(driver, sql, params, options);
    } catch (error) {
      throw events.handleError(error, sql, params, error instanceof DBAPIError && (error.connectionInvalidated || driver.lost === true));
    }
    events.afterExecute(sql, params, result);
    return result;
  }

  #sendPlain(driver: DriverConnection, sql: string, params: readonly unknown[], options: ExecuteOptions): Io<DriverResult> {
    const owner = this.owner;
    owner.statementExecuted(sql, params);
    if (owner.timingStatements) return timeStatement(owner.statementEnded, sql, params, () => driver.execute(sql, params, options));
    return io(driver.execute(sql, params, options));
  }

  /**
   * After a statement failed: when the error is a disconnect (or left the driver connection
   * lost), flags it `connectionInvalidated`, invalidates this connection and gives the driver
   * connection to the pool to discard (SQLAlchemy's `_handle_dbapi_exception`). True when it did.
   */
  protected *failedIo(driver: DriverConnection, error: unknown): Io<boolean> {
    if (!(error instanceof DBAPIError) || !(error.connectionInvalidated || driver.lost === true)) return false;
    error.connectionInvalidated = true;
    if (this.#driver !== driver) return true;
    this.#lostWith = error;
    this.#driver = undefined;
    yield* io(this.owner.releaseConnection(driver, { invalidate: true, transactionOpen: false, cause: error }));
    return true;
  }

  /** Used again after a disconnect, with no transaction open: a fresh connection from the pool. */
  *#reconnect(): Io<void> {
    this.#driver = yield* io(this.owner.acquireConnection());
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

  /** The driver connection, or why there is none (closed, or invalidated and not rolled back yet). */
  protected requireOpen(): DriverConnection {
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

  /** Marks the connection running a statement (or reading a stream), refusing a second one meanwhile. */
  protected setBusy(busy: boolean, by: "statement" | "stream" = "statement"): void {
    if (busy && this.#busy) throw this.busyError(this.#busyBy);
    this.#busy = busy;
    this.#busyBy = by;
  }

  /** Why a statement cannot run now: another one is running (`by` "statement"), or a stream is being read. */
  protected busyError(by: "statement" | "stream"): IllegalStateChangeError {
    if (by === "stream") {
      return new IllegalStateChangeError(
        "This connection is reading a stream: finish, break out of or close() the stream's iteration before running another statement on it",
      );
    }
    return new IllegalStateChangeError(
      "This connection is already running a statement; one connection cannot run two statements at once " +
        "(await each call, or use one connection per concurrent task)",
    );
  }
}
