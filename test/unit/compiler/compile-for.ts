import { expect } from "vitest";
import { boundParameters } from "../../../src/core/compiler/bound-parameters.ts";
import type { Dialect } from "../../../src/core/dialects/dialect.ts";
import { MysqlDialect } from "../../../src/core/dialects/mysql/index.ts";
import { PostgresqlDialect } from "../../../src/core/dialects/postgresql/index.ts";
import { SqliteDialect } from "../../../src/core/dialects/sqlite/index.ts";
import type { StatementNode } from "../../../src/core/sql/nodes.ts";

/** One dialect of each kind, shared by the compiler tests. */
export const dialects = {
  sqlite: new SqliteDialect(),
  postgresql: new PostgresqlDialect(),
  mysql: new MysqlDialect(),
} as const;

export type DialectName = keyof typeof dialects;

/** Anything that compiles: a select, compound select, insert, update, delete or text(). */
export interface Compilable {
  readonly node: StatementNode;
}

/** The SQL text and the raw (unprocessed) parameters, in placeholder order, as the engine binds them. */
export function compileFor(
  dialect: Dialect | DialectName,
  statement: Compilable,
  named?: Readonly<Record<string, unknown>>,
): { sql: string; params: unknown[] } {
  const d = typeof dialect === "string" ? dialects[dialect] : dialect;
  const { compiled, extracted } = d.compiler.compile(statement.node);
  return { sql: compiled.sql, params: boundParameters(compiled, extracted, named) };
}

/** The statement compiled for all three dialects. */
export function compileAll(statement: Compilable, named?: Readonly<Record<string, unknown>>) {
  return {
    sqlite: compileFor("sqlite", statement, named),
    postgresql: compileFor("postgresql", statement, named),
    mysql: compileFor("mysql", statement, named),
  };
}

/** The SQL each dialect must produce for one statement. */
export type ExpectedSql = { readonly [D in DialectName]: string };

/**
 * Asserts the SQL text for every dialect, and the parameters (the same for all dialects unless
 * given per dialect).
 */
export function expectSql(
  statement: Compilable,
  sql: ExpectedSql,
  params: readonly unknown[] | { readonly [D in DialectName]: readonly unknown[] } = [],
  named?: Readonly<Record<string, unknown>>,
): void {
  for (const name of Object.keys(dialects) as DialectName[]) {
    const expectedParams = Array.isArray(params) ? params : (params as { readonly [D in DialectName]: readonly unknown[] })[name];
    expect({ dialect: name, ...compileFor(name, statement, named) }).toEqual({ dialect: name, sql: sql[name], params: expectedParams });
  }
}
