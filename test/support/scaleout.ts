import type { TestDatabase } from "./databases.ts";

/**
 * The scale-out kit's clusters, from what `pg-scaleout.sh env` exports: a primary with a streaming
 * replica (TEST_PG_PRIMARY_URL, TEST_PG_REPLICA_URL) and independent shards (TEST_PG_SHARD_URLS,
 * comma-separated). Unset: their tests skip. Set: they must reach them, or fail.
 */
export function replicaPair(): { primary: TestDatabase; replica: TestDatabase } | undefined {
  const primary = serverUrl("TEST_PG_PRIMARY_URL");
  const replica = serverUrl("TEST_PG_REPLICA_URL");
  if (primary === undefined && replica === undefined) return undefined;
  if (primary === undefined || replica === undefined) throw new Error("TEST_PG_PRIMARY_URL and TEST_PG_REPLICA_URL go together");
  return { primary: { name: "postgresql", url: primary }, replica: { name: "postgresql", url: replica } };
}

/** The shard clusters (at least two), or undefined when TEST_PG_SHARD_URLS is unset. */
export function shardDatabases(): TestDatabase[] | undefined {
  const urls = process.env["TEST_PG_SHARD_URLS"]?.trim();
  if (!urls) return undefined;
  const shards = urls.split(",").map((url) => ({ name: "postgresql" as const, url: checked("TEST_PG_SHARD_URLS", url.trim()) }));
  if (shards.length < 2) throw new Error(`TEST_PG_SHARD_URLS=${urls} needs two shards or more`);
  return shards;
}

function serverUrl(variable: string): string | undefined {
  const url = process.env[variable]?.trim();
  return url ? checked(variable, url) : undefined;
}

function checked(variable: string, url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`${variable}=${url} must start with postgresql:// or postgres://`);
  return url;
}
