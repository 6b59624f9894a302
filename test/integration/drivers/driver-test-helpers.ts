import type { DriverStream, StreamChunk } from "../../../src/core/drivers/driver.ts";
import type { DBAPIError } from "../../../src/shared/errors.ts";

/** Every chunk a stream yields, in order. */
export async function collect(chunks: DriverStream): Promise<StreamChunk[]> {
  const all: StreamChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

/**
 * The error a statement fails with; fails the test when it succeeds. A synchronous driver call
 * (better-sqlite3) throws at once, so it comes as a function to call.
 */
export async function caught(statement: unknown): Promise<DBAPIError> {
  try {
    await (typeof statement === "function" ? (statement as () => unknown)() : statement);
  } catch (error) {
    return error as DBAPIError;
  }
  throw new Error("expected the statement to fail");
}

/** A table name no concurrent test run shares. */
export function uniqueTableName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}`;
}
