import { afterAll, beforeAll } from "vitest";
import { type AsyncEngine, createAsyncEngine, type EngineOptions, type MetaData } from "../../src/index.ts";
import mysql from "mysql2/promise";
import pg from "pg";
import type { TestDatabase } from "./databases.ts";

/**
 * A database of its own for one test file on the servers, so that files running in parallel (and
 * several checkouts testing at once) can use the same table names (`users`, `organizations`)
 * without meeting. SQLite and PGlite are in memory and private already.
 *
 * ```ts
 * describeEachDatabase("session", (db) => {
 *   const ctx = useIsolatedDatabase(db, "session", Base.metadata);
 *   it("...", async () => { const session = new AsyncSession(ctx.engine); ... });
 * });
 * ```
 * `ctx.engine` is created in `beforeAll` with the metadata's tables, and dropped with its database
 * in `afterAll`. `ctx.reset()` empties every table (children first) for tests that want a clean
 * slate without re-creating the schema.
 */
export function useIsolatedDatabase(
  db: TestDatabase,
  label: string,
  metadata: MetaData,
  options: EngineOptions = {},
): { readonly engine: AsyncEngine; reset(): Promise<void> } {
  const name = `tsa_${label.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${process.pid}`;
  let created = false;
  let engine: AsyncEngine | undefined;

  beforeAll(async () => {
    if (db.name === "postgresql" || db.name === "mysql") {
      await dropDatabase(db, name);
      await runOnServer(db, `CREATE DATABASE ${quote(db, name)}`);
      created = true;
      engine = createAsyncEngine(withDatabase(db.url, name), options);
    } else {
      engine = createAsyncEngine(db.url, options);
    }
    await engine.begin((conn) => metadata.createAll(conn));
  });

  afterAll(async () => {
    try {
      await engine?.dispose();
    } finally {
      if (created) await dropDatabase(db, name);
    }
  });

  return {
    get engine(): AsyncEngine {
      if (!engine) throw new Error("useIsolatedDatabase: the engine exists only inside tests (after beforeAll)");
      return engine;
    },
    async reset(): Promise<void> {
      const tables = [...metadata.sortedTables].reverse();
      await this.engine.begin(async (conn) => {
        // MySQL checks foreign keys row by row, so a self-referential table cannot be emptied
        // with one DELETE while they are on; the others check at the end of the statement.
        if (db.name === "mysql") await conn.execDriverSql("SET FOREIGN_KEY_CHECKS = 0");
        for (const table of tables) await conn.execDriverSql(`DELETE FROM ${quote(db, table.name)}`);
        if (db.name === "mysql") await conn.execDriverSql("SET FOREIGN_KEY_CHECKS = 1");
      });
    },
  };
}

async function dropDatabase(db: TestDatabase, name: string): Promise<void> {
  // PostgreSQL refuses to drop a database with sessions still attached; WITH (FORCE) ends them.
  const force = db.name === "postgresql" ? " WITH (FORCE)" : "";
  await runOnServer(db, `DROP DATABASE IF EXISTS ${quote(db, name)}${force}`);
}

/**
 * CREATE/DROP DATABASE cannot run inside a transaction block, and the engine always begins one,
 * so these go through the raw driver in autocommit.
 */
async function runOnServer(db: TestDatabase, sql: string): Promise<void> {
  if (db.name === "postgresql") {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  } else {
    const connection = await mysql.createConnection({ uri: db.url });
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  }
}

function quote(db: TestDatabase, identifier: string): string {
  return db.name === "mysql" ? `\`${identifier}\`` : `"${identifier}"`;
}

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
