import type { DriverConnection, DriverResult, ExecuteOptions, StreamChunk } from "../driver.ts";
import { connectionClosedError } from "../connection-closed-error.ts";
import { queryCanceledError } from "../server-cancellation.ts";
import { translateDriverError } from "../translate-error.ts";
import type { SqliteDatabase, SqliteStatement } from "./better-sqlite3-api.ts";
import { classifySqliteError } from "./classify-sqlite-error.ts";

/** Prepared statements kept per connection; least recently used ones are dropped past this. */
const STATEMENT_CACHE_SIZE = 200;

const DEFAULT_BATCH_SIZE = 100;

/**
 * One better-sqlite3 `Database`. better-sqlite3 is synchronous, and so are `execute`, `ping` and
 * `close` here: the synchronous `Connection` runs on them, and `AsyncConnection` awaits their values
 * without a promise in between. `stream` stays an async iterable (streams are async-only).
 */
export class BetterSqlite3Connection implements DriverConnection {
  readonly #db: SqliteDatabase;
  /** Prepared statements by SQL, each with the tick of its last use (the least recent goes past the bound). */
  readonly #statements = new Map<string, { statement: SqliteStatement; used: number }>();
  #tick = 0;
  #closed = false;
  /** better-sqlite3 refuses writes while a statement iterates, but runs reads. */
  readonly readsDuringStream = true;

  constructor(db: SqliteDatabase) {
    this.#db = db;
  }

  execute(sql: string, params: readonly unknown[], options?: ExecuteOptions): DriverResult {
    if (this.#closed) throw connectionClosedError("better-sqlite3", sql, params);
    // Synchronous: nothing can interrupt a statement once it runs, so a signal counts only before.
    if (options?.signal?.aborted) throw queryCanceledError(options.signal, sql, params);
    try {
      const statement = this.#prepare(sql, options);
      const values = params.map(toSqliteParam);
      if (!statement.reader) {
        const { changes, lastInsertRowid } = statement.run(...values);
        return { columns: [], rows: [], rowsAffected: changes, lastInsertId: lastInsertRowid };
      }
      return new SqliteRows(statement, statement.all(...values) as unknown[][]);
    } catch (error) {
      throw translateDriverError(error, sql, params, classifySqliteError);
    }
  }

  /** Synchronous: better-sqlite3's iterator reads a row at a time, so a synchronous cursor can too. */
  *stream(sql: string, params: readonly unknown[], options?: ExecuteOptions & { batchSize?: number }): Iterable<StreamChunk> {
    if (this.#closed) throw connectionClosedError("better-sqlite3", sql, params);
    const batchSize = options?.batchSize ?? DEFAULT_BATCH_SIZE;
    let iterator: IterableIterator<unknown>;
    let columns: string[];
    try {
      const statement = this.#prepare(sql, options);
      const values = params.map(toSqliteParam);
      if (!statement.reader) {
        statement.run(...values);
        yield { kind: "columns", columns: [] };
        return;
      }
      columns = statement.columns().map((column) => column.name);
      iterator = statement.iterate(...values);
    } catch (error) {
      throw translateDriverError(error, sql, params, classifySqliteError);
    }
    // `finally` runs when the consumer stops early too, which releases SQLite's read cursor.
    try {
      yield { kind: "columns", columns };
      let batch: unknown[][] = [];
      while (true) {
        let next: IteratorResult<unknown>;
        try {
          next = iterator.next();
        } catch (error) {
          throw translateDriverError(error, sql, params, classifySqliteError);
        }
        if (next.done) break;
        batch.push(next.value as unknown[]);
        if (batch.length >= batchSize) {
          yield { kind: "rows", rows: batch };
          batch = [];
        }
      }
      if (batch.length > 0) yield { kind: "rows", rows: batch };
    } finally {
      iterator.return?.();
    }
  }

  ping(): void {
    this.execute("SELECT 1", []);
  }

  /** Closed here, or the database handle closed under us. */
  get lost(): boolean {
    return this.#closed || !this.#db.open;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    this.#db.close();
  }

  /** Prepares `sql`, from the cache when the caller says it repeats, set up for this call. */
  #prepare(sql: string, options: ExecuteOptions | undefined): SqliteStatement {
    const cached = this.#statements.get(sql);
    let statement: SqliteStatement;
    if (cached !== undefined) {
      // A tick, not a re-insert: moving the entry to the end of the Map's order on every hit cost
      // 0.1–0.2 µs, a sixth of a primary-key lookup inside a transaction.
      cached.used = ++this.#tick;
      statement = cached.statement;
    } else {
      statement = this.#db.prepare(sql);
      if (options?.cacheable) {
        if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#evictLeastRecent();
        this.#statements.set(sql, { statement, used: ++this.#tick });
      }
    }
    if (statement.reader) {
      statement.raw(true);
      // Safe integers cost a bigint per integer cell; pay only when a column needs exactness.
      statement.safeIntegers(options?.exactIntegers === true);
    }
    return statement;
  }

  /** Drops the statement used least recently (a scan of the bounded cache, only when it is full). */
  #evictLeastRecent(): void {
    let oldest: string | undefined;
    let oldestUse = Infinity;
    for (const [sql, entry] of this.#statements) {
      if (entry.used < oldestUse) {
        oldestUse = entry.used;
        oldest = sql;
      }
    }
    if (oldest !== undefined) this.#statements.delete(oldest);
  }
}

/**
 * The rows of a reader statement. A class, not an object literal with a `columns` getter: the
 * literal made a getter per call, 0.45 µs, more than the primary-key lookup it returned.
 */
class SqliteRows implements DriverResult {
  readonly rows: readonly (readonly unknown[])[];
  readonly rowsAffected: number;
  readonly lastInsertId = undefined;
  readonly #statement: SqliteStatement;

  constructor(statement: SqliteStatement, rows: readonly (readonly unknown[])[]) {
    this.#statement = statement;
    this.rows = rows;
    // A reader that writes is DML with RETURNING: one row back per row changed.
    this.rowsAffected = statement.readonly ? 0 : rows.length;
  }

  /**
   * Read when asked: `columns()` costs about 3 µs a call, more than a primary-key lookup inside a
   * transaction, and ORM loads never ask (their plan knows the columns).
   */
  get columns(): string[] {
    return this.#statement.columns().map((column) => column.name);
  }
}

/** better-sqlite3 binds Buffers but not other Uint8Arrays; everything else goes as given. */
function toSqliteParam(value: unknown): unknown {
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return value;
}
