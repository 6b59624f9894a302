import { InvalidRequestError } from "../../shared/errors.ts";
import { type Io, io } from "../../shared/io.ts";
import type { CursorSql, Dialect } from "../dialects/dialect.ts";
import type { DriverResult, DriverStream, ExecuteOptions, StreamChunk } from "../drivers/driver.ts";
import type { PreparedStatement } from "./prepared-statement.ts";

type RawRows = readonly (readonly unknown[])[];

/** Runs prepared statements and hands back the driver's rows: a connection, or an open cursor between two batches. */
export interface StatementRunner {
  readonly dialect: Dialect;
  /** The statement's raw driver result, as an `Io` (src/shared/io.ts): `yield*` it. */
  executeRawIo(prepared: PreparedStatement): Io<DriverResult>;
}

/**
 * @internal A query's rows read `batchSize` at a time while its connection stays busy for everyone
 * but the cursor's holder, who may run statements between two batches through `executeRaw` (the
 * ORM's per-batch eager loads).
 */
export interface RowCursor extends StatementRunner {
  /** The next `batchSize` rows (fewer at the end), or `undefined` once every row was read. */
  nextIo(): Io<RawRows | undefined>;
  /** Ends the cursor, read to the end or not (safe to call twice); the connection is free after. */
  closeIo(): Io<void>;
}

/** @internal What a cursor needs from the connection it reads on. */
export interface CursorPort {
  readonly dialect: Dialect;
  /** Runs one statement on the connection; `report` tells the engine's listeners about it. */
  sendIo(sql: string, params: readonly unknown[], options: ExecuteOptions, report: boolean): Io<DriverResult>;
  /** The driver's stream of the query (synchronous for better-sqlite3). */
  stream(sql: string, params: readonly unknown[], options: ExecuteOptions & { batchSize: number }): DriverStream;
  /** Reading the stream failed: the connection invalidates itself if the error says it is gone. */
  failedIo(error: unknown): Io<void>;
  /** The driver runs reads while one of its streams is unfinished. */
  readonly readsDuringStream: boolean;
  /** The cursor has ended: the connection takes statements again. */
  release(): void;
}

/** One cursor per connection at a time (the connection is busy meanwhile), so one name does. */
const CURSOR_NAME = "tsalchemy_cursor";

/**
 * Opens `prepared` as a cursor. Without statements between batches the driver's stream is read
 * (pg's portal, better-sqlite3's iterator, mysql2's row stream). When statements must run between
 * batches (`interleave`: a batch's eager loads), a dialect with cursors in SQL (PostgreSQL) gets
 * `DECLARE`/`FETCH`, as psycopg2's server-side cursors: every fetch is an ordinary statement of
 * the transaction, so the loads run between two of them (the pg portal holds the client's queue).
 * It costs more — a million rows through FETCH grew RSS by 61–63 MiB, through the portal by
 * 24–25 MiB — so it is only taken when needed. A driver that cannot run statements beside an
 * unfinished stream (mysql2) has its rows read to the end first and handed out from memory.
 */
export function* openRowCursor(port: CursorPort, prepared: PreparedStatement, options: { batchSize: number; interleave: boolean }): Io<RowCursor> {
  const cursorSql = port.dialect.cursorSql;
  if (cursorSql !== undefined && options.interleave) {
    yield* port.sendIo(cursorSql.declare(CURSOR_NAME, prepared.sql), prepared.params, {}, false);
    return new SqlCursor(port, cursorSql, prepared, options.batchSize);
  }
  const cursor = new DriverStreamCursor(port, prepared, options.batchSize);
  if (options.interleave && !port.readsDuringStream) yield* cursor.readAllIo();
  return cursor;
}

/** Shared by both cursors: statements between batches, and ending once. */
abstract class BaseCursor implements RowCursor {
  protected readonly port: CursorPort;
  protected closed = false;

  constructor(port: CursorPort) {
    this.port = port;
  }

  get dialect(): Dialect {
    return this.port.dialect;
  }

  abstract nextIo(): Io<RawRows | undefined>;
  protected abstract endIo(): Io<void>;

  executeRawIo(prepared: PreparedStatement): Io<DriverResult> {
    if (this.closed) throw new InvalidRequestError("This cursor is closed");
    return this.port.sendIo(prepared.sql, prepared.params, prepared.plan.executeOptions, true);
  }

