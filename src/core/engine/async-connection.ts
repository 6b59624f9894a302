import { DBAPIError, IllegalStateChangeError, InvalidRequestError } from "../../shared/errors.ts";
import type { Dialect } from "../dialects/dialect.ts";
import type { DriverConnection, DriverResult, ExecuteOptions } from "../drivers/driver.ts";
import type { DdlRunner } from "../schema/metadata.ts";
import type { Table } from "../schema/table.ts";
import { createTables, dropTables } from "./ddl-operations.ts";
import type { Executable, NamedParams } from "./executable.ts";
import { type PreparedStatement, prepareStatement, rowsFrom } from "./prepared-statement.ts";
import { Result } from "./result.ts";
import { type StatementEndListener, timeStatement, timeStream } from "./statement-event.ts";
import { StreamingResult } from "./streaming-result.ts";
import { Transaction, type TransactionHost } from "./transaction.ts";

/** What a connection needs from its engine. */
export interface ConnectionOwner {
  readonly dialect: Dialect;
  /** @internal Reports a statement before it runs (`onStatement`). */
  statementExecuted(sql: string, params: readonly unknown[]): void;
  /** @internal Someone listens for statement ends (`echo`, `onStatementEnd`): time statements. */
  readonly timingStatements: boolean;
  /** @internal Reports a statement's end, with its duration. */
  readonly statementEnded: StatementEndListener;
  /**
   * @internal Takes the connection back, to be reset by the pool (which rolls back a transaction
   * left open), or throws it away.
   */
  releaseConnection(connection: DriverConnection, options: { invalidate: boolean; transactionOpen: boolean }): Promise<void>;
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
 */
export class AsyncConnection implements DdlRunner, TransactionHost, AsyncDisposable {
  readonly #owner: ConnectionOwner;
  readonly dialect: Dialect;
  #driver: DriverConnection | undefined;
  #root: Transaction | undefined;
  readonly #savepoints: Transaction[] = [];
  #savepointCounter = 0;
  #busy = false;
  #invalid = false;

  constructor(owner: ConnectionOwner, driver: DriverConnection) {
    this.#owner = owner;
    this.dialect = owner.dialect;
    this.#driver = driver;
  }

  get closed(): boolean {
    return this.#driver === undefined;
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
   */
  async execute<R>(statement: Executable<R>, params?: NamedParams): Promise<Result<R>> {
    const prepared = prepareStatement(this.dialect, statement.node, params);
    return this.executePrepared<R>(prepared);
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
    const driver = this.#requireOpen();
    await this.#autobegin();
    const owner = this.#owner;
    owner.statementExecuted(prepared.sql, prepared.params);
    let chunks = driver.stream(prepared.sql, prepared.params, {
      exactIntegers: prepared.plan.exactIntegers,
      ...(prepared.plan.untypedColumns === undefined ? {} : { untypedColumns: prepared.plan.untypedColumns }),
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    });
    if (owner.timingStatements) chunks = timeStream(owner.statementEnded, prepared.sql, prepared.params, chunks);
    return new StreamingResult<R>(chunks, prepared.plan, (busy) => this.#setBusy(busy));
  }

  /** Begins the transaction explicitly; an error if one is already open. */
  async begin(): Promise<Transaction> {
    if (this.inTransaction()) {
      throw new InvalidRequestError("This connection has already initialized a transaction; commit or roll it back first");
    }
    try {
      await this.runTransactionControl(this.dialect.beginSql);
    } catch (error) {
      // BEGIN fails only on a connection that is gone (killed by the server, socket closed):
      // throw it away on close() rather than hand it to the next user.
      if (error instanceof DBAPIError) this.#invalid = true;
      throw error;
    }
    this.#root = new Transaction(this, undefined, "");
    return this.#root;
  }

  /** `SAVEPOINT`: a nested transaction (beginning the outer one first if needed). */
  async beginNested(): Promise<Transaction> {
    await this.#autobegin();
    const name = `sp_${++this.#savepointCounter}`;
    const quoted = this.dialect.compiler.quote(name);
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
   * return). Safe to call twice.
   */
  async close(): Promise<void> {
    const driver = this.#driver;
    if (driver === undefined) return;
    const transactionOpen = this.inTransaction();
    if (this.#root) {
      // Ended by the pool's reset, without SQL from here.
      this.#root.deactivate();
      this.transactionEnded(this.#root);
    }
    this.#driver = undefined;
    // A statement still running (an unfinished stream) leaves the connection mid-protocol.
    const invalidate = this.#invalid || this.#busy;
    await this.#owner.releaseConnection(driver, { invalidate, transactionOpen });
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

  /** @internal */
  async runTransactionControl(sql: string): Promise<void> {
    const driver = this.#requireOpen();
    this.#setBusy(true);
    try {
      const owner = this.#owner;
      owner.statementExecuted(sql, []);
      if (owner.timingStatements) await timeStatement(owner.statementEnded, sql, [], () => driver.execute(sql, []));
      else await driver.execute(sql, []);
    } finally {
      this.#setBusy(false);
    }
  }

  /** @internal */
  transactionEnded(transaction: Transaction): void {
    if (transaction === this.#root) {
      for (const sp of this.#savepoints.splice(0)) sp.deactivate();
      this.#root = undefined;
      return;
    }
    const index = this.#savepoints.indexOf(transaction);
    if (index >= 0) for (const sp of this.#savepoints.splice(index)) sp.deactivate();
  }

  #ddlExecutor() {
    return { execute: (sql: string, params: unknown[]) => this.#run(sql, params, {}) };
  }

  async #autobegin(): Promise<void> {
    if (!this.inTransaction()) await this.begin();
  }

  async #run(sql: string, params: readonly unknown[], options: ExecuteOptions): Promise<DriverResult> {
    const driver = this.#requireOpen();
    // Checked inline: most statements run in an open transaction, and skip an await.
    if (!this.inTransaction()) await this.begin();
    this.#setBusy(true);
    try {
      const owner = this.#owner;
      owner.statementExecuted(sql, params);
      if (owner.timingStatements) return await timeStatement(owner.statementEnded, sql, params, () => driver.execute(sql, params, options));
      return await driver.execute(sql, params, options);
    } finally {
      this.#setBusy(false);
    }
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
    if (this.#driver === undefined) throw new InvalidRequestError("This connection is closed");
    return this.#driver;
  }

  #setBusy(busy: boolean): void {
    if (busy && this.#busy) {
      throw new IllegalStateChangeError(
        "This connection is already running a statement; one connection cannot run two statements at once " +
          "(await each call, or use one connection per concurrent task)",
      );
    }
    this.#busy = busy;
  }
}
