import type { DBAPIClassName } from "../translate-error.ts";

/** Primary SQLite result codes (the part before the first `_` suffix) and their DB-API class. */
const CLASS_BY_PRIMARY_CODE: Readonly<Record<string, DBAPIClassName>> = {
  SQLITE_CONSTRAINT: "IntegrityError",
  SQLITE_BUSY: "OperationalError",
  SQLITE_LOCKED: "OperationalError",
  SQLITE_CANTOPEN: "OperationalError",
  SQLITE_IOERR: "OperationalError",
  SQLITE_READONLY: "OperationalError",
  SQLITE_FULL: "OperationalError",
  SQLITE_INTERRUPT: "OperationalError",
  SQLITE_PROTOCOL: "OperationalError",
  SQLITE_NOMEM: "OperationalError",
  SQLITE_MISMATCH: "DataError",
  SQLITE_TOOBIG: "DataError",
  SQLITE_RANGE: "DataError",
  SQLITE_INTERNAL: "InternalError",
  SQLITE_MISUSE: "InterfaceError",
};

/**
 * SQLITE_ERROR is SQLite's catch-all; these messages are mistakes in the statement itself, which
 * PostgreSQL and MySQL report as ProgrammingError, so SQLite does too.
 */
const STATEMENT_MISTAKE =
  /syntax error|incomplete input|no such (table|column|index|function|view|trigger)|has no column named|already exists|ambiguous column name/;

/**
 * Classifies a better-sqlite3 error by its extended result code (`SQLITE_CONSTRAINT_UNIQUE`…).
 * Errors without one are better-sqlite3's own checks of the bound parameters (wrong count or an
 * unbindable type), which DB-API calls ProgrammingError.
 */
export function classifySqliteError(error: unknown): { className: DBAPIClassName; driverCode: string | undefined } {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("SQLITE_")) {
    const isBindingCheck = error instanceof TypeError || error instanceof RangeError;
    return { className: isBindingCheck ? "ProgrammingError" : "DatabaseError", driverCode: undefined };
  }
  const primary = code.match(/^SQLITE_[A-Z]+/)?.[0] ?? code;
  if (primary === "SQLITE_ERROR") {
    const message = error instanceof Error ? error.message : "";
    return { className: STATEMENT_MISTAKE.test(message) ? "ProgrammingError" : "DatabaseError", driverCode: code };
  }
  return { className: CLASS_BY_PRIMARY_CODE[primary] ?? "DatabaseError", driverCode: code };
}
