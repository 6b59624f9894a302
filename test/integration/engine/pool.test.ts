import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import {
  type AsyncConnection,
  type AsyncEngine,
  Column,
  DBAPIError,
  Integer,
  MetaData,
  StringType,
  Table,
  TimeoutError,
  createAsyncEngine,
  delete_,
  insert,
  select,
  text,
} from "../../../src/index.ts";
import { type TestDatabase, describeEachDatabase } from "../../support/databases.ts";

/**
 * The pool (acceptance 6): a bounded wait that fails with TimeoutError and does not hang, the
 * pool working afterwards, rollback of a returned connection's transaction, pre-ping replacing a
 * connection the server killed, and invalidation. SQLite and PGlite always have a pool of one.
 */
const POOL_TIMEOUT = 300;
/** "Does not hang", loosely: a timeout of 300 ms must surface well within this. */
const HANG_LIMIT = 5_000;

const isServer = (db: TestDatabase) => db.name === "postgresql" || db.name === "mysql";

/** The server's id of the physical connection (pg backend pid, MySQL connection id). */
async function backendId(conn: AsyncConnection): Promise<string> {
  const sql = conn.dialect.name === "postgresql" ? "SELECT pg_backend_pid() AS id" : "SELECT CONNECTION_ID() AS id";
  const value = (await conn.execute(text(sql))).scalarOne();
  return String(value);
}

/** Kills another session's server backend, and waits until it is gone. */
async function killBackend(conn: AsyncConnection, id: string): Promise<void> {
  if (conn.dialect.name === "postgresql") {
    const killed = (await conn.execute(text("SELECT pg_terminate_backend(:pid, 5000) AS ok").bindparams({ pid: Number(id) }))).scalarOne();
    expect([true, "t", 1]).toContain(killed);
  } else {
    await conn.execute(text(`KILL CONNECTION ${Number(id)}`));
  }
}

async function selectOne(conn: AsyncConnection): Promise<number> {
  return Number((await conn.execute(text("SELECT 1 AS one"))).scalarOne());
}

async function elapsed<T>(work: () => Promise<T>): Promise<{ ms: number; outcome: PromiseSettledResult<T> }> {
  const start = performance.now();
  const [outcome] = await Promise.allSettled([work()]);
  return { ms: performance.now() - start, outcome: outcome as PromiseSettledResult<T> };
}

