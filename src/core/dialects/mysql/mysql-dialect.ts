import type { Dialect, DialectCapabilities, TypeProcessing } from "../dialect.ts";
import { type TransactionOptions, type TransactionSql, requireIsolationLevel } from "../transaction-options.ts";
import type { MysqlVariant } from "./mysql-capabilities.ts";
import { MysqlCompiler } from "./mysql-compiler.ts";
import { MysqlDdlCompiler } from "./mysql-ddl-compiler.ts";
import { mysqlTypeProcessing } from "./mysql-types.ts";

/**
 * MySQL and MariaDB (MariaDB ≥ 10.6 by default; `{ variant: "mysql" }` for MySQL 8):
 * backquoted identifiers, `?` placeholders, 1/0 booleans, `ON DUPLICATE KEY UPDATE` upserts,
 * INSERT/DELETE … RETURNING on MariaDB.
 *
 * ```ts
 * const dialect = new MysqlDialect();
 * dialect.compiler.compile(select(users.c.id).where(users.c.name.eq("ann")).node).compiled.sql;
 * // SELECT `users`.`id` FROM `users` WHERE `users`.`name` = ?
 * ```
 */
export class MysqlDialect implements Dialect {
  readonly name = "mysql";
  readonly compiler: MysqlCompiler;
  readonly ddlCompiler: MysqlDdlCompiler;
  readonly types: TypeProcessing = mysqlTypeProcessing;
  readonly beginSql = "BEGIN";

  constructor(options: { cacheSize?: number; variant?: MysqlVariant } = {}) {
    this.compiler = new MysqlCompiler(options);
    this.ddlCompiler = new MysqlDdlCompiler(this.compiler);
  }

  get capabilities(): DialectCapabilities {
    return this.compiler.capabilities;
  }

  /**
   * `SET TRANSACTION ISOLATION LEVEL REPEATABLE READ` (without GLOBAL or SESSION it applies to the
   * next transaction only, so nothing reaches the next user of the connection), then `BEGIN`, or
   * `START TRANSACTION READ ONLY` (MySQL ≥ 5.6.5, MariaDB ≥ 10.0).
   */
  transactionSql(options: TransactionOptions): TransactionSql {
    const level = requireIsolationLevel(options);
    const begin = options.readOnly ? "START TRANSACTION READ ONLY" : this.beginSql;
    return { begin: level ? [`SET TRANSACTION ISOLATION LEVEL ${level}`, begin] : [begin], restore: [] };
  }

  /** In `schema`, or else in the connection's current database. */
  tableExistsQuery(name: string, schema: string | undefined): { sql: string; params: unknown[] } {
    return {
      sql: "SELECT 1 FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?",
      params: [schema ?? null, name],
    };
  }
}
