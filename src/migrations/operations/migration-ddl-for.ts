import type { Dialect } from "../../core/dialects/dialect.ts";
import { MigrationDdl } from "./migration-ddl.ts";
import { MysqlMigrationDdl } from "./mysql-migration-ddl.ts";
import { SqliteMigrationDdl } from "./sqlite-migration-ddl.ts";

/** Exhaustive: a new dialect fails to compile until it says how it alters tables. */
const MIGRATION_DDL: { readonly [N in Dialect["name"]]: (dialect: Dialect) => MigrationDdl } = {
  sqlite: (d) => new SqliteMigrationDdl(d),
  postgresql: (d) => new MigrationDdl(d),
  mysql: (d) => new MysqlMigrationDdl(d),
};

/** The migration DDL renderer for a dialect. */
export function migrationDdlFor(dialect: Dialect): MigrationDdl {
  return MIGRATION_DDL[dialect.name](dialect);
}
