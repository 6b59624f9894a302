import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AsyncEngine, AsyncSession, Integer, createAsyncEngine, declarativeBase, mappedColumn } from "../../src/index.ts";
import { useIsolatedDatabase } from "../support/isolated-database.ts";
import { testDatabases } from "../support/databases.ts";

const Base = declarativeBase();
class Counter extends Base.model(`counters_${process.pid}`, {
  id: mappedColumn(Integer, { primaryKey: true }),
  value: mappedColumn(Integer),
}) {}
Base.register(Counter);

const WORKERS = 8;
const INCREMENTS = 100;

/**
 * 8 workers × 100 read-modify-write increments of one counter row, each in
 * `session.runTransaction(…, { isolationLevel: "SERIALIZABLE" })`: conflicting transactions fail
 * with a serialization failure (PostgreSQL 40001), a deadlock (MariaDB's SERIALIZABLE turns the
 * read into a shared lock, so two readers that both write deadlock: 1213) or a busy database
 * (SQLite, a file shared by eight engines with busy_timeout 0), are rolled back and run again.
 * No increment may be lost or applied twice: the counter ends at exactly 800. PGlite has one
 * connection, so nothing there can conflict.
 */
async function hammer(engines: readonly AsyncEngine[]): Promise<{ retries: number; ms: number }> {
  let retries = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WORKERS }, async (_, worker) => {
      const session = new AsyncSession(engines[worker % engines.length] as AsyncEngine);
      for (let i = 0; i < INCREMENTS; i++) {
        await session.runTransaction(
          async (s) => {
            const counter = (await s.get(Counter, 1, { populateExisting: true })) as Counter;
            counter.value = (counter.value ?? 0) + 1;
          },
          { isolationLevel: "SERIALIZABLE", retries: 200, backoffMs: 5, onRetry: () => retries++ },
        );
      }
      await session.close();
    }),
  );
  return { retries, ms: performance.now() - started };
}

async function counterValue(engine: AsyncEngine): Promise<number> {
  await using session = new AsyncSession(engine);
  return ((await session.get(Counter, 1)) as Counter).value ?? -1;
}

for (const db of testDatabases().filter((d) => d.name === "postgresql" || d.name === "mysql")) {
  describe(`runTransaction under contention [${db.name}]`, () => {
    const ctx = useIsolatedDatabase(db, "run_transaction", Base.metadata, { poolSize: WORKERS, maxOverflow: 0 });

    it(`${WORKERS} workers × ${INCREMENTS} SERIALIZABLE increments end at exactly ${WORKERS * INCREMENTS}`, async () => {
      await ctx.engine.begin(async (conn) => {
        await conn.execDriverSql(`INSERT INTO counters_${process.pid} (id, value) VALUES (1, 0)`);
      });
      const { retries, ms } = await hammer([ctx.engine]);
      console.log(`[${db.name}] ${WORKERS * INCREMENTS} increments in ${ms.toFixed(0)} ms, ${retries} retries`);
      expect(await counterValue(ctx.engine)).toBe(WORKERS * INCREMENTS);
      expect(retries).toBeGreaterThan(0);
      expect(ctx.engine.pool.checkedOut).toBe(0);
    });
  });
}

for (const _db of testDatabases().filter((d) => d.name === "sqlite")) describe("runTransaction under contention [sqlite, a file]", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsal-run-tx-"));
  const url = `sqlite:///${join(dir, "counter.db")}`;
  const engines: AsyncEngine[] = [];

  beforeAll(async () => {
    for (let i = 0; i < WORKERS; i++) {
      const engine = createAsyncEngine(url);
      // Fail at once rather than let better-sqlite3 block the only thread (and so the lock holder) for 5 s.
      // WAL: readers do not block the writer, and a commit does not wait for a full fsync.
      engine.pool.on("connect", (connection) => {
        void connection.execute("PRAGMA busy_timeout = 0", []);
        void connection.execute("PRAGMA journal_mode = WAL", []);
        void connection.execute("PRAGMA synchronous = NORMAL", []);
      });
      engines.push(engine);
    }
    const first = engines[0] as AsyncEngine;
    await first.begin(async (conn) => {
      await Base.metadata.createAll(conn);
      await conn.execDriverSql(`INSERT INTO counters_${process.pid} (id, value) VALUES (1, 0)`);
    });
  });
  afterAll(async () => {
    for (const engine of engines) await engine.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${WORKERS} engines × ${INCREMENTS} increments end at exactly ${WORKERS * INCREMENTS}`, async () => {
    const { retries, ms } = await hammer(engines);
    console.log(`[sqlite file] ${WORKERS * INCREMENTS} increments in ${ms.toFixed(0)} ms, ${retries} retries (SQLITE_BUSY)`);
    expect(await counterValue(engines[0] as AsyncEngine)).toBe(WORKERS * INCREMENTS);
    expect(retries).toBeGreaterThan(0);
  });
});
