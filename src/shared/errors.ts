import { describeParams } from "./describe-params.ts";

/**
 * The one rooted error tree. Every error tsalchemy raises is a `TsalchemyError` with a stable
 * `code`; where SQLAlchemy has a code for the same error kind we reuse it, so its error pages
 * and ours line up (`https://sqlalche.me/e/20/<code>`).
 */
export class TsalchemyError extends Error {
  /** Stable identifier of the error kind; never changes between releases. */
  readonly code: string = "tsal";
  override name = "TsalchemyError";
}

/** The caller asked for something that cannot be done in the current state. */
export class InvalidRequestError extends TsalchemyError {
  override readonly code: string = "invalid-request";
  override name = "InvalidRequestError";
}

/** A table asked of the inspector (or `metadata.reflect({ only })`) is not in the database. */
export class NoSuchTableError extends InvalidRequestError {
  override readonly code: string = "no-such-table";
  override name = "NoSuchTableError";
}

/** A function or constructor got an argument it cannot accept. */
export class ArgumentError extends TsalchemyError {
  override readonly code: string = "argument";
  override name = "ArgumentError";
}

/** A type processor was handed a value it cannot store without changing it. */
export class StatementValueError extends ArgumentError {
  override readonly code: string = "bad-value";
  override name = "StatementValueError";
}

/** A feature the dialect or driver in use does not have. */
export class NotSupportedFeatureError extends InvalidRequestError {
  override readonly code: string = "not-supported";
  override name = "NotSupportedFeatureError";
}

/** `one()` / `scalarOne()` found no row. */
export class NoResultFound extends InvalidRequestError {
  override readonly code: string = "no-result";
  override name = "NoResultFound";
}

/** `one()` / `oneOrNone()` found more than one row. */
export class MultipleResultsFound extends InvalidRequestError {
  override readonly code: string = "multiple-results";
  override name = "MultipleResultsFound";
}

/**
 * The client library a driver loads (`pg`, `mysql2`, `better-sqlite3`, `@electric-sql/pglite`) is
 * not installed; the message names the package and the command that installs it.
 */
export class MissingDriverError extends InvalidRequestError {
  override readonly code: string = "missing-driver";
  override name = "MissingDriverError";
  /** The npm package to install. */
  readonly packageName: string;

  constructor(message: string, packageName: string, options?: ErrorOptions) {
    super(message, options);
    this.packageName = packageName;
  }
}

/** A resource (pooled connection) was not available within the configured wait. */
export class TimeoutError extends TsalchemyError {
  override readonly code: string = "3o7r";
  override name = "TimeoutError";
}

/** A lifecycle object (connection, transaction, session) was used in a state that forbids it. */
export class IllegalStateChangeError extends InvalidRequestError {
  override readonly code: string = "isce";
  override name = "IllegalStateChangeError";
}

/** Details attached to every error that came back from the database. */
export interface StatementDetails {
  readonly sql: string;
  readonly params: readonly unknown[];
  readonly cause: unknown;
}

/**
 * An error raised by the database or its driver, wrapped with the statement and parameters that
 * caused it. The driver's own error is `cause`. Subclasses follow PEP 249 (DB-API), as SQLAlchemy does.
 */
export class DBAPIError extends TsalchemyError {
  override readonly code: string = "dbapi";
  override name = "DBAPIError";
  readonly sql: string;
  readonly params: readonly unknown[];
  /** The driver's error code (SQLSTATE for PostgreSQL, errno for MySQL, SQLITE_* for SQLite). */
  readonly driverCode: string | undefined;
  /**
   * The error means the connection is gone (server ended the session, socket cut, connection
   * closed): the connection was invalidated, so the pool discards it, and its transaction is lost.
   * SQLAlchemy's `connection_invalidated`. Always an `OperationalError` when set by a driver.
   */
  connectionInvalidated = false;

  constructor(message: string, details: StatementDetails, driverCode?: string) {
    super(`${message}\n[SQL: ${details.sql}]\n[parameters: ${describeParams(details.params)}]`, {
      cause: details.cause,
    });
    this.sql = details.sql;
    this.params = details.params;
    this.driverCode = driverCode;
  }
}

export class InterfaceError extends DBAPIError {
  override readonly code: string = "rvf5";
  override name = "InterfaceError";
}
export class DatabaseError extends DBAPIError {
  override readonly code: string = "4xp6";
  override name = "DatabaseError";
}
export class DataError extends DatabaseError {
  override readonly code: string = "9h9h";
  override name = "DataError";
}
export class OperationalError extends DatabaseError {
  override readonly code: string = "e3q8";
  override name = "OperationalError";
}
export class IntegrityError extends DatabaseError {
  override readonly code: string = "gkpj";
  override name = "IntegrityError";
}
export class InternalError extends DatabaseError {
  override readonly code: string = "2j85";
  override name = "InternalError";
}
/**
 * A write refused because the transaction or the server is read-only: a statement that writes sent
 * to a read replica (PostgreSQL's hot standby, SQLSTATE 25006; a MySQL/MariaDB server or
 * transaction in read-only mode, errno 1792 or 1290), or to a `READ ONLY` transaction. With
 * replica routing it means a write was routed to a replica: bind it to the primary.
 */
