import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { BetterSqlite3Connection, BetterSqlite3Driver } from "../../../src/core/drivers/better-sqlite3/index.ts";
import type { DriverConnection } from "../../../src/core/drivers/driver.ts";
import { IntegrityError, InterfaceError, ProgrammingError } from "../../../src/shared/errors.ts";
import { caught, collect } from "./driver-test-helpers.ts";

describe("BetterSqlite3Driver", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsal-sqlite-"));
  const driver = new BetterSqlite3Driver({ filename: join(dir, "test.db") });
  let connection: DriverConnection;

  beforeAll(async () => {
    connection = await driver.connect();
    await connection.execute(
      "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, qty INTEGER, price REAL, data BLOB, big BIGINT)",
      [],
    );
  });

  afterAll(async () => {
    await connection.close();
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("inserts with parameters and reports rowsAffected and lastInsertId", async () => {
    const first = await connection.execute("INSERT INTO items (name, qty, price, data, big) VALUES (?, ?, ?, ?, ?)", [
      "apple",
      3,
      1.5,
      Buffer.from([1, 2]),
      9007199254740993n,
    ]);
    expect(first).toEqual({ columns: [], rows: [], rowsAffected: 1, lastInsertId: 1 });
    const second = await connection.execute("INSERT INTO items (name, qty, price, data) VALUES (?, ?, ?, ?)", [
      "pear",
      5,
      null,
      new Uint8Array([255]),
    ]);
    expect(second.lastInsertId).toBe(2);
  });

  it("selects array rows in their raw forms", async () => {
    const result = await connection.execute("SELECT id, name, qty, price, data FROM items ORDER BY id", []);
    expect(result.columns).toEqual(["id", "name", "qty", "price", "data"]);
    expect(result.rows).toEqual([
      [1, "apple", 3, 1.5, Buffer.from([1, 2])],
      [2, "pear", 5, null, Buffer.from([255])],
    ]);
    expect(result.rowsAffected).toBe(0);
  });

  it("returns integers as bigint only when exactIntegers is asked for", async () => {
    const sql = "SELECT id, big FROM items WHERE id = ?";
    const loose = await connection.execute(sql, [1], { cacheable: true });
    expect(loose.rows).toEqual([[1, 9007199254740992]]);
    const exact = await connection.execute(sql, [1], { cacheable: true, exactIntegers: true });
    expect(exact.rows).toEqual([[1n, 9007199254740993n]]);
    const looseAgain = await connection.execute(sql, [1], { cacheable: true });
    expect(looseAgain.rows[0]?.[0]).toBe(1);
  });

  it("counts rows changed by UPDATE, and by RETURNING statements", async () => {
    const update = await connection.execute("UPDATE items SET qty = qty + 1", []);
    expect(update.rowsAffected).toBe(2);
    const returning = await connection.execute("UPDATE items SET qty = qty + 1 RETURNING id", []);
    expect(returning.columns).toEqual(["id"]);
    expect(returning.rows).toHaveLength(2);
    expect(returning.rowsAffected).toBe(2);
  });

  it("runs BEGIN, SAVEPOINT, ROLLBACK TO and COMMIT through execute", async () => {
    await connection.execute("BEGIN", []);
    await connection.execute("INSERT INTO items (name) VALUES (?)", ["kept"]);
    await connection.execute("SAVEPOINT sp1", []);
    await connection.execute("INSERT INTO items (name) VALUES (?)", ["undone"]);
    await connection.execute("ROLLBACK TO SAVEPOINT sp1", []);
    await connection.execute("RELEASE SAVEPOINT sp1", []);
    await connection.execute("COMMIT", []);
    const names = await connection.execute("SELECT name FROM items WHERE name IN ('kept', 'undone')", []);
    expect(names.rows).toEqual([["kept"]]);
  });

  it("sees another connection's committed rows on the same file", async () => {
    const other = await driver.connect();
    try {
      const result = await other.execute("SELECT count(*) FROM items", []);
      expect(result.rows).toEqual([[3]]);
    } finally {
      await other.close();
    }
  });

  it("translates a duplicate key into IntegrityError with the statement attached", async () => {
    const sql = "INSERT INTO items (name) VALUES (?)";
    const error = await caught(() => connection.execute(sql, ["apple"]));
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error.driverCode).toBe("SQLITE_CONSTRAINT_UNIQUE");
    expect(error.sql).toBe(sql);
    expect(error.params).toEqual(["apple"]);
    expect((error.cause as { code?: string }).code).toBe("SQLITE_CONSTRAINT_UNIQUE");
  });

  it("enforces foreign keys", async () => {
    await connection.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES items(id))", []);
    const error = await caught(() => connection.execute("INSERT INTO notes (item_id) VALUES (?)", [999]));
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error.driverCode).toBe("SQLITE_CONSTRAINT_FOREIGNKEY");
  });

  it("translates syntax errors and unknown tables into ProgrammingError", async () => {
    const syntax = await caught(() => connection.execute("SELEC 1", []));
    expect(syntax).toBeInstanceOf(ProgrammingError);
    expect(syntax.driverCode).toBe("SQLITE_ERROR");
    expect(await caught(() => connection.execute("SELECT * FROM missing_table", []))).toBeInstanceOf(ProgrammingError);
  });

  it("streams the columns first, then every row in batches", async () => {
    const chunks = await collect(
      connection.stream("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 5) SELECT x FROM n", [], {
        batchSize: 2,
      }),
    );
    expect(chunks).toEqual([
      { kind: "columns", columns: ["x"] },
      { kind: "rows", rows: [[1], [2]] },
      { kind: "rows", rows: [[3], [4]] },
      { kind: "rows", rows: [[5]] },
    ]);
  });

  it("leaves the connection usable after a stream is abandoned", async () => {
    for await (const chunk of connection.stream("SELECT id FROM items", [], { batchSize: 1 })) {
      if (chunk.kind === "rows") break;
    }
    const result = await connection.execute("SELECT count(*) FROM items", []);
    expect(result.rows).toEqual([[3]]);
  });

  it("pings, closes twice, and rejects use after close", async () => {
    const memory = new BetterSqlite3Driver({ filename: ":memory:" });
    const extra = await memory.connect();
    await extra.ping();
    await extra.close();
    await extra.close();
    expect(await caught(() => extra.execute("SELECT 1", []))).toBeInstanceOf(InterfaceError);
    expect(() => extra.ping()).toThrow(InterfaceError);
  });
});

