import type { DBAPIClassName, DriverErrorClass } from "../translate-error.ts";

/**
 * MySQL/MariaDB error numbers and their DB-API class, after PyMySQL's table (what SQLAlchemy users
 * see on MySQL). Unlisted server errors are DatabaseError.
 */
const CLASS_BY_ERRNO: ReadonlyMap<number, DBAPIClassName> = new Map<number, DBAPIClassName>([
  // duplicate key, foreign key (parent/child), NOT NULL, no default, CHECK (MariaDB, MySQL)
  ...[1062, 1451, 1452, 1048, 1216, 1217, 1364, 4025, 3819].map((errno) => [errno, "IntegrityError"] as const),
  // syntax, unknown table/column/database, table exists, unknown table on DROP, duplicate column
  ...[1064, 1146, 1054, 1049, 1149, 1050, 1051, 1060, 1091].map((errno) => [errno, "ProgrammingError"] as const),
  // out of range, truncated, wrong value for a type, too long, bad datetime
  ...[1264, 1265, 1366, 1406, 1292].map((errno) => [errno, "DataError"] as const),
  // lock wait timeout, deadlock, server gone, lost connection, too many connections, access denied,
  // server shutdown, connection killed (MariaDB's ER_CONNECTION_KILLED), client idle timeout
  ...[1205, 1213, 2006, 2013, 1040, 1045, 1044, 1053, 1927, 4031].map((errno) => [errno, "OperationalError"] as const),
  // a write in a READ ONLY transaction (1792); the server's --read-only option refusing it (1290, as a
  // replica usually runs)
  ...[1792, 1290].map((errno) => [errno, "ReadOnlyTransactionError"] as const),
  // "This version of MariaDB doesn't yet support …"
  [1235, "NotSupportedError"],
]);

/**
 * Errors that mean the connection is gone, after SQLAlchemy's MySQL `is_disconnect`: server gone
 * away (2006), lost connection (2013), commands out of sync (2014), server shutdown (1053), the
 * connection killed (1927, MariaDB's ER_CONNECTION_KILLED for `KILL CONNECTION`), client idle
 * timeout (4031).
 */
const DISCONNECT_ERRNOS = new Set([2006, 2013, 2014, 1053, 1927, 4031]);

/**
 * Classifies a mysql2 error by `errno`. Errors mysql2 raises itself without a server errno are
 * socket or protocol failures (ECONNREFUSED, ECONNRESET, PROTOCOL_CONNECTION_LOST, …); mysql2
 * flags the ones after which the connection is unusable `fatal`: OperationalError and a
 * disconnect, like a lost connection in PyMySQL. `driverCode` is mysql2's `code` (`ER_DUP_ENTRY`).
 */
export function classifyMysqlError(error: unknown): DriverErrorClass {
  const { errno, code, fatal } = (error ?? {}) as { errno?: unknown; code?: unknown; fatal?: unknown };
  const driverCode = typeof code === "string" ? code : undefined;
  const disconnect =
    fatal === true || (typeof errno === "number" && DISCONNECT_ERRNOS.has(errno)) || code === "PROTOCOL_CONNECTION_LOST" || code === "ECONNRESET" || code === "EPIPE";
  if (typeof errno === "number" && CLASS_BY_ERRNO.has(errno)) {
    return { className: CLASS_BY_ERRNO.get(errno) as DBAPIClassName, driverCode, disconnect };
  }
  if (disconnect) return { className: "OperationalError", driverCode, disconnect };
  return { className: "DatabaseError", driverCode };
}
