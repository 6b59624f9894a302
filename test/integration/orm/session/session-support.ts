import type { AsyncEngine } from "../../../../src/index.ts";
import { stateOf, type Status } from "../../../../src/orm/state/instance-state.ts";
import { Base } from "../../../fixtures/seed-models/base.ts";
import { Organization } from "../../../fixtures/seed-models/organization.ts";
import { User } from "../../../fixtures/seed-models/user.ts";
import type { RanStatement } from "../../../support/statements.ts";

Base.register(Organization, User);

export { Base, Organization, User };

/** A statement's SQL in one spelling for every dialect: MySQL's backquotes → double quotes, `$1` → `?`. */
export function shape(sql: string): string {
  return sql.replace(/`/g, '"').replace(/\$\d+/g, "?");
}

/** `"INSERT users"`, `"UPDATE users"`, `"DELETE organizations"`, `"SELECT users"`: verb and first table. */
export function verbAndTable(sql: string): string {
  const s = shape(sql);
  const match =
    /^(INSERT) INTO "([^"]+)"/.exec(s) ?? /^(UPDATE) "([^"]+)"/.exec(s) ?? /^(DELETE) FROM "([^"]+)"/.exec(s) ?? /^(SELECT) .*? FROM "([^"]+)"/s.exec(s);
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

/** SQLAlchemy's object state (`inspect(obj).transient` …) of a mapped instance. */
export function statusOf(object: object): Status | undefined {
  return stateOf(object)?.status;
}

/** Rows of a raw query on a connection of its own (outside any session), as arrays. */
export async function rawRows(engine: AsyncEngine, sql: string): Promise<unknown[][]> {
  const conn = await engine.connect();
  try {
    return (await conn.execDriverSql(sql)).rows.map((row) => [...row].map((v) => (typeof v === "bigint" ? Number(v) : v)));
  } finally {
    await conn.close();
  }
}

/** How many rows `table` holds, seen from a connection of its own. */
export async function countRows(engine: AsyncEngine, table: string): Promise<number> {
  return Number((await rawRows(engine, `SELECT COUNT(*) FROM ${table}`))[0]?.[0]);
}

/** Organization 1 "Acme" with users 1 "ann" and 2 "bob", written through a connection of its own. */
export async function seedAcme(ctx: { readonly engine: AsyncEngine; reset(): Promise<void> }): Promise<void> {
  await ctx.reset();
  await ctx.engine.begin(async (conn) => {
    await conn.execDriverSql("INSERT INTO organizations (id, name) VALUES (1, 'Acme')");
    await conn.execDriverSql("INSERT INTO users (id, name, email, organization_id) VALUES (1, 'ann', 'ann@example.com', 1)");
    await conn.execDriverSql("INSERT INTO users (id, name, email, organization_id) VALUES (2, 'bob', 'bob@example.com', 1)");
  });
}
