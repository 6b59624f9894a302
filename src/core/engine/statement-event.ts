import type { DriverResult, DriverStream, StreamChunk } from "../drivers/driver.ts";
import { type Io, type MaybePromise, io } from "../../shared/io.ts";

/** A statement the engine ran, reported when it ended: `engine.onStatementEnd(listener)`, and logging. */
export interface StatementEvent {
  readonly sql: string;
  readonly params: readonly unknown[];
  /** Wall time from sending the statement to its result (for a stream: to its last row), in ms. */
  readonly durationMs: number;
  /** Rows returned (0 for a statement that returns none); absent when it failed. */
  readonly rowCount?: number;
  /** Result column names, for a statement that returns rows. */
  readonly columns?: readonly string[];
  /** Rows inserted, updated or deleted, where the driver tells. */
  readonly rowsAffected?: number;
  /** What the statement threw, when it failed. */
  readonly error?: unknown;
}

/** Receives each statement's `StatementEvent` when it ends. */
export type StatementEndListener = (event: StatementEvent) => void;

/**
 * Runs a statement and reports its end with its duration. Only called when someone listens:
 * the connection checks first, so the unobserved path reads no clock.
 */
export function* timeStatement(
  report: StatementEndListener,
  sql: string,
  params: readonly unknown[],
  run: () => MaybePromise<DriverResult>,
): Io<DriverResult> {
  const start = performance.now();
  let result: DriverResult;
  try {
    result = yield* io(run());
  } catch (error) {
    report({ sql, params, durationMs: performance.now() - start, error });
    throw error;
  }
  report({
    sql,
    params,
    durationMs: performance.now() - start,
    rowCount: result.rows.length,
    columns: result.columns,
    rowsAffected: result.rowsAffected,
  });
  return result;
}

/** A streamed statement's chunks, reporting its end (rows counted, time to the last chunk) when iteration stops. */
export async function* timeStream(
  report: StatementEndListener,
  sql: string,
  params: readonly unknown[],
  chunks: DriverStream,
): AsyncGenerator<StreamChunk> {
  const start = performance.now();
  let rowCount = 0;
  let columns: readonly string[] | undefined;
  try {
    for await (const chunk of chunks) {
      if (chunk.kind === "rows") rowCount += chunk.rows.length;
      else columns = chunk.columns;
      yield chunk;
    }
  } catch (error) {
    report({ sql, params, durationMs: performance.now() - start, error });
    throw error;
  }
  report({ sql, params, durationMs: performance.now() - start, rowCount, ...(columns ? { columns } : {}) });
}
