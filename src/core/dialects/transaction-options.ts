import { ArgumentError, NotSupportedFeatureError } from "../../shared/errors.ts";

/**
 * The SQL standard's isolation levels, spelled as SQLAlchemy's `isolation_level` spells them.
 * `"AUTOCOMMIT"` (no transaction at all) is accepted by name and refused: a connection here
 * always begins a transaction before its first statement.
 */
export type IsolationLevel = "SERIALIZABLE" | "REPEATABLE READ" | "READ COMMITTED" | "READ UNCOMMITTED" | "AUTOCOMMIT";

/** How to begin one transaction: `conn.begin({ isolationLevel, readOnly })`. */
export interface TransactionOptions {
  /** Left out: the engine's `isolationLevel`, else the database's default. */
  readonly isolationLevel?: IsolationLevel | undefined;
  /** Refuse writes for the whole transaction (`BEGIN READ ONLY`, `START TRANSACTION READ ONLY`). */
  readonly readOnly?: boolean | undefined;
}

/** The statements a dialect runs for one transaction's options. */
export interface TransactionSql {
  /** Run in order to begin it (`["SET TRANSACTION ISOLATION LEVEL …", "START TRANSACTION READ ONLY"]`). */
  readonly begin: readonly string[];
  /**
   * Run once it has ended, to undo connection state the begin set (SQLite's `PRAGMA query_only`);
   * empty where the options last one transaction only.
   */
  readonly restore: readonly string[];
}

const LEVELS: readonly IsolationLevel[] = ["SERIALIZABLE", "REPEATABLE READ", "READ COMMITTED", "READ UNCOMMITTED", "AUTOCOMMIT"];

/**
 * The isolation level asked for, checked: an unknown name is an `ArgumentError` (a typo must not
 * silently run at the default level) and `"AUTOCOMMIT"` a `NotSupportedFeatureError`.
 */
export function requireIsolationLevel(options: TransactionOptions): Exclude<IsolationLevel, "AUTOCOMMIT"> | undefined {
  const level = options.isolationLevel;
  if (level === undefined) return undefined;
  if (!LEVELS.includes(level)) {
    throw new ArgumentError(`isolationLevel must be one of ${LEVELS.map((l) => `"${l}"`).join(", ")} (got ${JSON.stringify(level)})`);
  }
  if (level === "AUTOCOMMIT") {
    throw new NotSupportedFeatureError(
      'isolationLevel "AUTOCOMMIT" is not supported: a connection always begins a transaction before its first statement. ' +
        "Commit after each statement instead (engine.execute(stmt) does)",
    );
  }
  return level;
}