export class ReadOnlyTransactionError extends InternalError {
  override readonly code: string = "read-only";
  override name = "ReadOnlyTransactionError";
}
export class ProgrammingError extends DatabaseError {
  override readonly code: string = "f405";
  override name = "ProgrammingError";
}
export class NotSupportedError extends DatabaseError {
  override readonly code: string = "tw8g";
  override name = "NotSupportedError";
}

/** The DB-API error classes a driver may translate into, by name. */
export type DBAPIErrorClass =
  | typeof InterfaceError
  | typeof DatabaseError
  | typeof DataError
  | typeof OperationalError
  | typeof IntegrityError
  | typeof InternalError
  | typeof ReadOnlyTransactionError
  | typeof ProgrammingError
  | typeof NotSupportedError;

/**
 * I/O was needed where it cannot happen: a synchronous attribute read of something not loaded
 * (a lazy relationship, an attribute expired by commit, a deferred column) under the async API.
 * SQLAlchemy's name and code; unlike SQLAlchemy's, the message names the attribute and the fix.
 */
export class MissingGreenlet extends InvalidRequestError {
  override readonly code: string = "xd2s";
  override name = "MissingGreenlet";
}

/**
 * `strictLoading: "raise"`: a lazy relationship read succeeded only because its target happened to
 * be in the identity map; on other data the same read raises `MissingGreenlet`.
 */
export class StrictLoadingError extends InvalidRequestError {
  override readonly code: string = "strict-loading";
  override name = "StrictLoadingError";
}

/** `detectNPlusOne` with `onDetect: "raise"`: one relationship loaded one parent at a time, many times. */
export class NPlusOneError extends InvalidRequestError {
  override readonly code: string = "n-plus-one";
  override name = "NPlusOneError";
}

/**
 * A column typed without `null` (a primary key, a NOT NULL column) was read on a new object that
 * has no value for it yet: the database or the flush supplies it at INSERT. SQLAlchemy answers
 * `None`, which the attribute's type does not admit; tsalchemy raises so the type stays true.
 */
export class UnsetValueError extends InvalidRequestError {
  override readonly code: string = "unset-value";
  override name = "UnsetValueError";
}

/** An operation that needs a session was attempted on an object that is not in one. */
export class DetachedInstanceError extends TsalchemyError {
  override readonly code: string = "bhk3";
  override name = "DetachedInstanceError";
}

/** The session's transaction was rolled back by a failed flush; call `rollback()` first. */
export class PendingRollbackError extends InvalidRequestError {
  override readonly code: string = "7s2a";
  override name = "PendingRollbackError";
}

/** An expired object's row is gone from the database. */
export class ObjectDeletedError extends InvalidRequestError {
  override readonly code: string = "object-deleted";
  override name = "ObjectDeletedError";
}

/** An UPDATE or DELETE of a flush matched a different number of rows than expected. */
export class StaleDataError extends TsalchemyError {
  override readonly code: string = "stale-data";
  override name = "StaleDataError";
}

/** A flush could not be planned (duplicate identity, a cycle it cannot break …). */
export class FlushError extends TsalchemyError {
  override readonly code: string = "flush";
  override name = "FlushError";
}

/** An object or class that is not mapped was given where a mapped one is required. */
export class UnmappedError extends InvalidRequestError {
  override readonly code: string = "unmapped";
  override name = "UnmappedError";
}

/** Why a statement was cancelled: the caller's `AbortSignal` fired, or its `timeoutMs` ran out. */
export type CancelReason = "aborted" | "timeout";

/**
 * A statement was cancelled before it finished: by the caller's `signal`, by `timeoutMs`, or by a
 * driver's own read timeout (pg's `query_timeout`). The server was asked to stop it (PostgreSQL's
 * cancel request, MySQL's `KILL QUERY`); the transaction it ran in must be rolled back.
 */
export class QueryCanceledError extends OperationalError {
  override readonly code: string = "query-canceled";
  override name = "QueryCanceledError";
  readonly reason: CancelReason;

  constructor(message: string, details: StatementDetails, driverCode: string | undefined, reason: CancelReason) {
    super(message, details, driverCode);
    this.reason = reason;
  }
}

/**
 * A result was read after it was closed: by `close()`, or by `first()`, `one()`, `scalar()` and
 * friends, which close it as SQLAlchemy's do. A result only read to its end (`all()`, `fetchmany()`)
 * is not closed: reading it again returns nothing.
 */
export class ResourceClosedError extends InvalidRequestError {
  override readonly code: string = "resource-closed";
  override name = "ResourceClosedError";
}
