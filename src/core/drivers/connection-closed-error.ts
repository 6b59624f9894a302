import { translateDriverError } from "./translate-error.ts";

/**
 * The error for a statement sent through a connection that was already closed: an
 * InterfaceError (the fault is in how the connection is used, not in the database).
 */
export function connectionClosedError(driverName: string, sql: string, params: readonly unknown[]): Error {
  return translateDriverError(new Error(`${driverName} connection is closed`), sql, params, () => ({
    className: "InterfaceError",
    driverCode: undefined,
  }));
}
