import type { MaybePromise } from "../../shared/io.ts";

/**
 * The only I/O boundary. A driver adapts one client library (better-sqlite3, pg, mysql2, PGlite)
 * to this contract; it knows nothing about dialects, statements or the ORM. Client libraries are
 * typed structurally and loaded on demand, so none of them is a runtime dependency.
 */
export interface Driver {
  /** A short name for messages and `echo` output: "better-sqlite3", "pg", … */
  readonly name: string;
  /** Opens one new connection. */
  connect(): Promise<DriverConnection>;
  /** Releases anything the driver holds beyond its connections (an embedded database, say). */
  close(): Promise<void>;
}

/**
 * A driver whose client library is synchronous (better-sqlite3), for the synchronous `Engine`:
 * `connectSync()` opens a connection whose `execute`, `ping` and `close` return their answers.
 */
export interface SyncDriver {
  readonly name: string;
  connectSync(): DriverConnection;
}

export interface ExecuteOptions {
  /**
   * Integer columns must come back exact beyond 2^53 (as `bigint` or a decimal string). Set when
   * the statement's result columns include a BIGINT, so drivers that pay for exactness (SQLite's
   * `safeIntegers`) pay only then.
   */
  readonly exactIntegers?: boolean;
  /** The statement text is the same as a previous one: drivers may reuse a prepared statement. */
  readonly cacheable?: boolean;
  /**
   * Result columns the statement declares no type for (`true`: every column, as for `text()`
   * without `.columns()`; else a flag per column). Nothing will convert their raw values, so the
   * driver returns them as its client library parses them by the column's database type (pg:
   * `types.getTypeParser(oid)`) instead of the raw text it returns for typed columns. Drivers whose
   * values are already typed (better-sqlite3, mysql2) ignore it.
   */
  readonly untypedColumns?: true | readonly boolean[];
  /**
   * Cancels the statement when it aborts: the promise rejects at once with `QueryCanceledError`
   * and the server is asked to stop the statement; the connection's next statement waits until it
   * has. Drivers that run statements synchronously only honour a signal aborted before they start.
   */
  readonly signal?: AbortSignal | undefined;
}

/** What one statement returned. Rows are arrays in column order. */
export interface DriverResult {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
  /** Rows inserted, updated or deleted, where the driver tells. */
  readonly rowsAffected: number;
  /** The last auto-generated key of an INSERT on drivers that report one (SQLite, MySQL). */
  readonly lastInsertId: number | bigint | undefined;
}

/**
 * One connection. `execute`, `ping` and `close` return a promise, or the answer itself on a
 * driver whose client library is synchronous (better-sqlite3): the synchronous `Connection` needs
 * that, and asynchronous callers `await` either.
 */
export interface DriverConnection {
  /** Runs one statement with positional parameters (the dialect has already rendered placeholders). */
  execute(sql: string, params: readonly unknown[], options?: ExecuteOptions): MaybePromise<DriverResult>;
  /**
   * Runs one query and yields its rows without buffering the whole result; `batchSize` rows at a
   * time for drivers that fetch by cursor. The column names come first.
   */
  stream(sql: string, params: readonly unknown[], options?: ExecuteOptions & { batchSize?: number }): DriverStream;
  /**
   * Read-only statements may run on this connection while a `stream()` of it is unfinished
   * (better-sqlite3: SQLite keeps several statements open on one connection). Where absent, an
   * open stream holds the connection until it ends.
   */
  readonly readsDuringStream?: boolean;
  /** A cheap round trip that proves the connection is alive. */
  ping(): MaybePromise<void>;
  /** Closes the connection; safe to call twice. */
  close(): MaybePromise<void>;
  /**
   * True once the connection is known to be unusable without asking the server: it was closed,
   * or its socket already failed. The pool replaces such a connection without a round trip.
   */
  readonly lost?: boolean;
  /**
   * Returns the session to the state of a fresh connection: ends any transaction and drops
   * session settings (`SET`), temporary tables and the like, keeping the connection open. Left
   * out by drivers whose database has no such reset.
   */
  reset?(): Promise<void>;
}

/** A query's chunks as the driver reads them: asynchronously, or synchronously (better-sqlite3). */
export type DriverStream = AsyncIterable<StreamChunk> | Iterable<StreamChunk>;

export type StreamChunk =
  | { readonly kind: "columns"; readonly columns: readonly string[] }
  | { readonly kind: "rows"; readonly rows: readonly (readonly unknown[])[] };