describeEachDatabase("pool", (db) => {
  const metadata = new MetaData();
  const items = new Table(`t_${process.pid}_pool_items`, metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(StringType(20), { nullable: false }),
  });
  let engine: AsyncEngine;

  beforeAll(async () => {
    // LIFO: the tests below expect the connection just returned to come back next.
    engine = createAsyncEngine(db.url, { poolSize: 2, maxOverflow: 0, poolTimeout: POOL_TIMEOUT, poolPrePing: true, poolUseLifo: true });
    await engine.begin((conn) => metadata.createAll(conn));
  });

  afterAll(async () => {
    if (!engine) return;
    try {
      await engine.begin((conn) => metadata.dropAll(conn));
    } finally {
      await engine.dispose();
    }
  });

  beforeEach(async () => {
    await engine.begin((conn) => conn.execute(delete_(items)));
    // Every test starts with nothing checked out.
    expect(engine.pool.size - engine.pool.idle).toBe(0);
  });

  async function countRows(): Promise<number> {
    const conn = await engine.connect();
    try {
      return (await conn.execute(select(items.c.id))).all().length;
    } finally {
      await conn.close();
    }
  }

  if (!isServer(db)) {
    it("has a pool of one whatever poolSize says; a second connect() waits, then fails with TimeoutError", async () => {
      expect(engine.pool.options.size).toBe(1);
      const first = await engine.connect();
      try {
        const { ms, outcome } = await elapsed(() => engine.connect());
        expect(outcome.status).toBe("rejected");
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(TimeoutError);
        expect((outcome as PromiseRejectedResult).reason.code).toBe("3o7r");
        expect(ms).toBeGreaterThanOrEqual(POOL_TIMEOUT - 20);
        expect(ms).toBeLessThan(HANG_LIMIT);
        // The holder is unharmed.
        expect(await selectOne(first)).toBe(1);
      } finally {
        await first.close();
      }
      // After the release a connect() succeeds at once.
      const again = await engine.connect();
      expect(await selectOne(again)).toBe(1);
      await again.close();
    });

    it("a waiting connect() gets the connection when it is released in time", async () => {
      const first = await engine.connect();
      const waiting = engine.connect();
      setTimeout(() => void first.close(), 50);
      const second = await waiting;
      expect(await selectOne(second)).toBe(1);
      await second.close();
    });
  }

  if (isServer(db)) {
    it("pool of 2, three concurrent holders: the third fails with TimeoutError without hanging; the pool works afterwards", async () => {
      const start = performance.now();
      const outcomes = await Promise.allSettled([engine.connect(), engine.connect(), engine.connect()]);
      const ms = performance.now() - start;
      const held = outcomes.filter((o): o is PromiseFulfilledResult<AsyncConnection> => o.status === "fulfilled").map((o) => o.value);
      const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
      try {
        expect(held).toHaveLength(2);
        expect(failed).toHaveLength(1);
        expect(failed[0]?.reason).toBeInstanceOf(TimeoutError);
        expect(ms).toBeGreaterThanOrEqual(POOL_TIMEOUT - 20);
        expect(ms).toBeLessThan(HANG_LIMIT);
        expect(engine.pool.size).toBe(2);
        // Both holders work while the pool is exhausted, on distinct server connections.
        const ids = await Promise.all(held.map(backendId));
        expect(new Set(ids).size).toBe(2);

        // Release one: a new connect() succeeds (and gets the released connection back).
        await held[0]?.close();
        const third = await engine.connect();
        expect(await backendId(third)).toBe(ids[0]);
        held[0] = third;
        // Still exhausted: one more times out.
        await expect(engine.connect()).rejects.toBeInstanceOf(TimeoutError);
      } finally {
        await Promise.all(held.map((c) => c.close()));
      }

      // The pool works afterwards: more concurrent transactions than connections all complete.
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          engine.begin(async (conn) => {
            await conn.execute(insert(items).values({ id: i + 1, name: `n${i}` }));
            return selectOne(conn);
          }),
        ),
      );
      expect(results).toEqual([1, 1, 1, 1, 1, 1]);
      expect(await countRows()).toBe(6);
      expect(engine.pool.size).toBeLessThanOrEqual(2);
    });

    it("a waiter is served by a connection released (or invalidated) while it waits", async () => {
      const a = await engine.connect();
      const b = await engine.connect();
      const idA = await backendId(a);
      const waiting = engine.connect();
      setTimeout(() => void a.close(), 50);
      const c = await waiting;
      expect(await backendId(c)).toBe(idA);

      // An invalidated connection frees its place: the waiter gets a freshly opened one.
      const idB = await backendId(b);
      const waiting2 = engine.connect();
      setTimeout(() => {
        b.invalidate();
        void b.close();
      }, 50);
      const d = await waiting2;
      const idD = await backendId(d);
      expect(idD).not.toBe(idB);
      expect(idD).not.toBe(idA);
      await c.close();
      await d.close();
      expect(engine.pool.size).toBe(2);
    });
  }

  it("a connection returned with an open transaction is rolled back", async () => {
    const conn = await engine.connect();
    const id = isServer(db) ? await backendId(conn) : undefined;
    await conn.execute(insert(items).values({ id: 1, name: "uncommitted" }));
    expect(conn.inTransaction()).toBe(true);
    await conn.close();

    // The same physical connection comes back from the pool: had it kept its transaction, it
    // would see its own uncommitted row.
    const next = await engine.connect();
    try {
      if (id !== undefined) expect(await backendId(next)).toBe(id);
      expect((await next.execute(select(items.c.id))).all()).toEqual([]);
    } finally {
      await next.close();
    }
    expect(await countRows()).toBe(0);
  });

  it("a connection returned after a failed statement is clean for the next user", async () => {
    await engine.begin((conn) => conn.execute(insert(items).values({ id: 1, name: "one" })));
    const conn = await engine.connect();
    await conn.execute(insert(items).values({ id: 2, name: "two" }));
    await expect(conn.execute(insert(items).values({ id: 1, name: "dup" }))).rejects.toBeInstanceOf(DBAPIError);
    await conn.close();
    const next = await engine.connect();
    try {
      // On PostgreSQL an aborted transaction left open would refuse this statement.
      expect((await next.execute(select(items.c.id).orderBy(items.c.id))).scalars().all()).toEqual([1]);
      await next.execute(insert(items).values({ id: 3, name: "three" }));
      await next.commit();
    } finally {
      await next.close();
    }
    expect(await countRows()).toBe(2);
  });

  if (isServer(db)) {
    it("pre-ping: a pooled connection whose server backend was killed is replaced on the next connect()", async () => {
      const victim = await engine.connect();
      const killer = await engine.connect();
      const victimId = await backendId(victim);
      await victim.close();
      expect(engine.pool.idle).toBe(1);
      await killBackend(killer, victimId);
      await killer.commit();
      await killer.close();
      // Give the client library a moment to notice the socket closing (pre-ping must work either way).
      await new Promise((resolve) => setTimeout(resolve, 50));

      // Two connections idle, one of them dead: take both, neither may be the dead one.
      const a = await engine.connect();
      const b = await engine.connect();
      try {
        const ids = [await backendId(a), await backendId(b)];
        expect(ids).not.toContain(victimId);
        expect(await selectOne(a)).toBe(1);
        expect(await selectOne(b)).toBe(1);
      } finally {
        await a.close();
        await b.close();
      }
      expect(engine.pool.size).toBe(2);
    });
  }

  if (db.name !== "sqlite") {
    it("invalidate(): an invalidated connection's open transaction is discarded, not handed to the next user", async () => {
      const conn = await engine.connect();
      await conn.execute(insert(items).values({ id: 1, name: "never" }));
      conn.invalidate();
      await conn.close();
      expect(await countRows()).toBe(0);
      // And the next transaction's commit does not carry the invalidated connection's row with it.
      await engine.begin((c) => c.execute(insert(items).values({ id: 2, name: "two" })));
      const conn2 = await engine.connect();
      try {
        expect((await conn2.execute(select(items.c.id))).scalars().all()).toEqual([2]);
      } finally {
        await conn2.close();
      }
    });
  }

  // Last: on in-memory SQLite, closing the only connection drops the database with it.
  it("invalidate() then close(): the connection is discarded and the pool opens a fresh one", async () => {
    const conn = await engine.connect();
    const id = isServer(db) ? await backendId(conn) : undefined;
    const sizeBefore = engine.pool.size;
    conn.invalidate();
    await conn.close();
    expect(engine.pool.size).toBe(sizeBefore - 1);

    const fresh = await engine.connect();
    try {
      // Embedded: the pool had its one connection, so this one was opened afresh.
      if (!isServer(db)) expect(engine.pool.size).toBe(1);
      expect(await selectOne(fresh)).toBe(1);
      if (id !== undefined) expect(await backendId(fresh)).not.toBe(id);
    } finally {
      await fresh.close();
    }
    if (db.name === "sqlite") {
      // The fresh in-memory database is empty: recreate the table for afterAll.
      await engine.begin((c) => metadata.createAll(c));
    }
  });
});
