import type { DriverConnection, DriverResult, ExecuteOptions, StreamChunk } from "../driver.ts";
import { connectionClosedError } from "../connection-closed-error.ts";
import { toPostgresParam } from "../postgres-param.ts";
import { classifySqlstate } from "../sqlstate-classifier.ts";
import { queryCanceledError } from "../server-cancellation.ts";
import { translateDriverError } from "../translate-error.ts";
import { parseUntypedColumns, untypedColumnParsers } from "../untyped-columns.ts";
import type { PgliteInstance } from "./pglite-api.ts";
import { nativeParserOf } from "./pglite-native-parsers.ts";

const DEFAULT_BATCH_SIZE = 100;

/**
 * A handle on the driver's one PGlite instance. Closing the handle rolls back a transaction it
 * left open and leaves the instance open for the next `connect()`; `PgliteDriver#close` closes
 * the instance.
 */
export class PgliteConnection implements DriverConnection {
  readonly #db: PgliteInstance;
  #closed = false;

  constructor(db: PgliteInstance) {
    this.#db = db;
  }

  /**
   * Values come back as the server's text, except in columns the statement leaves untyped
   * (`options.untypedColumns`): those are parsed as PGlite itself would, by type OID.
   */
  async execute(sql: string, params: readonly unknown[], options?: ExecuteOptions): Promise<DriverResult> {
    if (this.#closed) throw connectionClosedError("pglite", sql, params);
    // PGlite runs a statement to its end without yielding and has no cancel: a signal counts only before.
    if (options?.signal?.aborted) throw queryCanceledError(options.signal, sql, params);
    try {
      const result = await this.#db.query(sql, params.map(toPgliteParam), { rowMode: "array" });
      if (options?.untypedColumns !== undefined && result.rows.length > 0) {
        const typeIds = result.fields.map((field) => field.dataTypeID);
        const parsers = untypedColumnParsers(options.untypedColumns, typeIds, nativeParserOf(this.#db));
        if (parsers) parseUntypedColumns(result.rows, parsers);
      }
      return {
        columns: result.fields.map((field) => field.name),
        rows: result.rows,
        rowsAffected: result.affectedRows ?? 0,
        lastInsertId: undefined,
      };
    } catch (error) {
      throw translateDriverError(error, sql, params, classifySqlstate);
    }
  }

  /**
   * PGlite has no portal or cursor API, so this runs the statement whole and hands the buffered
   * rows out in batches: same shape as the other drivers, without their memory bound.
   */
  async *stream(
    sql: string,
    params: readonly unknown[],
    options?: ExecuteOptions & { batchSize?: number },
  ): AsyncIterable<StreamChunk> {
    const { columns, rows } = await this.execute(sql, params, options);
    const batchSize = options?.batchSize ?? DEFAULT_BATCH_SIZE;
    yield { kind: "columns", columns };
    for (let start = 0; start < rows.length; start += batchSize) {
      yield { kind: "rows", rows: rows.slice(start, start + batchSize) };
    }
  }

  async ping(): Promise<void> {
    await this.execute("SELECT 1", []);
  }

  /** This handle was closed, or the shared instance was. */
  get lost(): boolean {
    return this.#closed || this.#db.closed;
  }

  /**
   * Every handle shares the one instance, so a handle closed with a transaction still open (an
   * invalidated connection; the engine rolls back on a normal release) must end it here, or the
   * next handle would inherit its uncommitted work.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#db.closed || !this.#db.isInTransaction()) return;
    try {
      await this.#db.query("ROLLBACK", [], { rowMode: "array" });
    } catch {
      // The instance is going away; nothing is left to roll back.
    }
  }
}

/** Bytes as bytea hex text, like every other value: the instance's serializers pass text through. */
function toPgliteParam(value: unknown): string | null {
  return toPostgresParam(value, "hex") as string | null;
}
