import { type AsyncConnection, type AsyncEngine, text } from "../../../src/index.ts";

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

/** Whether the database is a server whose backends can be killed (not SQLite or PGlite, in process). */
export function hasKillableBackends(engine: AsyncEngine): boolean {
  return engine.driver.name === "pg" || engine.driver.name === "mysql2";
}