describe("BetterSqlite3Connection's prepared statements", () => {
  it("keeps 200 cacheable statements and drops the one used least recently", () => {
    const db = new Database(":memory:");
    const prepared: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    }) as typeof db.prepare;
    const connection = new BetterSqlite3Connection(db);
    const cacheable = { cacheable: true };
    const sql = (n: number) => `SELECT ${n} AS n`;
    for (let n = 0; n < 200; n++) connection.execute(sql(n), [], cacheable);
    // Statement 0 used again: statement 1 is now the least recent, and the 201st statement drops it.
    connection.execute(sql(0), [], cacheable);
    connection.execute(sql(200), [], cacheable);
    prepared.length = 0;
    const zero = connection.execute(sql(0), [], cacheable) as { rows: unknown; columns: unknown };
    connection.execute(sql(2), [], cacheable);
    expect(prepared).toEqual([]);
    expect(zero.rows).toEqual([[0]]);
    expect(zero.columns).toEqual(["n"]);
    connection.execute(sql(1), [], cacheable);
    expect(prepared).toEqual([sql(1)]);
    // A statement not marked cacheable is prepared on each call and kept nowhere.
    connection.execute("SELECT 'once'", []);
    connection.execute("SELECT 'once'", []);
    expect(prepared).toEqual([sql(1), "SELECT 'once'", "SELECT 'once'"]);
    connection.close();
  });
});
