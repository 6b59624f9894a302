import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type AsyncConnection,
  type AsyncEngine,
  AsyncSession,
  createAsyncEngine,
  OperationalError,
  PendingRollbackError,
  select,
  text,
} from "../../../src/index.ts";
import type { DriverConnection } from "../../../src/core/drivers/driver.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { Base, User } from "../orm/session/session-support.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";

/**
 * A connection whose server session is killed mid-transaction (SQLAlchemy's disconnect
 * handling): one typed error, the connection invalidated and discarded, rollback that does not
 * throw, and the pool replacing the connections opened before the disconnect.
 */
const KILL = {
  postgresql: { id: "SELECT pg_backend_pid()", kill: (id: string) => `SELECT pg_terminate_backend(${Number(id)}, 5000)` },
  mysql: { id: "SELECT CONNECTION_ID()", kill: (id: string) => `KILL CONNECTION ${Number(id)}` },
} as const;

describeEachDatabase("engine: a killed connection", (db) => {
  const probe = KILL[db.name as keyof typeof KILL];
  const ctx = useIsolatedDatabase(db, "disconnect", Base.metadata);
  let engine: AsyncEngine;
  let killer: AsyncEngine;
  const invalidated: DriverConnection[] = [];

  beforeAll(() => {
    if (!probe) return;
    engine = createAsyncEngine(ctx.engine.url, { poolSize: 2, maxOverflow: 0, poolTimeout: 5_000 });
    engine.pool.on("invalidate", (connection) => void invalidated.push(connection));
    killer = createAsyncEngine(ctx.engine.url, { poolSize: 1, maxOverflow: 0 });
  });

  afterAll(async () => {
    await engine?.dispose();
    await killer?.dispose();
  });

  async function idOf(conn: AsyncConnection): Promise<string> {
    return String((await conn.execute(text(probe.id))).scalar());
  }

  async function kill(id: string): Promise<void> {
    await killer.begin((conn) => conn.execDriverSql(probe.kill(id)));
  }

  it("mid-transaction: OperationalError with connectionInvalidated (it went back to the pool as healthy before), PendingRollbackError until rollback(), which does not throw, then a new connection", async (t) => {
    if (!probe) t.skip();
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

  it("a ROLLBACK or close() of a connection killed while idle in its transaction does not throw, and the connection is discarded", async (t) => {
    if (!probe) t.skip();
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

  it("after a disconnect, pooled connections opened before it are replaced at their next checkout", async (t) => {
    if (!probe) t.skip();
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
    expect(engine.pool.size).toBeLessThanOrEqual(2);
  });

  it("session: a query on a killed connection raises the typed error; rollback() does not throw; the session works again", async (t) => {
    if (!probe) t.skip();
    await ctx.reset();
    await using session = new AsyncSession(engine);
    const conn = await session.connection();
    await kill(await idOf(conn));
    const error = await session.execute(select(User)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationalError);
    expect((error as OperationalError).connectionInvalidated).toBe(true);
    await session.rollback();
    expect(await session.execute(select(User))).toBeDefined();
    await session.commit();
    expect(engine.pool.checkedOut).toBe(0);
  });
});
