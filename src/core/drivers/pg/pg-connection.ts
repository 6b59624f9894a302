import { createHash } from "node:crypto";
import { docsLink } from "../../../shared/docs-link.ts";
import type { DriverConnection, DriverResult, ExecuteOptions, StreamChunk } from "../driver.ts";
import { QueryCanceledError } from "../../../shared/errors.ts";
import { connectionClosedError } from "../connection-closed-error.ts";
import { toPostgresParam } from "../postgres-param.ts";
import { classifySqlstate } from "../sqlstate-classifier.ts";
import { ServerCancellation } from "../server-cancellation.ts";
import { translateDriverError } from "../translate-error.ts";
import { type TextParser, parseUntypedColumns, untypedColumnParsers } from "../untyped-columns.ts";
import type { PgClient, PgField, PgQueryConfig, PgQueryConstructor, PgTypes } from "./pg-api.ts";
import { sendCancelRequest } from "./pg-cancel-request.ts";
import { PgPortalCursor } from "./pg-portal-cursor.ts";
import { runQuery } from "./text-rows-query.ts";

/**
 * Every type comes back as the server's text: the PostgreSQL dialect parses values itself, so pg
 * and PGlite hand it the same input. Untyped columns are the exception (see `#parseUntyped`).
 */
const RAW_TEXT: PgQueryConfig["types"] = { getTypeParser: () => (value: string) => value };

/** pg's own parsers, loaded the first time a statement has untyped columns. */

/** Named prepared statements per connection; past this many, cacheable statements run unnamed. */
const MAX_PREPARED_STATEMENTS = 1000;

/**
 * `"named"`: cacheable statements become named prepared statements, parsed and planned once per
 * connection. `"unnamed"`: every statement is parsed afresh (unnamed extended protocol), which is
 * what a transaction-mode pooler such as pgbouncer < 1.21 needs.
 */
export type PgPreparedStatements = "named" | "unnamed";

/**
 * SQLSTATEs that mean the server's copy of a named statement is not the one this client expects:
 * its plan went stale after DDL (0A000), it is missing (26000) or the name is taken (42P05). The
 * last two are what a transaction-mode pooler produces, once server connections change hands.
 */
const STATEMENT_GONE = new Set(["0A000", "26000", "42P05"]);

const POOLER_HINT =
  "\n(A named prepared statement was missing or already taken on this server connection. Behind a " +
  'transaction-mode pooler such as pgbouncer, create the engine with preparedStatements: "unnamed" ' +
  `or ?prepared_statements=unnamed; see ${docsLink("scale-out.md#behind-a-connection-pooler")})`;

const DEFAULT_BATCH_SIZE = 100;

/** The session reset: ROLLBACK first, since CLOSE ALL and the rest must not run in the old transaction. */
const PG_SESSION_RESET =
  "ROLLBACK; RESET ALL; SET SESSION AUTHORIZATION DEFAULT; CLOSE ALL; UNLISTEN *; " +
  "SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES";

/** The message of the error pg raises when its `query_timeout` runs out. */
const PG_QUERY_TIMEOUT = "Query read timeout";

/** Commands whose row count is "rows changed" rather than "rows returned". */
const WRITE_COMMANDS = new Set(["INSERT", "UPDATE", "DELETE", "MERGE", "COPY"]);

/**
 * One `pg.Client`. In `"named"` mode, statements the caller marks `cacheable` become named prepared
 * statements, so the server parses and plans them once per connection; in `"unnamed"` mode nothing
 * outlives its statement on the server.
 */
export class PgConnection implements DriverConnection {
  readonly #client: PgClient;
  readonly #preparedStatements: PgPreparedStatements;
  readonly #statementNames = new Map<string, string>();
  /** Names given up after STATEMENT_GONE; the next name for that text takes a fresh suffix. */
  #renamed = 0;
  #closed = false;
  /** The socket failed; every further use rejects. */
  #lostWith: Error | undefined;
  readonly #cancellation = new ServerCancellation(() => this.#cancelOnServer());

  /** pg's type parsers (`pg.types`, loaded with the driver), for columns a statement leaves untyped. */
  readonly #types: PgTypes;

  /** pg's `Query` keeping rows as parsed off the wire (text-rows-query.ts); without it, pg's own `Query`. */
  readonly #TextRowsQuery: PgQueryConstructor | undefined;

