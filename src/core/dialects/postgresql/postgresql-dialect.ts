import type { CursorSql, Dialect, DialectCapabilities, TypeProcessing } from "../dialect.ts";
import { type TransactionOptions, type TransactionSql, requireIsolationLevel } from "../transaction-options.ts";
import { PostgresqlCompiler } from "./postgresql-compiler.ts";
import { PostgresqlDdlCompiler } from "./postgresql-ddl-compiler.ts";
import { postgresqlTypeProcessing } from "./postgresql-types.ts";

/**
 * PostgreSQL (a server through pg, or PGlite): `"quoted"` identifiers, `$n` placeholders,
 * native booleans, ILIKE, `ON CONFLICT` upserts, RETURNING, row locks.
 *
 * ```ts
 * const dialect = new PostgresqlDialect();
 * dialect.compiler.compile(select(users.c.id).where(users.c.name.eq("ann")).node).compiled.sql;
 * // SELECT "users"."id" FROM "users" WHERE "users"."name" = $1
 * ```
 */
export class PostgresqlDialect implements Dialect {
  readonly name = "postgresql";
  readonly compiler: PostgresqlCompiler;
  readonly ddlCompiler: PostgresqlDdlCompiler;
  readonly types: TypeProcessing = postgresqlTypeProcessing;
  readonly beginSql = "BEGIN";
  /** Parameters of the query bind through DECLARE as through the query itself. */
  readonly cursorSql: CursorSql = {
    declare: (name, query) => `DECLARE ${name} NO SCROLL CURSOR FOR ${query}`,
    fetch: (name, count) => `FETCH FORWARD ${count} FROM ${name}`,
    close: (name) => `CLOSE ${name}`,
  };

  constructor(options: { cacheSize?: number } = {}) {
    this.compiler = new PostgresqlCompiler(options);
    this.ddlCompiler = new PostgresqlDdlCompiler(this.compiler);
  }

  get capabilities(): DialectCapabilities {
    return this.compiler.capabilities;
  }

  /**
   * One statement: `BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY`. The characteristics last this
   * transaction only, so nothing reaches the next user of the connection. (PostgreSQL runs READ
   * UNCOMMITTED as READ COMMITTED, which the standard allows.)
   */
  transactionSql(options: TransactionOptions): TransactionSql {
    const level = requireIsolationLevel(options);
    const modes = [level && `ISOLATION LEVEL ${level}`, options.readOnly && "READ ONLY"].filter(Boolean);
    return { begin: [modes.length > 0 ? `BEGIN ${modes.join(" ")}` : this.beginSql], restore: [] };
  }

  /** A table, view or partition visible on the search path (or in `schema`). */
  tableExistsQuery(name: string, schema: string | undefined): { sql: string; params: unknown[] } {
    const where =
      schema === undefined
        ? "pg_catalog.pg_table_is_visible(c.oid) AND n.nspname <> 'pg_catalog'"
        : "n.nspname = $2";
    return {
      sql:
        "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
        `WHERE c.relname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${where}`,
      params: schema === undefined ? [name] : [name, schema],
    };
  }
}
