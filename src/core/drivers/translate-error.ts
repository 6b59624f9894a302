import {
  DataError,
  DatabaseError,
  type DBAPIError,
  type DBAPIErrorClass,
  IntegrityError,
  InterfaceError,
  InternalError,
  NotSupportedError,
  OperationalError,
  ProgrammingError,
  ReadOnlyTransactionError,
} from "../../shared/errors.ts";

/** The error classes a driver's classifier may choose from, by DB-API name. */
export const DBAPI_CLASSES = {
  InterfaceError,
  DatabaseError,
  DataError,
  OperationalError,
  IntegrityError,
  InternalError,
  ReadOnlyTransactionError,
  ProgrammingError,
  NotSupportedError,
} as const satisfies Record<string, DBAPIErrorClass>;

export type DBAPIClassName = keyof typeof DBAPI_CLASSES;

/**
 * What a driver's classifier says about one of its errors. `disconnect`: the connection is gone
 * (SQLAlchemy's dialect `is_disconnect`); the error becomes an OperationalError with
 * `connectionInvalidated` set, whatever `className` says.
 */
export interface DriverErrorClass {
  readonly className: DBAPIClassName;
  readonly driverCode: string | undefined;
  readonly disconnect?: boolean;
}

/** Frames of `ConnectionCore`'s generators (and a runner) between a driver call and its caller. */
const EXTRA_STACK_FRAMES = 16;

/**
 * Wraps a driver's error into the DB-API tree with the statement and parameters attached. The
 * classifier maps the driver's own code (SQLSTATE, errno, SQLITE_*) to a class name.
 */
export function translateDriverError(
  error: unknown,
  sql: string,
  params: readonly unknown[],
  classify: (error: unknown) => DriverErrorClass,
): DBAPIError {
  const { className, driverCode, disconnect = false } = classify(error);
  const message = error instanceof Error ? `(${error.constructor.name}) ${error.message}` : String(error);
  // A synchronous driver (better-sqlite3) throws under the connection's Io generators and their
  // runner, two frames a level: a deeper trace keeps the caller's own frames in the stack.
  const limit = Error.stackTraceLimit;
  if (Number.isFinite(limit)) Error.stackTraceLimit = limit + EXTRA_STACK_FRAMES;
  let translated: DBAPIError;
  try {
    translated = new DBAPI_CLASSES[disconnect ? "OperationalError" : className](message, { sql, params, cause: error }, driverCode);
  } finally {
    Error.stackTraceLimit = limit;
  }
  translated.connectionInvalidated = disconnect;
  return translated;
}
