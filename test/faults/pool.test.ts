/**
 * Fault suite, issue 10 item 3: the pool under failure. An exhausted pool fails a waiter with
 * TimeoutError on time; 100 failures of every kind that can happen on the database leak no
 * capacity; a connection killed on the server while idle costs at most one typed error.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type AsyncConnection,
  type AsyncEngine,
  AsyncSession,
  DBAPIError,
  IntegrityError,
  Integer,
  StringType,
  TimeoutError,
  createAsyncEngine,
  declarativeBase,
  mappedColumn,
  text,
} from "../../src/index.ts";
import { type TestDatabase, describeEachDatabase } from "../support/databases.ts";
import { useIsolatedDatabase } from "../support/isolated-database.ts";
import { backendId, hasKillableBackends, killBackend } from "../support/backends.ts";

const Base = declarativeBase();
class Item extends Base.model("fault_pool_items", {
  id: mappedColumn(Integer, { primaryKey: true, autoincrement: false }),
  name: mappedColumn(StringType(20)),
}) {}

const POOL_SIZE = 3;
/** The timeout of the exhaustion test; the failure loop uses a short one so its waiters cost little. */
const POOL_TIMEOUT = 500;
const LOOP_TIMEOUT = 50;
const FAILURES = 100;

/** A URL whose connect fails at once and never heals: an unknown role/user, a file in a missing directory. */
function unreachableUrl(db: TestDatabase): string | undefined {
  switch (db.name) {
    case "sqlite":
      return `sqlite:////nonexistent-${process.pid}/dir/fault.db`;
    case "pglite":
      return undefined;
    default: {
      const url = new URL(db.url);
      url.username = `tsa_no_such_user_${process.pid}`;
      url.password = "wrong";
      return url.toString();
    }
  }
}

async function selectOne(conn: AsyncConnection): Promise<number> {
  return Number((await conn.execute(text("SELECT 1 AS one"))).scalarOne());
}

