import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type AsyncEngine, OperationalError, createAsyncEngine, text } from "../../../src/index.ts";
import { testDatabases } from "../../support/databases.ts";

/**
 * `connectArgs` reach the client library (issue #9), each seen through something the database
 * reports back. Every case is one driver's own option, so the cases are per driver rather than
 * over the matrix; the server ones run when their URL is configured.
 */
const PG_URL = testDatabases().find((db) => db.name === "postgresql")?.url;
const MYSQL_URL = testDatabases().find((db) => db.name === "mysql")?.url;

async function scalar(engine: AsyncEngine, sql: string): Promise<unknown> {
  try {
    return (await engine.execute(text(sql))).scalarOne();
  } finally {
    await engine.dispose();
  }
}

describe("connectArgs [sqlite]", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsal-connect-args-"));
  const url = `sqlite+better-sqlite3:///${join(dir, "app.db")}`;

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("opens the file with better-sqlite3's options: readonly refuses writes with OperationalError", async () => {
    const writer = createAsyncEngine(url);
    await writer.execute(text("CREATE TABLE items (id INTEGER PRIMARY KEY)"));
    await writer.dispose();

    const reader = createAsyncEngine(url, { connectArgs: { readonly: true, timeout: 100 } });
    try {
      expect((await reader.execute(text("SELECT count(*) FROM items"))).scalarOne()).toBe(0);
      const error = await reader.execute(text("INSERT INTO items (id) VALUES (1)")).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OperationalError);
      expect((error as OperationalError).driverCode).toBe("SQLITE_READONLY");
    } finally {
      await reader.dispose();
    }
  });
});

describe("connectArgs [pglite]", () => {
  it("starts PGlite with its options (postgresql+pglite://, database)", async () => {
    const engine = createAsyncEngine("postgresql+pglite://", { connectArgs: { database: "template1" } });
    expect(await scalar(engine, "SELECT current_database()")).toBe("template1");
  }, 60_000); // a PGlite start, which takes seconds (more on a busy machine)
});

describe.skipIf(!PG_URL)("connectArgs [postgresql]", () => {
  const url = new URL(PG_URL ?? "postgresql://localhost");

  it("sets the session's application_name from connectArgs", async () => {
    const engine = createAsyncEngine(`postgresql+pg://${PG_URL?.slice("postgresql://".length)}`, {
      connectArgs: { application_name: "tsal-connect-args", statement_timeout: 4321 },
    });
    try {
      expect((await engine.execute(text("SELECT current_setting('application_name')"))).scalarOne()).toBe("tsal-connect-args");
      expect((await engine.execute(text("SELECT current_setting('statement_timeout')"))).scalarOne()).toBe("4321ms");
    } finally {
      await engine.dispose();
    }
  });

  it("still reads application_name from the URL's query", async () => {
    const engine = createAsyncEngine(`${PG_URL}${PG_URL?.includes("?") ? "&" : "?"}application_name=tsal-from-url`);
    expect(await scalar(engine, "SELECT current_setting('application_name')")).toBe("tsal-from-url");
  });

  it("takes every connection setting from connectArgs with a bare postgresql:// URL", async () => {
    const engine = createAsyncEngine("postgresql://", {
      connectArgs: {
        host: url.hostname,
        port: Number(url.port || 5432),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: url.pathname.slice(1),
      },
    });
    expect(await scalar(engine, "SELECT current_database()")).toBe(url.pathname.slice(1));
  });
});

describe.skipIf(!MYSQL_URL)("connectArgs [mysql]", () => {
  // mysql2 sends the IGNORE_SPACE client flag by default, and the server adds it to sql_mode.
  it("passes mysql2's connection options: flags without IGNORE_SPACE drop it from sql_mode", async () => {
    const engine = createAsyncEngine(`mariadb+mysql2://${MYSQL_URL?.slice("mysql://".length)}`, {
      connectArgs: { flags: ["-IGNORE_SPACE"] },
    });
    expect(String(await scalar(engine, "SELECT @@SESSION.sql_mode"))).not.toMatch(/IGNORE_SPACE/);
  });

  it("has IGNORE_SPACE in sql_mode without them", async () => {
    expect(String(await scalar(createAsyncEngine(MYSQL_URL ?? ""), "SELECT @@SESSION.sql_mode"))).toMatch(/\bIGNORE_SPACE\b/);
  });
});
