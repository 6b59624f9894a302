import type { DriverConnection, DriverResult, ExecuteOptions, StreamChunk } from "../driver.ts";
import { connectionClosedError } from "../connection-closed-error.ts";
import { ServerCancellation } from "../server-cancellation.ts";
import { translateDriverError } from "../translate-error.ts";
import type { MysqlPromiseConnection, MysqlResult, MysqlResultSetHeader } from "./mysql2-api.ts";
import { classifyMysqlError } from "./classify-mysql-error.ts";
import { MysqlRowFeed } from "./mysql-row-feed.ts";
import { normalizeBinaryRows } from "./normalize-binary-rows.ts";

const DEFAULT_BATCH_SIZE = 100;

/**
 * One mysql2 connection. Every statement with parameters goes through `execute`, a server-side
 * prepared statement: the values never become SQL text. (mysql2's `query` would interpolate them
 * client-side, escaping quotes with backslashes, which a server in `NO_BACKSLASH_ESCAPES` mode
 * reads as ordinary characters: the value's quotes would end the literal.) mysql2 caches prepared
 * statements per connection; a one-off statement (not from the compiled-statement cache) is
 * closed again after it ran, so it does not fill the server's prepared-statement cache.
 * Statements without parameters go through `query`, which then sends the SQL as it is. MariaDB
 * prepares `LIMIT ?` and transaction control (BEGIN, SAVEPOINT, …) fine, so no statement needs a
 * special route.
 */
export class Mysql2Connection implements DriverConnection {
  readonly #connection: MysqlPromiseConnection;
  #closed = false;
  /** The socket failed; every further use rejects. */
  #lostWith: Error | undefined;
  /** Opens a short-lived connection to the same server, for `KILL QUERY`. */
  /** Opens a short-lived second connection, for `KILL QUERY`. */
  readonly #openSide: () => Promise<MysqlPromiseConnection>;
  readonly #cancellation = new ServerCancellation(() => this.#killQuery());

  constructor(connection: MysqlPromiseConnection, openSide: () => Promise<MysqlPromiseConnection>) {
    this.#connection = connection;
    this.#openSide = openSide;
    // mysql2 emits socket failures outside a command as 'error'; unhandled, that ends the process.
    connection.on("error", (error) => {
      this.#lostWith = error;
    });
  }

  /**
   * With `options.signal`, an abort runs `KILL QUERY <thread id>` from a connection of its own and
   * rejects at once (see ServerCancellation).
   */
  async execute(sql: string, params: readonly unknown[], options?: ExecuteOptions): Promise<DriverResult> {
    await this.#ready(sql, params);
    const signal = options?.signal;
    if (signal === undefined) return this.#execute(sql, params, options);
    return this.#cancellation.run(signal, sql, params, () => this.#execute(sql, params, options));
  }