describeEachDatabase("fault: pool", (db) => {
  const ctx = useIsolatedDatabase(db, "fault_pool", Base.metadata, { poolSize: POOL_SIZE, maxOverflow: 0, poolTimeout: LOOP_TIMEOUT });
  /** Another engine on the same database, for killing backends and holding nothing of ctx.engine's. */
  let admin: AsyncEngine | undefined;
  /** A table whose violation is reported at COMMIT where the database defers constraints. */
  let commitFailure: (conn: AsyncConnection) => Promise<void>;

  beforeAll(async () => {
    const engine = ctx.engine;
    const name = engine.dialect.name;
    await engine.begin(async (conn) => {
      if (name === "postgresql") {
        await conn.execDriverSql("CREATE TABLE fault_deferred (id integer, CONSTRAINT fault_deferred_u UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)");
      } else if (name === "sqlite") {
        await conn.execDriverSql("CREATE TABLE fault_parent (id integer PRIMARY KEY)");
        await conn.execDriverSql("CREATE TABLE fault_deferred (id integer REFERENCES fault_parent (id) DEFERRABLE INITIALLY DEFERRED)");
      } else {
        // MariaDB checks constraints per statement: the transaction fails on a unique violation instead.
        await conn.execDriverSql("CREATE TABLE fault_deferred (id integer, UNIQUE KEY fault_deferred_u (id))");
      }
    });
    commitFailure = async (conn) => {
      // PostgreSQL: a deferred unique violation; SQLite: a deferred foreign key violation. Both at COMMIT.
      await conn.execDriverSql(name === "sqlite" ? "INSERT INTO fault_deferred (id) VALUES (42)" : "INSERT INTO fault_deferred (id) VALUES (1)");
      if (name !== "sqlite") await conn.execDriverSql("INSERT INTO fault_deferred (id) VALUES (1)");
    };
    await engine.execute(text("DELETE FROM fault_pool_items"));
    if (hasKillableBackends(db)) admin = createAsyncEngine(engine.url, { poolSize: 1 });
  });

  afterAll(async () => {
    await admin?.dispose();
  });

  /** Everything given back: nothing checked out or waiting, every place an idle connection. */
  function expectAllIdle(engine: AsyncEngine): void {
    const { pool } = engine;
    expect({ checkedOut: pool.checkedOut, waiting: pool.waiting, idleEqualsSize: pool.idle === pool.size }).toEqual({
      checkedOut: 0,
      waiting: 0,
      idleEqualsSize: true,
    });
  }

  /** `size` concurrent checkouts all succeed, each in less than the pool timeout (nothing waited for a place). */
  async function expectFullCapacity(engine: AsyncEngine): Promise<number> {
    const size = engine.pool.options.size;
    const start = performance.now();
    const held = await Promise.all(Array.from({ length: size }, () => engine.connect()));
    const ms = performance.now() - start;
    try {
      expect(await Promise.all(held.map(selectOne))).toEqual(Array(size).fill(1));
      expect(engine.pool.checkedOut).toBe(size);
    } finally {
      await Promise.all(held.map((c) => c.close()));
    }
    expect(ms).toBeLessThan(engine.pool.options.timeoutMs);
    expectAllIdle(engine);
    return ms;
  }

  it(`an exhausted pool fails the next checkout with TimeoutError after poolTimeout, not much later (${POOL_TIMEOUT} ms)`, async () => {
    const engine = createAsyncEngine(ctx.engine.url, { poolSize: POOL_SIZE, maxOverflow: 0, poolTimeout: POOL_TIMEOUT });
    try {
      const size = engine.pool.options.size;
      const held = await Promise.all(Array.from({ length: size }, () => engine.connect()));
      const waits: number[] = [];
      try {
        for (let attempt = 0; attempt < 3; attempt++) {
          const start = performance.now();
          const outcome = await engine.connect().then(
            (conn) => conn,
            (error: unknown) => error,
          );
          const ms = performance.now() - start;
          waits.push(Math.round(ms));
          expect(outcome).toBeInstanceOf(TimeoutError);
          expect(ms).toBeGreaterThanOrEqual(POOL_TIMEOUT * 0.9);
          // The timer fires on time; what a loaded 2-core machine adds is scheduling, not waiting
          // (606 ms was seen with other suites running): the bound is "not hanging", not a speed.
          expect(ms).toBeLessThanOrEqual(POOL_TIMEOUT * 2);
        }
        // The holders are unharmed.
        expect(await Promise.all(held.map(selectOne))).toEqual(Array(size).fill(1));
      } finally {
        await Promise.all(held.map((c) => c.close()));
      }
      console.log(`[fault pool ${db.name}] exhausted pool (size ${size}): TimeoutError after ${waits.join(", ")} ms for poolTimeout ${POOL_TIMEOUT} ms`);
      await expectFullCapacity(engine);
    } finally {
      await engine.dispose();
    }
  });

  it(`${FAILURES} failures of every kind the database has leak no capacity`, async () => {
    const engine = ctx.engine;
    const unreachable = unreachableUrl(db);
    const badEngine = unreachable === undefined ? undefined : createAsyncEngine(unreachable, { poolSize: 2, maxOverflow: 0, poolTimeout: LOOP_TIMEOUT });
    const kinds: [string, () => Promise<unknown>, (error: unknown) => boolean][] = [
      [
        "statement error in a transaction",
        () => engine.begin((conn) => conn.execDriverSql("SELECT no_such_column FROM fault_pool_items")),
        (e) => e instanceof DBAPIError,
      ],
      [
        engine.dialect.name === "mysql" ? "unique violation in a transaction" : "failed COMMIT (deferred constraint)",
        () => engine.begin(commitFailure),
        (e) => e instanceof IntegrityError,
      ],
      [
        "user code throws inside engine.begin(fn)",
        () =>
          engine.begin(async (conn) => {
            await selectOne(conn);
            throw new RangeError("user code");
          }),
        (e) => e instanceof RangeError,
      ],
      [
        "session flush IntegrityError, then close",
        async () => {
          const session = new AsyncSession(engine);
          try {
            session.add(new Item({ id: 1, name: "dup" }));
            await session.flush();
          } finally {
            await session.close();
          }
        },
        (e) => e instanceof IntegrityError,
      ],
      [
        "a waiter times out",
        async () => {
          const held = await Promise.all(Array.from({ length: engine.pool.options.size }, () => engine.connect()));
          try {
            await engine.connect();
          } finally {
            await Promise.all(held.map((c) => c.close()));
          }
        },
        (e) => e instanceof TimeoutError,
      ],
    ];
    if (badEngine) {
      kinds.push(["connect failure (second engine)", () => badEngine.connect(), (e) => e instanceof DBAPIError]);
    }
    if (admin) {
      const killer = admin;
      kinds.push([
        "connection killed on the server while checked out",
        async () => {
          const conn = await engine.connect();
          try {
            await killBackend(killer, await backendId(conn));
            await selectOne(conn);
          } finally {
            await conn.close();
          }
        },
        (e) => e instanceof DBAPIError,
      ]);
    }

    // The row the flush kind collides with.
    await engine.execute(text("INSERT INTO fault_pool_items (id, name) VALUES (1, 'one')"));
    const counts = new Map<string, number>();
    const unexpected: string[] = [];
    const start = performance.now();
    try {
      for (let i = 0; i < FAILURES; i++) {
        const [label, provoke, expected] = kinds[i % kinds.length] as (typeof kinds)[number];
        const error = await provoke().then(
          () => undefined,
          (e: unknown) => e,
        );
        if (error === undefined || !expected(error)) unexpected.push(`${label}: ${error === undefined ? "no error" : String(error)}`);
        counts.set(label, (counts.get(label) ?? 0) + 1);
      }
      expect(unexpected).toEqual([]);
      expect(badEngine?.pool.size ?? 0).toBe(0);
      if (badEngine) expect(badEngine.pool.checkedOut + badEngine.pool.waiting).toBe(0);
    } finally {
      await badEngine?.dispose();
    }
    const loopMs = performance.now() - start;
    expectAllIdle(engine);
    const checkoutMs = await expectFullCapacity(engine);
    const size = engine.pool.options.size;
    console.log(
      `[fault pool ${db.name}] ${FAILURES} failures of ${kinds.length} kinds in ${Math.round(loopMs)} ms ` +
        `(${[...counts].map(([k, n]) => `${k} ×${n}`).join("; ")}): leaked capacity 0; ` +
        `${size}/${size} concurrent checkouts in ${Math.round(checkoutMs)} ms; pool ${engine.pool.idle} idle of ${engine.pool.size}` +
        (badEngine ? "; unreachable engine holds 0 places" : ""),
    );
  });

  for (const prePing of [true, false]) {
    // SQLite and PGlite run in process: no server backend to kill, so the test is reported skipped there.
    it.skipIf(!hasKillableBackends(db))(`an idle connection killed on the server: the next uses ${prePing ? "surface 0 errors (poolPrePing)" : "surface at most one DBAPIError, then recover (no pre-ping)"}`, async () => {
      const killer = admin as AsyncEngine;
      const engine = createAsyncEngine(ctx.engine.url, { poolSize: 1, maxOverflow: 0, poolTimeout: 2_000, poolPrePing: prePing });
      const ROUNDS = 10;
      let errors = 0;
      let replaced = 0;
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const conn = await engine.connect();
          const killed = await backendId(conn);
          await conn.close();
          expect(engine.pool.idle).toBe(1);
          await killBackend(killer, killed);
          // The next use; a failure must be typed, and the use after it must work.
          let result: number | undefined;
          for (let attempt = 0; result === undefined; attempt++) {
            expect(attempt).toBeLessThan(2);
            try {
              result = await engine.begin(async (c) => {
                expect(await backendId(c)).not.toBe(killed);
                return selectOne(c);
              });
            } catch (error) {
              expect(error).toBeInstanceOf(DBAPIError);
              errors++;
            }
          }
          expect(result).toBe(1);
          replaced++;
          expectAllIdle(engine);
        }
      } finally {
        await engine.dispose();
      }
      if (prePing) expect(errors).toBe(0);
      else expect(errors).toBeLessThanOrEqual(ROUNDS);
      console.log(
        `[fault pool ${db.name}] idle connection killed ${ROUNDS}× with poolPrePing ${prePing}: ${errors} errors surfaced ` +
          `(${(errors / ROUNDS).toFixed(1)} per kill), ${replaced}/${ROUNDS} recovered on the next use`,
      );
    });
  }
});
