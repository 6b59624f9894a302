import type { Dialect, DialectCapabilities, TypeProcessing } from "../dialect.ts";
import { SqliteCompiler } from "./sqlite-compiler.ts";
import { SqliteDdlCompiler } from "./sqlite-ddl-compiler.ts";
import { sqliteTypeProcessing } from "./sqlite-types.ts";

/**
 * SQLite: `"quoted"` identifiers, `?` placeholders, 1/0 booleans, `ON CONFLICT` upserts,
 * RETURNING on every DML statement, no row locks.
 *
 * ```ts
 * const dialect = new SqliteDialect();
 * dialect.compiler.compile(select(users.c.id).where(users.c.name.eq("ann")).node).compiled.sql;
 * // SELECT "users"."id" FROM "users" WHERE "users"."name" = ?
 * ```
 */
export class SqliteDialect implements Dialect {
  readonly name = "sqlite";
  readonly compiler: SqliteCompiler;
  readonly ddlCompiler: SqliteDdlCompiler;
  readonly types: TypeProcessing = sqliteTypeProcessing;
  readonly beginSql = "BEGIN";

  constructor(options: { cacheSize?: number } = {}) {
    this.compiler = new SqliteCompiler(options);
    this.ddlCompiler = new SqliteDdlCompiler(this.compiler);
  }

  get capabilities(): DialectCapabilities {
    return this.compiler.capabilities;
  }

  tableExistsQuery(name: string, schema: string | undefined): { sql: string; params: unknown[] } {
    const master = schema === undefined ? "sqlite_master" : `${this.compiler.quote(schema)}.sqlite_master`;
    return { sql: `SELECT 1 FROM ${master} WHERE type = 'table' AND name = ?`, params: [name] };
  }
}
