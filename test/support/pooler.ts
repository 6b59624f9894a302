import type { TestDatabase } from "./databases.ts";

/**
 * PostgreSQL behind pgbouncer in transaction mode, from `TEST_PG_POOLER_URL` (what
 * `pg-scaleout.sh env` exports). Unset: the pooler tests skip. Set: they must reach it, or fail.
 */
export function poolerDatabase(): TestDatabase | undefined {
  const url = process.env["TEST_PG_POOLER_URL"]?.trim();
  if (!url) return undefined;
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`TEST_PG_POOLER_URL=${url} must start with postgresql:// or postgres://`);
  return { name: "postgresql", url };
}