  constructor(client: PgClient, types: PgTypes, preparedStatements: PgPreparedStatements = "named", TextRowsQuery?: PgQueryConstructor) {
    this.#client = client;
    this.#types = types;
    this.#preparedStatements = preparedStatements;
    this.#TextRowsQuery = TextRowsQuery;
    // Without a listener, a dropped socket would be an unhandled 'error' event and end the process.
    client.on("error", (error) => {
      this.#lostWith = error;
    });
  }

  /**
   * With `options.signal`, an abort sends the server a cancel request for this backend and rejects
   * at once (see ServerCancellation).
   */
  async execute(sql: string, params: readonly unknown[], options?: ExecuteOptions): Promise<DriverResult> {
    await this.#ready(sql, params);
    const signal = options?.signal;
    if (signal === undefined) return this.#execute(sql, params, options);
    return this.#cancellation.run(signal, sql, params, () => this.#execute(sql, params, options));
  }

  async #execute(sql: string, params: readonly unknown[], options: ExecuteOptions | undefined): Promise<DriverResult> {
    const name = options?.cacheable ? this.#statementName(sql) : undefined;
    try {
      // Always the extended protocol: a string of several statements is refused before any runs
      // (as by PGlite, SQLite and MySQL), where pg's simple query would run them all and hand back
      // one result per statement.
      const config: PgQueryConfig = { text: sql, values: params.map((value) => toPostgresParam(value, "buffer")), rowMode: "array", types: RAW_TEXT, name, queryMode: "extended" };
      const TextRowsQuery = this.#TextRowsQuery;
      const result = TextRowsQuery === undefined ? await this.#client.query(config) : await runQuery(this.#client, new TextRowsQuery(config));
      if (options?.untypedColumns !== undefined && result.rows.length > 0) {
        const parsers = untypedParsers(this.#types, options.untypedColumns, result.fields);
        if (parsers) parseUntypedColumns(result.rows, parsers);
      }
      return {
        columns: result.fields.map((field) => field.name),
        rows: result.rows,
        rowsAffected: WRITE_COMMANDS.has(result.command) ? (result.rowCount ?? 0) : 0,
        lastInsertId: undefined,
      };
    } catch (error) {
      if (error instanceof Error && error.message === PG_QUERY_TIMEOUT) throw this.#queryTimedOut(error, sql, params);
      const code = (error as { code?: unknown }).code;
      if (name === undefined || typeof code !== "string" || !STATEMENT_GONE.has(code)) throw this.#translate(error, sql, params);
      // pg remembers the name as parsed, so reusing it would fail the same way: prepare the text
      // afresh under a new name next time (still the text's hash, so still unique to this text).
      this.#statementNames.set(sql, `${statementNameOf(sql)}_${++this.#renamed}`);
      const translated = this.#translate(error, sql, params);
      if (code !== "0A000") translated.message += POOLER_HINT;
      throw translated;
    }
  }

  async *stream(
    sql: string,
    params: readonly unknown[],
    options?: ExecuteOptions & { batchSize?: number },
  ): AsyncIterable<StreamChunk> {
    await this.#ready(sql, params);
    const values = params.map((value) => toPostgresParam(value, "buffer"));
    const cursor = new PgPortalCursor(sql, values, options?.batchSize ?? DEFAULT_BATCH_SIZE);
    this.#client.query(cursor);
    let finished = false;
    try {
      let rows = await this.#read(cursor, sql, params);
      yield { kind: "columns", columns: cursor.columns };
      const fields = cursor.columns.map((name, index) => ({ name, dataTypeID: cursor.columnTypes[index] as number }));
      const parsers = options?.untypedColumns === undefined ? undefined : untypedParsers(this.#types, options.untypedColumns, fields);
      while (rows) {
        if (parsers) parseUntypedColumns(rows, parsers);
        yield { kind: "rows", rows };
        rows = await this.#read(cursor, sql, params);
      }
      finished = true;
    } finally {
      // The consumer stopped early: drop the rest so the connection can run the next statement.
      if (!finished) await cursor.close();
    }
  }

  async ping(): Promise<void> {
    if (this.#lostWith) {
      throw translateDriverError(this.#lostWith, "SELECT 1", [], () => ({
        className: "OperationalError",
        driverCode: (this.#lostWith as { code?: string } | undefined)?.code,
        disconnect: true,
      }));
    }
    await this.execute("SELECT 1", []);
  }

