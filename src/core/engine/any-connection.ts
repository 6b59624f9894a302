import type { AsyncConnection } from "./async-connection.ts";
import type { Connection } from "./connection.ts";

/**
 * Either connection: code written as `Io` generators (the ORM) takes one and yields its calls
 * through `io()`, which returns a promise on `AsyncConnection` and the value on `Connection`.
 */
export type AnyConnection = AsyncConnection | Connection;
