import { afterAll, beforeAll, expect, it } from "vitest";
import { type AsyncConnection, type AsyncEngine, createAsyncEngine, text } from "../../../src/index.ts";
import type { DriverConnection } from "../../../src/core/drivers/driver.ts";
import { hasKillableBackends } from "../../support/backends.ts";
import { describeEachDatabase } from "../../support/databases.ts";

/**
 * The pool's full reset on return (`poolResetOnReturn: "full"`) on drivers that have a session
 * reset, and the free liveness check: a connection whose server session was killed is replaced at
 * checkout without a ping. Both need a driver with those abilities, which the tests detect.
 */
const SESSION_PROBES = {
  postgresql: {
    id: "SELECT pg_backend_pid() AS v",
    set: ["SET statement_timeout = '4321ms'", "SET application_name = 'leaky'"],
    read: "SELECT current_setting('statement_timeout') || '|' || current_setting('application_name') AS v",
    charset: "SELECT current_setting('client_encoding') AS v",
    kill: (id: string) => `SELECT pg_terminate_backend(${Number(id)}, 5000)`,
  },
  mysql: {
    id: "SELECT CONNECTION_ID() AS v",
    set: ["SET SESSION wait_timeout = 4321", "SET @leak = 'leaky'"],
    read: "SELECT CONCAT(@@session.wait_timeout, '|', COALESCE(@leak, '')) AS v",
    charset: "SELECT @@character_set_client AS v",
    kill: (id: string) => `KILL CONNECTION ${Number(id)}`,
  },
} as const;

async function value(conn: AsyncConnection, sql: string): Promise<string> {
  return String((await conn.execute(text(sql))).scalarOne());
}

describeEachDatabase("pool: full reset on return and the free liveness check", (db) => {
  let engine: AsyncEngine;
  let driverConnections: DriverConnection[] = [];
  let hasReset = false;

  beforeAll(async () => {
    engine = createAsyncEngine(db.url, { poolSize: 1, maxOverflow: 0, poolResetOnReturn: "full", poolTimeout: 2_000 });
    engine.pool.on("connect", (connection) => {
      driverConnections.push(connection);
      hasReset = typeof connection.reset === "function";
    });
    await (await engine.connect()).close();
  });

  afterAll(async () => {
    await engine?.dispose();
  });

  // The server drivers (pg, mysql2) have a session reset; SQLite and PGlite have none, so this is
  // reported skipped there. Asserted, so a server driver that lost its reset fails instead.
  it("the server drivers have a session reset, the in-process ones none", () => {
    expect(hasReset).toBe(hasKillableBackends(db));
  });

  it("a SET by one pool user is not seen by the next one on the same connection", async (ctx) => {
    if (!hasReset) ctx.skip();
    const probe = SESSION_PROBES[engine.dialect.name as keyof typeof SESSION_PROBES];
    const first = await engine.connect();
    const id = await value(first, probe.id);
    const before = await value(first, probe.read);
    const charset = await value(first, probe.charset);
    for (const sql of probe.set) await first.execute(text(sql));
    await first.commit();
    expect(await value(first, probe.read)).not.toBe(before);
    await first.close();

    const next = await engine.connect();
    try {
      expect(await value(next, probe.id)).toBe(id);
      expect(await value(next, probe.read)).toBe(before);
      // The reset keeps what the driver set up at connect (utf8mb4 on MariaDB, UTF8 on PostgreSQL).
      expect(await value(next, probe.charset)).toBe(charset);
      // Prepared statements still work after the reset (mysql2 re-prepares; pg keeps its own).
      expect(await value(next, probe.id)).toBe(id);
    } finally {
      await next.close();
    }
  });

  it("a connection whose server session was killed is known lost and replaced at checkout, without pre-ping", async (ctx) => {
    if (!hasKillableBackends(db)) ctx.skip();
    const probe = SESSION_PROBES[engine.dialect.name as keyof typeof SESSION_PROBES];
    driverConnections = [];
    const victim = await engine.connect();
    const victimId = await value(victim, probe.id);
    await victim.close();
    const victimDriver = engine.pool.idle === 1 ? await peekIdle(engine) : undefined;
    const killer = createAsyncEngine(db.url, { poolSize: 1 });
    try {
      await killer.begin((conn) => conn.execute(text(probe.kill(victimId))));
    } finally {
      await killer.dispose();
    }
    for (let i = 0; i < 100 && victimDriver?.lost !== true; i++) await new Promise((r) => setTimeout(r, 10));
    expect(victimDriver?.lost).toBe(true);

    const invalidated: DriverConnection[] = [];
    const stop = engine.pool.on("invalidate", (connection) => void invalidated.push(connection));
    const fresh = await engine.connect();
    stop();
    try {
      expect(await value(fresh, probe.id)).not.toBe(victimId);
      expect(invalidated).toEqual([victimDriver]);
      expect(engine.pool.size).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});

/** The idle driver connection, seen through a checkout and an immediate return. */
async function peekIdle(engine: AsyncEngine): Promise<DriverConnection> {
  let seen: DriverConnection | undefined;
  const stop = engine.pool.on("checkout", (connection) => {
    seen = connection;
  });
  await (await engine.connect()).close();
  stop();
  return seen as DriverConnection;
}
