import type { DialectCapabilities } from "../../../src/core/dialects/dialect.ts";
import { MysqlDialect } from "../../../src/core/dialects/mysql/mysql-dialect.ts";
import type { MysqlDdlCompiler } from "../../../src/core/dialects/mysql/mysql-ddl-compiler.ts";
import { PostgresqlDialect } from "../../../src/core/dialects/postgresql/postgresql-dialect.ts";
import type { PostgresqlDdlCompiler } from "../../../src/core/dialects/postgresql/postgresql-ddl-compiler.ts";
import { SqliteDialect } from "../../../src/core/dialects/sqlite/sqlite-dialect.ts";
import type { SqliteDdlCompiler } from "../../../src/core/dialects/sqlite/sqlite-ddl-compiler.ts";

/** Each dialect's DDL compiler over its own SQL compiler (a fresh one per call: no shared cache). */
export function sqliteDdl(): SqliteDdlCompiler {
  return new SqliteDialect().ddlCompiler;
}
export function postgresqlDdl(): PostgresqlDdlCompiler {
  return new PostgresqlDialect().ddlCompiler;
}
export function mysqlDdl(): MysqlDdlCompiler {
  return new MysqlDialect().ddlCompiler;
}

export const sqliteCapabilities: DialectCapabilities = new SqliteDialect().capabilities;
export const postgresqlCapabilities: DialectCapabilities = new PostgresqlDialect().capabilities;
export const mysqlCapabilities: DialectCapabilities = new MysqlDialect().capabilities;
