import type { Dialect } from "../../core/dialects/dialect.ts";

/** What a database needs around each migration, besides its transaction. */
export interface MigrationSessionSql {
  /** Before BEGIN, outside any transaction. */
  readonly before: readonly string[];
  /** Inside the transaction before COMMIT: any row it returns fails the migration. */
  readonly check: string | undefined;
  /** After COMMIT or ROLLBACK. */
  readonly after: readonly string[];
}

/**
 * Exhaustive per dialect. SQLite rebuilds tables (copy-and-move), and a `DROP TABLE` with foreign
 * keys enforced would delete (or cascade to) the rows that refer to it: foreign keys are off for
 * the migration (the pragma is ignored inside a transaction, hence before BEGIN), and
 * `PRAGMA foreign_key_check` must come back empty before COMMIT.
 */
const SESSION_SQL: { readonly [N in Dialect["name"]]: MigrationSessionSql } = {
  sqlite: { before: ["PRAGMA foreign_keys = OFF"], check: "PRAGMA foreign_key_check", after: ["PRAGMA foreign_keys = ON"] },
  postgresql: { before: [], check: undefined, after: [] },
  mysql: { before: [], check: undefined, after: [] },
};

export function migrationSessionSql(dialect: Dialect): MigrationSessionSql {
  return SESSION_SQL[dialect.name];
}
