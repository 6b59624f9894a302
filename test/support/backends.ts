import { type AsyncConnection, type AsyncEngine, text } from "../../src/index.ts";
import type { TestDatabase } from "./databases.ts";

/**
 * Killing server backends (PostgreSQL `pg_terminate_backend`, MariaDB `KILL CONNECTION`) as an
 * operator or a failover would, for the tests of disconnect handling.
 */

/** The server's id of a connection's backend (PostgreSQL backend pid, MariaDB connection id). */
export async function backendId(conn: AsyncConnection): Promise<number> {
  const sql = conn.dialect.name === "postgresql" ? "SELECT pg_backend_pid() AS id" : "SELECT CONNECTION_ID() AS id";
  return Number((await conn.execute(text(sql))).scalarOne());
}

/**
 * Kills a backend from `admin` (a connection of another engine, or another connection) and waits
 * until the server no longer lists it: PostgreSQL `pg_terminate_backend(pid, timeout)` waits by
 * itself; MariaDB's `KILL` returns before the thread is gone, so the process list is polled.
 */
export async function killBackend(admin: AsyncEngine, id: number): Promise<void> {
  if (admin.dialect.name === "postgresql") {
    await admin.begin((conn) => conn.execute(text("SELECT pg_terminate_backend(:pid, 5000) AS ok").bindparams({ pid: id })));
    return;
  }
  await admin.begin((conn) => conn.execute(text(`KILL CONNECTION ${id}`)));
  for (let attempt = 0; attempt < 200; attempt++) {
    const listed = await admin.begin((conn) =>
      conn.execute(text("SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = :id").bindparams({ id })),
    );
    if (Number(listed.scalarOne()) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`backend ${id} still listed 2 s after KILL`);
}

/**
 * Whether the database is a server whose backends a test can kill: PostgreSQL and MariaDB, not
 * SQLite or PGlite, which run in process and have no backend to end.
 */
export function hasKillableBackends(db: TestDatabase): boolean {
  return db.name === "postgresql" || db.name === "mysql";
}
