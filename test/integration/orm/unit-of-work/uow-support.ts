import type { AsyncEngine, NotLoaded } from "../../../../src/index.ts";
import type { RanStatement } from "../../../support/statements.ts";

/**
 * A statement's SQL in one spelling for every dialect, so flush tests can compare shapes across
 * databases: MySQL's backquotes become double quotes and PostgreSQL's `$1` placeholders become `?`.
 */
export function shape(sql: string): string {
  return sql.replace(/`/g, '"').replace(/\$\d+/g, "?");
}

/** `"INSERT users"`, `"UPDATE posts"`, `"DELETE organizations"`, `"SELECT categories"`: verb and table. */
export function verbAndTable(sql: string): string {
  const s = shape(sql);
  const match =
    /^(INSERT) INTO "([^"]+)"/.exec(s) ?? /^(UPDATE) "([^"]+)"/.exec(s) ?? /^(DELETE) FROM "([^"]+)"/.exec(s) ?? /^(SELECT) .*? FROM "([^"]+)"/.exec(s);
  return match ? `${match[1]} ${match[2]}` : s;
}

/** `verbAndTable` of each statement. */
export function summary(statements: readonly RanStatement[]): string[] {
  return statements.map((s) => verbAndTable(s.sql));
}

/** The statements' SQL, shaped. */
export function shapes(statements: readonly RanStatement[]): string[] {
  return statements.map((s) => shape(s.sql));
}

/** Narrows a lazily typed relationship value the test knows is loaded (a new object's, or one it loaded). */
export function loaded<T>(value: T): Exclude<T, NotLoaded<unknown>> {
  return value as Exclude<T, NotLoaded<unknown>>;
}

/** Rows of a raw query on a connection of its own (outside any session), as arrays. */
export async function rawRows(engine: AsyncEngine, sql: string): Promise<unknown[][]> {
  const conn = await engine.connect();
  try {
    return (await conn.execDriverSql(sql)).rows.map((row) => [...row]);
  } finally {
    await conn.close();
  }
}

/** How many rows `table` holds. */
export async function countRows(engine: AsyncEngine, table: string): Promise<number> {
  return Number((await rawRows(engine, `SELECT COUNT(*) FROM ${table}`))[0]?.[0]);
}

/**
 * Empties the graph fixture's tables. The category tree is unlinked first: MySQL checks foreign
 * keys row by row, so a plain `DELETE FROM categories` can refuse a parent deleted before its child.
 */
export async function resetGraph(ctx: { readonly engine: AsyncEngine; reset(): Promise<void> }): Promise<void> {
  await ctx.engine.begin((conn) => conn.execDriverSql("UPDATE categories SET parent_id = NULL").then(() => undefined));
  await ctx.reset();
}