  /** Closed here, or the socket reported an error (server gone, backend terminated). */
  get lost(): boolean {
    return this.#closed || this.#lostWith !== undefined;
  }

  /**
   * What `DISCARD ALL` does, minus `DEALLOCATE ALL` and `DISCARD PLANS`: this connection's named
   * prepared statements stay valid. One round trip (the simple protocol runs the list at once).
   */
  async reset(): Promise<void> {
    await this.#ready(PG_SESSION_RESET, []);
    try {
      await this.#client.query({ text: PG_SESSION_RESET, values: [], rowMode: "array", types: RAW_TEXT });
    } catch (error) {
      throw this.#translate(error, PG_SESSION_RESET, []);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#statementNames.clear();
    try {
      await this.#client.end();
    } catch {
      // Ending a client whose socket already failed may reject; the connection is gone either way.
    }
  }

  /**
   * pg's own `query_timeout` gave up waiting, but the statement still runs on the server and pg
   * keeps it as the connection's active query: cancel it there, and count the connection lost so
   * the pool replaces it rather than trust pg's state.
   */
  #queryTimedOut(error: Error, sql: string, params: readonly unknown[]): QueryCanceledError {
    this.#lostWith ??= error;
    this.#cancelOnServer().catch(() => {});
    return new QueryCanceledError(`(pg) ${error.message} (query_timeout)`, { sql, params, cause: error }, undefined, "timeout");
  }

  async #cancelOnServer(): Promise<void> {
    const { host, port, processID, secretKey } = this.#client;
    if (processID == null || secretKey == null) return;
    await sendCancelRequest({ host, port, processId: processID, secretKey });
  }

  /** The statement before was cancelled: wait until it has ended, or give the connection up. */
  /**
   * Before anything is sent: refuses a closed connection, and waits for a cancelled statement
   * (and its cancel) to finish, so the next statement, stream or session reset neither queues
   * behind it nor meets the cancel.
   */
  async #ready(sql: string, params: readonly unknown[]): Promise<void> {
    if (this.#closed) throw connectionClosedError("pg", sql, params);
    if (this.#cancellation.pending) await this.#settleCancel(sql, params);
  }

  async #settleCancel(sql: string, params: readonly unknown[]): Promise<void> {
    if (await this.#cancellation.settle()) return;
    this.#lostWith ??= new Error("A cancelled statement did not end on the server");
    await this.close();
    throw connectionClosedError("pg", sql, params);
  }

  async #read(cursor: PgPortalCursor, sql: string, params: readonly unknown[]) {
    try {
      return await cursor.read();
    } catch (error) {
      throw this.#translate(error, sql, params);
    }
  }

  /** The error in the DB-API tree; a disconnect also marks this connection lost for good. */
  #translate(error: unknown, sql: string, params: readonly unknown[]): Error {
    const translated = translateDriverError(error, sql, params, classifySqlstate);
    if (translated.connectionInvalidated) this.#lostWith ??= error instanceof Error ? error : translated;
    return translated;
  }

  #statementName(sql: string): string | undefined {
    if (this.#preparedStatements === "unnamed") return undefined;
    let name = this.#statementNames.get(sql);
    if (name === undefined && this.#statementNames.size < MAX_PREPARED_STATEMENTS) {
      name = statementNameOf(sql);
      this.#statementNames.set(sql, name);
    }
    return name;
  }
}

/**
 * pg's parser for each untyped column, by the column's type OID: the values come back exactly as a
 * plain `pg` query would return them (int4 → number, bool → boolean, timestamptz → Date, int8
 * and numeric → string, plus any `pg.types.setTypeParser` the application made).
 */
function untypedParsers(
  types: PgTypes,
  untyped: NonNullable<ExecuteOptions["untypedColumns"]>,
  fields: readonly PgField[],
): (TextParser | undefined)[] | undefined {
  return untypedColumnParsers(
    untyped,
    fields.map((field) => field.dataTypeID),
    (oid) => types.getTypeParser(oid, "text"),
  );
}

/**
 * `tsal_` and 40 hex digits of the text's SHA-256 (under NAMEDATALEN's 63 bytes): the same name
 * always means the same text, in every process. Behind a pooler, server connections are shared
 * between clients, and a per-connection counter (`tsal_1`) would let one client bind another's
 * statement and read its rows.
 */
export function statementNameOf(sql: string): string {
  return `tsal_${createHash("sha256").update(sql).digest("hex").slice(0, 40)}`;
}
