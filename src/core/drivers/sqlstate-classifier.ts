import type { DBAPIClassName, DriverErrorClass } from "./translate-error.ts";

/**
 * The DB-API class for each two-character SQLSTATE class, as psycopg2 (and so SQLAlchemy on
 * PostgreSQL) reports it. Shared by the pg and PGlite drivers, which both surface the server's
 * SQLSTATE as `error.code`.
 */
const CLASS_BY_SQLSTATE_CLASS: Readonly<Record<string, DBAPIClassName>> = {
  "0A": "NotSupportedError",
  "08": "OperationalError",
  "22": "DataError",
  "23": "IntegrityError",
  // "current transaction is aborted" and friends: psycopg2 calls these InternalError.
  "25": "InternalError",
  "26": "ProgrammingError",
  "2B": "ProgrammingError",
  "2D": "ProgrammingError",
  "3D": "ProgrammingError",
  "3F": "ProgrammingError",
  "40": "OperationalError",
  "42": "ProgrammingError",
  "53": "OperationalError",
  "55": "OperationalError",
  "57": "OperationalError",
  "58": "OperationalError",
  XX: "InternalError",
};

/** `cannot execute INSERT in a read-only transaction`: a hot standby, or `SET TRANSACTION READ ONLY`. */
const READ_ONLY_SQL_TRANSACTION = "25006";

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * SQLSTATEs that end the session: the 08 class (connection exception) and the server ending the
 * backend (57P01 admin_shutdown, as `pg_terminate_backend` sends; 57P02 crash_shutdown; 57P03
 * cannot_connect_now), as SQLAlchemy's psycopg dialect counts them in `is_disconnect`.
 */
const DISCONNECT_SQLSTATE = /^(08...|57P0[123])$/;

/**
 * Classifies a PostgreSQL error by its SQLSTATE (`error.code`). Errors without one come from the
 * client library or the socket (refused, reset, terminated); they are OperationalError, like a
 * lost connection in psycopg2, and disconnects.
 */
export function classifySqlstate(error: unknown): DriverErrorClass {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string" && SQLSTATE.test(code)) {
    return {
      className: code === READ_ONLY_SQL_TRANSACTION ? "ReadOnlyTransactionError" : (CLASS_BY_SQLSTATE_CLASS[code.slice(0, 2)] ?? "DatabaseError"),
      driverCode: code,
      disconnect: DISCONNECT_SQLSTATE.test(code),
    };
  }
  if (isConnectionFailure(error)) {
    return { className: "OperationalError", driverCode: typeof code === "string" ? code : undefined, disconnect: true };
  }
  return { className: "DatabaseError", driverCode: typeof code === "string" ? code : undefined };
}

/**
 * A socket-level failure (ECONNRESET, EPIPE…) or pg's messages for a connection that is gone:
 * "Connection terminated (unexpectedly)", "Client has encountered a connection error and is not
 * queryable", "Client was closed and is not queryable" (used after `end`).
 */
function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return true;
  return /connection (terminated|error)|not queryable|connection.*closed/i.test(error.message);
}
