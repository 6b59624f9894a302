import { type Io, io } from "../../shared/io.ts";
import { ListenerRegistry } from "../../shared/listener-registry.ts";
import type { Dialect } from "../dialects/dialect.ts";
import type { IsolationLevel, TransactionOptions } from "../dialects/transaction-options.ts";
import type { DriverConnection } from "../drivers/driver.ts";
import type { ConnectionEventMap } from "./connection-events.ts";
import { type Logger, statementLogger } from "./logger.ts";
import { type StatementEndListener, type StatementEvent, timeStatement } from "./statement-event.ts";

/** Receives each statement the engine runs, before it runs: statement counting in tests. */
export type StatementListener = (sql: string, params: readonly unknown[]) => void;

/** What both engines take for statement reports and transactions. */
export interface EngineCoreOptions {
  /**
   * Log every statement with its parameters and duration, and BEGIN/COMMIT/ROLLBACK, at info
   * (`true`); `"debug"` adds each result's row count and columns at debug. Failed statements are
   * logged at error. Goes to `logger` (the console without one); a function here is the logger.
   * Default: on when `logger` is given, off otherwise.
   */
  readonly echo?: boolean | "debug" | ((line: string) => void);
  /** Where `echo` writes: `console`, a pino logger, `{ info, debug, error … }` or `(message, level) => …`. */
  readonly logger?: Logger;
  /**
   * The isolation level of every transaction (SQLAlchemy's `create_engine(isolation_level=…)`),
   * set per transaction (`BEGIN ISOLATION LEVEL …`), so the pool never has to undo it. Default:
   * the database's own.
   */
  readonly isolationLevel?: IsolationLevel;
}

/**
 * What `AsyncEngine` and the synchronous `Engine` share: the dialect, the transaction defaults,
 * statement listeners (`onStatement`, `onStatementEnd`, `echo`) and connection events
 * (`listen(engine, …)`), which their connections (`ConnectionCore`) report to.
 */
export abstract class EngineCore {
  readonly dialect: Dialect;
  readonly url: string;
  readonly transactionDefaults: TransactionOptions;
  readonly #listeners = new Set<StatementListener>();
  readonly #endListeners = new Set<StatementEndListener>();
  /** @internal The listeners of every connection's events (`listen(engine, "beforeExecute", …)`). */
  readonly connectionEvents = new ListenerRegistry<ConnectionEventMap>();

  constructor(url: string, dialect: Dialect, options: EngineCoreOptions) {
    this.url = url;
    this.dialect = dialect;
    this.transactionDefaults = options.isolationLevel === undefined ? {} : { isolationLevel: options.isolationLevel };
    dialect.transactionSql(this.transactionDefaults); // a level the database cannot run fails here, not at the first BEGIN
    const { echo = options.logger !== undefined, logger = console } = options;
    if (echo !== false) {
      this.onStatementEnd(statementLogger(typeof echo === "function" ? echo : logger, echo === "debug" ? "debug" : "info"));
    }
  }

  /** @internal Someone listens for statement ends: connections time statements only then. */
  get timingStatements(): boolean {
    return this.#endListeners.size > 0;
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

  /** @internal */
  statementExecuted(sql: string, params: readonly unknown[]): void {
    for (const listener of this.#listeners) listener(sql, params);
  }

  /** @internal */
  readonly statementEnded = (event: StatementEvent): void => {
    for (const listener of this.#endListeners) listener(event);
  };

  /** The pool's ROLLBACK on return, reported (onStatement, echo) like any other statement. */
  protected *sendResetIo(connection: DriverConnection): Io<void> {
    this.statementExecuted("ROLLBACK", []);
    if (this.timingStatements) yield* timeStatement(this.statementEnded, "ROLLBACK", [], () => connection.execute("ROLLBACK", []));
    else yield* io(connection.execute("ROLLBACK", []));
  }
}
