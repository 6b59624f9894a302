import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type AsyncEngine,
  AsyncSession,
  createAsyncEngine,
  OperationalError,
  PendingRollbackError,
  select,
  text,
} from "../../../src/index.ts";
import type { DriverConnection } from "../../../src/core/drivers/driver.ts";
import { backendId, hasKillableBackends, killBackend } from "../../support/backends.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { Base, User } from "../orm/session/session-support.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";

/**
 * A connection whose server session is killed mid-transaction (SQLAlchemy's disconnect
 * handling): one typed error, the connection invalidated and discarded, rollback that does not
 * throw, and the pool replacing the connections opened before the disconnect.
 */
describeEachDatabase("engine: a killed connection", (db) => {
  // SQLite and PGlite run in process: no server backend to kill, so these tests are reported skipped there.
  const killable = hasKillableBackends(db);
  const ctx = useIsolatedDatabase(db, "disconnect", Base.metadata);
  let engine: AsyncEngine;
  let killer: AsyncEngine;
  const invalidated: DriverConnection[] = [];

  beforeAll(() => {
    if (!killable) return;
    engine = createAsyncEngine(ctx.engine.url, { poolSize: 2, maxOverflow: 0, poolTimeout: 5_000 });
    engine.pool.on("invalidate", (connection) => void invalidated.push(connection));
    killer = createAsyncEngine(ctx.engine.url, { poolSize: 1, maxOverflow: 0 });
  });

  afterAll(async () => {
    await engine?.dispose();
    await killer?.dispose();
  });

  const idOf = backendId;
  /** Kills the backend and waits until the server no longer lists it (MariaDB's KILL returns first). */
  const kill = (id: number) => killBackend(killer, id);

  it.skipIf(!killable)("mid-transaction: OperationalError with connectionInvalidated (it went back to the pool as healthy before), PendingRollbackError until rollback(), which does not throw, then a new connection", async () => {
    invalidated.length = 0;
    const conn = await engine.connect();
    const id = await idOf(conn);
    await kill(id);
    const error = await conn.execute(text("SELECT 1")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationalError);
    expect((error as OperationalError).connectionInvalidated).toBe(true);
    expect(conn.invalidated).toBe(true);
    expect(invalidated).toHaveLength(1);
    expect(engine.pool.checkedOut).toBe(0);
    await expect(conn.execute(text("SELECT 1"))).rejects.toBeInstanceOf(PendingRollbackError);
    await expect(conn.commit()).rejects.toBeInstanceOf(PendingRollbackError);
    await conn.rollback();
    expect(conn.inTransaction()).toBe(false);
    expect(await idOf(conn)).not.toBe(id);
    await conn.commit();
    await conn.close();
    expect(engine.pool.checkedOut).toBe(0);
  });

  it.skipIf(!killable)("a ROLLBACK or close() of a connection killed while idle in its transaction does not throw, and the connection is discarded", async () => {
    invalidated.length = 0;
    const rolledBack = await engine.connect();
    await kill(await idOf(rolledBack));
    await rolledBack.rollback();
    await rolledBack.close();
    const closed = await engine.connect();
    await kill(await idOf(closed));
    await closed.close();
    expect(invalidated).toHaveLength(2);
    expect(engine.pool.checkedOut).toBe(0);
  });

  it.skipIf(!killable)("after a disconnect, pooled connections opened before it are replaced at their next checkout", async () => {
    invalidated.length = 0;
    const [a, b] = [await engine.connect(), await engine.connect()];
    const idA = await idOf(a);
    const idB = await idOf(b);
    await b.close(); // idle, alive, opened before the disconnect
    await kill(idA);
    await expect(a.execute(text("SELECT 1"))).rejects.toMatchObject({ connectionInvalidated: true });
    await a.close();
    const next = await engine.connect();
    expect([idA, idB]).not.toContain(await idOf(next));
    await next.close();
    // a's connection is invalidated by the disconnect; b's (alive, but older than it) is closed at
    // its checkout and replaced, so only the new connection is open.
    expect(invalidated).toHaveLength(1);
    expect(engine.pool.size).toBe(1);
  });

  it.skipIf(!killable)("session: a query on a killed connection raises the typed error; rollback() does not throw; the session works again", async () => {
    await ctx.reset();
    await using session = new AsyncSession(engine);
    const conn = await session.connection();
    await kill(await idOf(conn));
    const error = await session.execute(select(User)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationalError);
    expect((error as OperationalError).connectionInvalidated).toBe(true);
    await session.rollback();
    expect((await session.execute(select(User))).scalars().all()).toEqual([]);
    await session.commit();
    expect(engine.pool.checkedOut).toBe(0);
  });
});