  async #execute(sql: string, params: readonly unknown[], options: ExecuteOptions | undefined): Promise<DriverResult> {
    const values = params.map(toMysqlParam);
    const prepared = values.length > 0;
    let result: MysqlResult;
    try {
      result = prepared ? await this.#connection.execute(sql, values) : await this.#connection.query(sql, []);
    } catch (error) {
      throw this.#translate(error, sql, params);
    } finally {
      if (prepared && options?.cacheable !== true) this.#connection.unprepare(sql);
    }
    const [rowsOrHeader, fields] = result;
    if (Array.isArray(rowsOrHeader)) {
      if (prepared && fields) normalizeBinaryRows(rowsOrHeader, fields);
      return {
        columns: (fields ?? []).map((field) => field.name),
        rows: rowsOrHeader,
        rowsAffected: 0,
        lastInsertId: undefined,
      };
    }
    return {
      columns: [],
      rows: [],
      rowsAffected: rowsOrHeader.affectedRows,
      lastInsertId: toInsertId(rowsOrHeader),
    };
  }

  async *stream(
    sql: string,
    params: readonly unknown[],
    options?: ExecuteOptions & { batchSize?: number },
  ): AsyncIterable<StreamChunk> {
    await this.#ready(sql, params);
    const batchSize = options?.batchSize ?? DEFAULT_BATCH_SIZE;
    const core = this.#connection.connection;
    // Prepared when there are values, for the reason given on the class.
    const prepared = params.length > 0;
    const command = prepared ? core.execute(sql, params.map(toMysqlParam)) : core.query(sql, []);
    const feed = new MysqlRowFeed(command, batchSize, core);
    try {
      let rows = await this.#next(feed, sql, params);
      yield { kind: "columns", columns: feed.columns };
      while (rows) {
        if (prepared) normalizeBinaryRows(rows, feed.fields);
        yield { kind: "rows", rows };
        rows = await this.#next(feed, sql, params);
      }
    } finally {
      await feed.drain();
    }
  }

  async ping(): Promise<void> {
    if (this.#lostWith) {
      throw translateDriverError(this.#lostWith, "SELECT 1", [], (error) => ({ ...classifyMysqlError(error), disconnect: true }));
    }
    await this.execute("SELECT 1", []);
  }

  /** Closed here, or the socket reported an error (server gone, connection killed). */
  get lost(): boolean {
    return this.#closed || this.#lostWith !== undefined;
  }

  /**
   * COM_RESET_CONNECTION: rolls back, drops session variables, user variables, temporary tables
   * and prepared statements (mysql2 forgets its cached ones with them) in one round trip.
   */
  async reset(): Promise<void> {
    await this.#ready("-- COM_RESET_CONNECTION", []);
    try {
      await this.#connection.reset();
    } catch (error) {
      throw this.#translate(error, "-- COM_RESET_CONNECTION", []);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#lostWith) {
      this.#connection.destroy();
      return;
    }
    try {
      await this.#connection.end();
    } catch {
      // The server may already have gone; the connection is closed either way.
      this.#connection.destroy();
    }
  }

  /**
   * `KILL QUERY` stops the statement and keeps the connection (and its transaction) open. It
   * needs the PROCESS privilege for another user's threads, but none for the user's own.
   */
  async #killQuery(): Promise<void> {
    const side = await this.#openSide();
    try {
      await side.query(`KILL QUERY ${Number(this.#connection.threadId)}`, []);
    } finally {
      await side.end().catch(() => side.destroy());
    }
  }

  /** The statement before was cancelled: wait until it has ended, or give the connection up. */
  /**
   * Before anything is sent: refuses a closed connection, and waits for a cancelled statement
   * (and its cancel) to finish, so the next statement, stream or session reset neither queues
   * behind it nor meets the cancel.
   */
  async #ready(sql: string, params: readonly unknown[]): Promise<void> {
    if (this.#closed) throw connectionClosedError("mysql2", sql, params);
    if (this.#cancellation.pending) await this.#settleCancel(sql, params);
  }

  async #settleCancel(sql: string, params: readonly unknown[]): Promise<void> {
    if (await this.#cancellation.settle()) return;
    this.#lostWith ??= new Error("A cancelled statement did not end on the server");
    await this.close();
    throw connectionClosedError("mysql2", sql, params);
  }

  async #next(feed: MysqlRowFeed, sql: string, params: readonly unknown[]) {
    try {
      return await feed.next();
    } catch (error) {
      throw this.#translate(error, sql, params);
    }
  }

  /** The error in the DB-API tree; a disconnect also marks this connection lost for good. */
  #translate(error: unknown, sql: string, params: readonly unknown[]): Error {
    const translated = translateDriverError(error, sql, params, classifyMysqlError);
    if (translated.connectionInvalidated) this.#lostWith ??= error instanceof Error ? error : translated;
    return translated;
  }
}

/** mysql2 rejects `undefined` and binds only Buffers as bytes; the rest goes as given. */
function toMysqlParam(value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return value;
}

/** The generated key, exact past 2^53; `undefined` when the statement generated none. */
function toInsertId(header: MysqlResultSetHeader): number | bigint | undefined {
  const id = header.insertId;
  if (typeof id === "number") return id === 0 ? undefined : id;
  const big = BigInt(id);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}
