import {
  DataError,
  DatabaseError,
  type DBAPIErrorClass,
  IntegrityError,
  InterfaceError,
  InternalError,
  NotSupportedError,
  OperationalError,
  ProgrammingError,
} from "../../shared/errors.ts";

/** The error classes a driver's classifier may choose from, by DB-API name. */
export const DBAPI_CLASSES = {
  InterfaceError,
  DatabaseError,
  DataError,
  OperationalError,
  IntegrityError,
  InternalError,
  ProgrammingError,
  NotSupportedError,
} as const satisfies Record<string, DBAPIErrorClass>;

export type DBAPIClassName = keyof typeof DBAPI_CLASSES;

/**
 * Wraps a driver's error into the DB-API tree with the statement and parameters attached. The
 * classifier maps the driver's own code (SQLSTATE, errno, SQLITE_*) to a class name.
 */
export function translateDriverError(
  error: unknown,
  sql: string,
  params: readonly unknown[],
  classify: (error: unknown) => { className: DBAPIClassName; driverCode: string | undefined },
): Error {
  const { className, driverCode } = classify(error);
  const message = error instanceof Error ? `(${error.constructor.name}) ${error.message}` : String(error);
  return new DBAPI_CLASSES[className](message, { sql, params, cause: error }, driverCode);
}
