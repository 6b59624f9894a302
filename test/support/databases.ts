import { describe } from "vitest";

/** One database of the integration matrix: a name for test titles and the engine URL to open. */
export type TestDatabase = { name: "sqlite" | "pglite" | "postgresql" | "mysql"; url: string };

const SERVERS = [
  { name: "postgresql", variable: "TEST_PG_URL", scheme: "postgresql://" },
  { name: "mysql", variable: "TEST_MYSQL_URL", scheme: "mysql://" },
] as const;

/**
 * SQLite and PGlite (both in memory) always; the PostgreSQL and MariaDB servers when their URL is
 * in the environment. A configured server is never skipped: if it is unreachable, its tests fail
 * when the engine connects, so nothing here checks reachability or catches errors.
 */
export function testDatabases(): TestDatabase[] {
  const databases: TestDatabase[] = [
    { name: "sqlite", url: "sqlite://:memory:" },
    { name: "pglite", url: "pglite://" },
  ];
  for (const { name, variable, scheme } of SERVERS) {
    const url = process.env[variable]?.trim();
    if (!url) continue;
    if (!url.startsWith(scheme)) throw new Error(`${variable}=${url} must start with ${scheme}`);
    databases.push({ name, url });
  }
  return databases;
}

/** `describe(\`${title} [${db.name}]\`, …)` once per database of the matrix. */
export function describeEachDatabase(title: string, fn: (db: TestDatabase) => void): void {
  for (const db of testDatabases()) {
    describe(`${title} [${db.name}]`, () => fn(db));
  }
}