  *closeIo(): Io<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      yield* this.endIo();
    } finally {
      this.port.release();
    }
  }
}

class SqlCursor extends BaseCursor {
  readonly #fetchSql: string;
  readonly #closeSql: string;
  readonly #fetchOptions: ExecuteOptions;
  readonly #batchSize: number;
  #exhausted = false;

  constructor(port: CursorPort, sql: CursorSql, prepared: PreparedStatement, batchSize: number) {
    super(port);
    this.#fetchSql = sql.fetch(CURSOR_NAME, batchSize);
    this.#closeSql = sql.close(CURSOR_NAME);
    const { exactIntegers, untypedColumns } = prepared.plan.executeOptions;
    this.#fetchOptions = untypedColumns === undefined ? { exactIntegers } : { exactIntegers, untypedColumns };
    this.#batchSize = batchSize;
  }

  *nextIo(): Io<RawRows | undefined> {
    if (this.#exhausted || this.closed) return undefined;
    const { rows } = yield* this.port.sendIo(this.#fetchSql, [], this.#fetchOptions, false);
    if (rows.length < this.#batchSize) this.#exhausted = true;
    return rows.length === 0 ? undefined : rows;
  }

  protected *endIo(): Io<void> {
    // A CLOSE that fails means the transaction failed or the connection went away: either ended
    // the cursor already, and the session's next statement reports the cause.
    try {
      yield* this.port.sendIo(this.#closeSql, [], {}, false);
    } catch {
      // reported by the next statement
    }
  }
}

class DriverStreamCursor extends BaseCursor {
  readonly #iterator: AsyncIterator<StreamChunk> | Iterator<StreamChunk>;
  readonly #batchSize: number;
  /** Rows read but not handed out; all of them after `readAll()`. */
  #pending: (readonly unknown[])[] = [];
  #offset = 0;
  #done = false;
  #readAll = false;

  constructor(port: CursorPort, prepared: PreparedStatement, batchSize: number) {
    super(port);
    const { exactIntegers, untypedColumns } = prepared.plan.executeOptions;
    const options = untypedColumns === undefined ? { exactIntegers, batchSize } : { exactIntegers, untypedColumns, batchSize };
    const stream = port.stream(prepared.sql, prepared.params, options);
    this.#iterator = Symbol.asyncIterator in stream ? stream[Symbol.asyncIterator]() : stream[Symbol.iterator]();
    this.#batchSize = batchSize;
  }

  /** Reads every remaining row into memory, which frees the driver for other statements. */
  *readAllIo(): Io<void> {
    while (yield* this.#readIo());
    this.#readAll = true;
  }

  override executeRawIo(prepared: PreparedStatement): Io<DriverResult> {
    if (!this.#readAll && !this.#done && !this.port.readsDuringStream) {
      throw new InvalidRequestError("internal: a statement between the batches of a stream this driver cannot interleave");
    }
    return super.executeRawIo(prepared);
  }

  *nextIo(): Io<RawRows | undefined> {
    if (this.closed) return undefined;
    while (this.#pending.length - this.#offset < this.#batchSize && (yield* this.#readIo()));
    if (this.#pending.length === this.#offset) return undefined;
    const rows = this.#pending.slice(this.#offset, this.#offset + this.#batchSize);
    this.#offset += rows.length;
    // While streaming, what is left is less than a driver chunk: keep only that. Rows read to the
    // end stay in place, handed out by offset.
    if (!this.#readAll || this.#offset === this.#pending.length) {
      this.#pending = this.#pending.slice(this.#offset);
      this.#offset = 0;
    }
    return rows;
  }

  /** Appends the driver's next chunk of rows; false once the stream has ended. */
  *#readIo(): Io<boolean> {
    while (!this.#done) {
      let step: IteratorResult<StreamChunk>;
      try {
        step = yield* io(this.#iterator.next());
      } catch (error) {
        yield* this.port.failedIo(error);
        throw error;
      }
      if (step.done === true) {
        this.#done = true;
        break;
      }
      const chunk = step.value;
      if (chunk.kind !== "rows") continue;
      for (const row of chunk.rows) this.#pending.push(row);
      return true;
    }
    return false;
  }

  protected *endIo(): Io<void> {
    this.#pending = [];
    if (!this.#done) {
      this.#done = true;
      yield* io(this.#iterator.return?.());
    }
  }
}
