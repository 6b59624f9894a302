import { afterAll, beforeAll, expect, it } from "vitest";
import type { Driver, DriverConnection } from "../../../src/core/drivers/driver.ts";
import {
  DataError,
  IntegrityError,
  InterfaceError,
  ProgrammingError,
} from "../../../src/shared/errors.ts";
import { caught, collect, uniqueTableName } from "./driver-test-helpers.ts";

/**
 * The checks every PostgreSQL driver passes, registered inside the caller's `describe`: both must
 * hand the dialect the same raw text. `driver()` is read in hooks, after the caller's setup ran.
 */
export function postgresDriverSuite(driver: () => Driver): void {
  const table = uniqueTableName("tsal_pg_items");
  let connection: DriverConnection;

  // Generous: the first connect() of a PGlite driver starts the database.
  beforeAll(async () => {
    connection = await driver().connect();
    // timestamptz text carries the session's offset; pin it so the expected text holds anywhere.
    await connection.execute("SET TIME ZONE 'UTC'", []);
    await connection.execute(
      `CREATE TABLE ${table} (id serial PRIMARY KEY, name text UNIQUE NOT NULL, qty integer, big bigint,
        price numeric(10, 2), active boolean, data bytea, doc jsonb, born date, seen timestamptz)`,
      [],
    );
  }, 60_000);

  afterAll(async () => {
    await connection?.execute(`DROP TABLE IF EXISTS ${table}`, []);
    await connection?.close();
  });

  it("inserts with parameters and reports rowsAffected", async () => {
    const sql = `INSERT INTO ${table} (name, qty, big, price, active, data, doc, born, seen)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
    const first = await connection.execute(
      sql,
      ["apple", 3, 9007199254740993n, "1.50", true, Buffer.from([1, 2]), '{"a": 1}', "2024-02-29", "2024-02-29 12:00:00+02"],
      { cacheable: true },
    );
    expect(first).toEqual({ columns: [], rows: [], rowsAffected: 1, lastInsertId: undefined });
    const second = await connection.execute(
      sql,
      ["pear", 5, "7", null, false, new Uint8Array([255]), null, null, null],
      { cacheable: true },
    );
    expect(second.rowsAffected).toBe(1);
  });

  it("selects array rows as the server's text", async () => {
    const result = await connection.execute(
      `SELECT id, name, qty, big, price, active, data, doc, born, seen FROM ${table} ORDER BY id`,
      [],
    );
    expect(result.columns).toEqual(["id", "name", "qty", "big", "price", "active", "data", "doc", "born", "seen"]);
    expect(result.rows).toEqual([
      ["1", "apple", "3", "9007199254740993", "1.50", "t", "\\x0102", '{"a": 1}', "2024-02-29", "2024-02-29 10:00:00+00"],
      ["2", "pear", "5", "7", null, "f", "\\xff", null, null, null],
    ]);
    expect(result.rowsAffected).toBe(0);
  });

  it("reuses cacheable statements", async () => {
    const sql = `SELECT name FROM ${table} WHERE id = $1`;
    for (const [id, name] of [[1, "apple"], [2, "pear"], [1, "apple"]] as const) {
      const result = await connection.execute(sql, [id], { cacheable: true });
      expect(result.rows).toEqual([[name]]);
    }
  });

  it("counts rows changed by UPDATE and by INSERT … RETURNING", async () => {
    const update = await connection.execute(`UPDATE ${table} SET qty = qty + 1`, []);
    expect(update.rowsAffected).toBe(2);
    const returning = await connection.execute(`INSERT INTO ${table} (name) VALUES ($1) RETURNING id`, ["plum"]);
    expect(returning).toEqual({ columns: ["id"], rows: [["3"]], rowsAffected: 1, lastInsertId: undefined });
  });

  it("runs BEGIN, SAVEPOINT, ROLLBACK TO and COMMIT through execute", async () => {
    await connection.execute("BEGIN", []);
    await connection.execute(`INSERT INTO ${table} (name) VALUES ($1)`, ["kept"]);
    await connection.execute("SAVEPOINT sp1", []);
    await connection.execute(`INSERT INTO ${table} (name) VALUES ($1)`, ["undone"]);
    await connection.execute("ROLLBACK TO SAVEPOINT sp1", []);
    await connection.execute("RELEASE SAVEPOINT sp1", []);
    await connection.execute("COMMIT", []);
    const names = await connection.execute(`SELECT name FROM ${table} WHERE name IN ('kept', 'undone')`, []);
    expect(names.rows).toEqual([["kept"]]);
  });

  it("translates a duplicate key into IntegrityError with the statement attached", async () => {
    const sql = `INSERT INTO ${table} (name) VALUES ($1)`;
    const error = await caught(connection.execute(sql, ["apple"]));
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error.driverCode).toBe("23505");
    expect(error.sql).toBe(sql);
    expect(error.params).toEqual(["apple"]);
    expect((error.cause as { code?: string }).code).toBe("23505");
  });

  it("translates syntax errors into ProgrammingError and bad values into DataError", async () => {
    const syntax = await caught(connection.execute("SELEC 1", []));
    expect(syntax).toBeInstanceOf(ProgrammingError);
    expect(syntax.driverCode).toBe("42601");
    const division = await caught(connection.execute("SELECT 1 / $1::int", [0]));
    expect(division).toBeInstanceOf(DataError);
    expect(division.driverCode).toBe("22012");
    // The failed statements left no transaction open: the connection still works.
    expect((await connection.execute("SELECT 1", [])).rows).toEqual([["1"]]);
  });

  it("streams the columns first, then every row in batches", async () => {
    const chunks = await collect(connection.stream("SELECT g, g * 2 AS twice FROM generate_series(1, $1::int) g", [5], { batchSize: 2 }));
    expect(chunks).toEqual([
      { kind: "columns", columns: ["g", "twice"] },
      { kind: "rows", rows: [["1", "2"], ["2", "4"]] },
      { kind: "rows", rows: [["3", "6"], ["4", "8"]] },
      { kind: "rows", rows: [["5", "10"]] },
    ]);
  });

  it("streams statements that return no rows", async () => {
    const chunks = await collect(connection.stream(`UPDATE ${table} SET qty = qty WHERE id = $1`, [1]));
    expect(chunks).toEqual([{ kind: "columns", columns: [] }]);
    const empty = await collect(connection.stream(`SELECT id FROM ${table} WHERE false`, []));
    expect(empty).toEqual([{ kind: "columns", columns: ["id"] }]);
  });

  it("translates an error raised mid-stream, and the connection stays usable", async () => {
    const stream = connection.stream("SELECT 10 / (3 - g) FROM generate_series(1, 5) g", [], { batchSize: 1 });
    const error = await caught(collect(stream));
    expect(error).toBeInstanceOf(DataError);
    expect((await connection.execute("SELECT 2", [])).rows).toEqual([["2"]]);
  });

  it("leaves the connection usable after a stream is abandoned, inside a transaction too", async () => {
    await connection.execute("BEGIN", []);
    for await (const chunk of connection.stream("SELECT g FROM generate_series(1, 20000) g", [], { batchSize: 10 })) {
      if (chunk.kind === "rows") {
        expect(chunk.rows).toHaveLength(10);
        break;
      }
    }
    expect((await connection.execute("SELECT 3", [])).rows).toEqual([["3"]]);
    await connection.execute("COMMIT", []);
  });

  it("pings, closes twice, and rejects use after close", async () => {
    const extra = await driver().connect();
    await extra.ping();
    await extra.close();
    await extra.close();
    expect(await caught(extra.execute("SELECT 1", []))).toBeInstanceOf(InterfaceError);
    await expect(extra.ping()).rejects.toBeInstanceOf(InterfaceError);
  });
}
