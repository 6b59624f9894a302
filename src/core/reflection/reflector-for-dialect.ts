import type { Dialect } from "../dialects/dialect.ts";
import type { DialectReflector } from "./dialect-reflector.ts";
import { MysqlReflector } from "./mysql/mysql-reflector.ts";
import { PostgresqlReflector } from "./postgresql/postgresql-reflector.ts";
import { SqliteReflector } from "./sqlite/sqlite-reflector.ts";

/**
 * The catalog queries for each dialect. Exhaustive: a new dialect fails to compile until it has
 * a reflector. (The reflectors live here, not in the dialect folders, because they sit above the
 * engine: docs/adr/0008-reflection-api.md.)
 */
const REFLECTORS: { readonly [N in Dialect["name"]]: () => DialectReflector } = {
  sqlite: () => new SqliteReflector(),
  postgresql: () => new PostgresqlReflector(),
  mysql: () => new MysqlReflector(),
};

/** A fresh reflector (it may cache what it learns of the server, such as MariaDB vs MySQL). */
export function reflectorFor(dialect: Dialect): DialectReflector {
  return REFLECTORS[dialect.name]();
}
