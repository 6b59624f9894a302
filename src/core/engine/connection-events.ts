import type { AsyncConnection } from "./async-connection.ts";
import type { AsyncEngine } from "./async-engine.ts";

/** What `handleError` listeners receive (SQLAlchemy's `ExceptionContext`). */
export interface ExceptionContext {
  readonly connection: AsyncConnection;
  readonly engine: AsyncEngine;
  /** The error the statement raised (already translated into the `DBAPIError` tree). */
  readonly error: unknown;
  readonly sql: string;
  readonly params: readonly unknown[];
  /** Whether the error is a lost connection (the connection will be invalidated). */
  readonly isDisconnect: boolean;
}

/** A statement's outcome, as `afterExecute` listeners see it. */
export interface ExecuteOutcome {
  readonly columns: readonly string[];
  readonly rowCount: number;
  readonly rowsAffected: number;
}

/** The SQL and parameters a `beforeExecute` listener registered with `retval: true` sends instead. */
export interface ReplacedStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * The events of an `AsyncEngine` (every connection it hands out) or of one `AsyncConnection`
 * (SQLAlchemy's `ConnectionEvents`; `beforeExecute`/`afterExecute` fire where SQLAlchemy's
 * `before_cursor_execute`/`after_cursor_execute` do: with the rendered SQL, once per statement
 * sent, transaction control excluded).
 */
export interface ConnectionEventMap {
  /** Before a statement is sent; with `retval: true`, may return `{ sql, params }` to send instead. */
  beforeExecute: (conn: AsyncConnection, sql: string, params: readonly unknown[]) => ReplacedStatement | void;
  /** After a statement returned (buffered statements; a stream's at its start is `beforeExecute` only). */
  afterExecute: (conn: AsyncConnection, sql: string, params: readonly unknown[], outcome: ExecuteOutcome) => void;
  /** A statement failed; return an `Error` to raise that one instead. */
  handleError: (context: ExceptionContext) => unknown;
  /** A transaction began (before `BEGIN` is sent). */
  begin: (conn: AsyncConnection) => void;
  /** The transaction is about to `COMMIT`. */
  commit: (conn: AsyncConnection) => void;
  /** The transaction is about to `ROLLBACK` (explicitly; the pool's reset on return is not reported). */
  rollback: (conn: AsyncConnection) => void;
  /** A SAVEPOINT is about to be set (`beginNested()`); `name` is its name (`sp_1`). */
  savepoint: (conn: AsyncConnection, name: string) => void;
  /** A SAVEPOINT is about to be rolled back to. */
  rollbackSavepoint: (conn: AsyncConnection, name: string) => void;
  /** A SAVEPOINT is about to be released (its nested transaction committed). */
  releaseSavepoint: (conn: AsyncConnection, name: string) => void;
}

export type ConnectionEventName = keyof ConnectionEventMap;
