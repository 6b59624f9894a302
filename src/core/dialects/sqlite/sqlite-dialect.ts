import type { Dialect, DialectCapabilities, TypeProcessing } from "../dialect.ts";
import { NotSupportedFeatureError } from "../../../shared/errors.ts";
import { type TransactionOptions, type TransactionSql, requireIsolationLevel } from "../transaction-options.ts";
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

  /**
   * SQLite transactions are always SERIALIZABLE (writers are serialized by the database lock), so
   * that level is a plain `BEGIN` and the weaker ones are refused rather than pretended: READ
   * UNCOMMITTED (`PRAGMA read_uncommitted`) only changes anything between connections sharing a
   * cache, which these connections never do. Read-only is `PRAGMA query_only = ON` before `BEGIN`,
   * switched off again when the transaction ends.
   */
  transactionSql(options: TransactionOptions): TransactionSql {
    const level = requireIsolationLevel(options);
    if (level !== undefined && level !== "SERIALIZABLE") {
      throw new NotSupportedFeatureError(
        `SQLite cannot run a transaction at isolation level ${level}: its transactions are always SERIALIZABLE ` +
          '(pass "SERIALIZABLE", or leave isolationLevel out)',
      );
    }
    if (!options.readOnly) return { begin: [this.beginSql], restore: [] };
    return { begin: ["PRAGMA query_only = ON", this.beginSql], restore: ["PRAGMA query_only = OFF"] };
  }

  tableExistsQuery(name: string, schema: string | undefined): { sql: string; params: unknown[] } {
    const master = schema === undefined ? "sqlite_master" : `${this.compiler.quote(schema)}.sqlite_master`;
    return { sql: `SELECT 1 FROM ${master} WHERE type = 'table' AND name = ?`, params: [name] };
  }
}
