import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DriverConnection } from "../../../src/core/drivers/driver.ts";
import { Mysql2Driver } from "../../../src/core/drivers/mysql2/index.ts";
import {
  DataError,
  IntegrityError,
  InterfaceError,
  OperationalError,
  ProgrammingError,
} from "../../../src/shared/errors.ts";
import { caught, collect, uniqueTableName } from "./driver-test-helpers.ts";

const url = process.env["TEST_MYSQL_URL"];

describe.skipIf(!url)("Mysql2Driver", () => {
  const driver = new Mysql2Driver({ uri: url ?? "" });
  const table = uniqueTableName("tsal_my_items");
  let connection: DriverConnection;

  beforeAll(async () => {
    connection = await driver.connect();
    await connection.execute(
      `CREATE TABLE ${table} (id int AUTO_INCREMENT PRIMARY KEY, name varchar(50) UNIQUE NOT NULL, qty int,
        big bigint, price decimal(10, 2), active boolean, data blob, doc json, born date, seen datetime(6),
        ratio float, at time(3))`,
      [],
    );
  });

  afterAll(async () => {
    await connection?.execute(`DROP TABLE IF EXISTS ${table}`, []);
    await connection?.close();
    await driver.close();
  });

  const insert = `INSERT INTO ${table} (name, qty, big, price, active, data, doc, born, seen, ratio, at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

  it("inserts with parameters, cached or one-off (both prepared), and reports rowsAffected and lastInsertId", async () => {
    const params = [9007199254740993n, "1.50", true, Buffer.from([1, 2]), '{"a": 1}', "2024-02-29", "2024-02-29 12:00:00.5", 0.1, "01:02:03.5"];
    const prepared = await connection.execute(insert, ["apple", 3, ...params], { cacheable: true });
    expect(prepared).toEqual({ columns: [], rows: [], rowsAffected: 1, lastInsertId: 1 });
    const interpolated = await connection.execute(insert, ["pear", 5, "7", null, false, new Uint8Array([255]), null, null, null, null, null]);
    expect(interpolated.lastInsertId).toBe(2);
  });

  it("selects array rows in the same raw form through both protocols", async () => {
    const columns = ["id", "name", "qty", "big", "price", "active", "data", "doc", "born", "seen", "ratio", "at"];
    const expected = [
      [1, "apple", 3, "9007199254740993", "1.50", 1, Buffer.from([1, 2]), '{"a": 1}', "2024-02-29", "2024-02-29 12:00:00.500000", 0.1, "01:02:03.500"],
      [2, "pear", 5, "7", null, 0, Buffer.from([255]), null, null, null, null, null],
    ];
    const text = await connection.execute(`SELECT ${columns.join(", ")} FROM ${table} ORDER BY id`, []);
    expect(text.columns).toEqual(columns);
    expect(text.rows).toEqual(expected);
    const binary = await connection.execute(`SELECT ${columns.join(", ")} FROM ${table} WHERE id > ? ORDER BY id`, [0], {
      cacheable: true,
    });
    expect(binary.rows).toEqual(expected);
  });

  it("counts matched rows for UPDATE, changed or not", async () => {
    const update = await connection.execute(`UPDATE ${table} SET qty = ? WHERE id = ?`, [3, 1], { cacheable: true });
    expect(update.rowsAffected).toBe(1);
    const all = await connection.execute(`UPDATE ${table} SET qty = qty + 1`, []);
    expect(all).toEqual({ columns: [], rows: [], rowsAffected: 2, lastInsertId: undefined });
  });

  it("binds LIMIT parameters on the prepared path", async () => {
    const result = await connection.execute(`SELECT name FROM ${table} ORDER BY id LIMIT ? OFFSET ?`, [1, 1], { cacheable: true });
    expect(result.rows).toEqual([["pear"]]);
  });

  it("runs BEGIN, SAVEPOINT, ROLLBACK TO and COMMIT through execute", async () => {
    await connection.execute("BEGIN", [], { cacheable: true });
    await connection.execute(`INSERT INTO ${table} (name) VALUES (?)`, ["kept"], { cacheable: true });
    await connection.execute("SAVEPOINT sp1", []);
    await connection.execute(`INSERT INTO ${table} (name) VALUES (?)`, ["undone"], { cacheable: true });
    await connection.execute("ROLLBACK TO SAVEPOINT sp1", []);
    await connection.execute("RELEASE SAVEPOINT sp1", []);
    await connection.execute("COMMIT", []);
    const names = await connection.execute(`SELECT name FROM ${table} WHERE name IN ('kept', 'undone')`, []);
    expect(names.rows).toEqual([["kept"]]);
  });

  it("translates a duplicate key into IntegrityError with the statement attached", async () => {
    const sql = `INSERT INTO ${table} (name) VALUES (?)`;
    for (const cacheable of [false, true]) {
      const error = await caught(connection.execute(sql, ["apple"], { cacheable }));
      expect(error).toBeInstanceOf(IntegrityError);
      expect(error.driverCode).toBe("ER_DUP_ENTRY");
      expect(error.sql).toBe(sql);
      expect(error.params).toEqual(["apple"]);
      expect((error.cause as { errno?: number }).errno).toBe(1062);
    }
  });

  it("translates syntax errors into ProgrammingError and bad values into DataError", async () => {
    const syntax = await caught(connection.execute("SELEC 1", []));
    expect(syntax).toBeInstanceOf(ProgrammingError);
    expect(syntax.driverCode).toBe("ER_PARSE_ERROR");
    const missing = await caught(connection.execute("SELECT * FROM tsal_no_such_table", []));
    expect(missing).toBeInstanceOf(ProgrammingError);
    const tooLong = await caught(connection.execute(`INSERT INTO ${table} (name) VALUES (?)`, ["x".repeat(51)]));
    expect(tooLong).toBeInstanceOf(DataError);
    expect(tooLong.driverCode).toBe("ER_DATA_TOO_LONG");
  });

  it("streams the columns first, then every row in batches", async () => {
    const chunks = await collect(
      connection.stream(`SELECT id, name FROM ${table} WHERE id <= ? ORDER BY id`, [3], { batchSize: 2 }),
    );
    expect(chunks).toEqual([
      { kind: "columns", columns: ["id", "name"] },
      { kind: "rows", rows: [[1, "apple"], [2, "pear"]] },
      { kind: "rows", rows: [[3, "kept"]] },
    ]);
  });

  it("streams statements that return no rows, and reports errors", async () => {
    expect(await collect(connection.stream(`UPDATE ${table} SET qty = qty WHERE id = ?`, [1]))).toEqual([
      { kind: "columns", columns: [] },
    ]);
    expect(await collect(connection.stream(`SELECT id FROM ${table} WHERE 1 = 0`, []))).toEqual([
      { kind: "columns", columns: ["id"] },
    ]);
    expect(await caught(collect(connection.stream("SELEC 1", [])))).toBeInstanceOf(ProgrammingError);
  });

  it("leaves the connection usable after a stream is abandoned", async () => {
    const many = "SELECT seq FROM seq_1_to_20000";
    for await (const chunk of connection.stream(many, [], { batchSize: 10 })) {
      if (chunk.kind === "rows") {
        expect(chunk.rows).toHaveLength(10);
        break;
      }
    }
    expect((await connection.execute("SELECT 3", [])).rows).toEqual([[3]]);
  });

  it("abandoning a stream whose rest already arrived does not hang (the end is replayed inside resume())", async () => {
    // 30 small rows arrive in one socket read: the feed pauses after the first batch with the rest
    // and the end held by mysql2, which replays them synchronously when the drain resumes it.
    for (let round = 0; round < 3; round++) {
      for await (const chunk of connection.stream("SELECT seq FROM seq_1_to_30 WHERE seq > ?", [round], { batchSize: 10 })) {
        if (chunk.kind === "rows") break;
      }
      expect((await connection.execute("SELECT ? AS n", [round], { cacheable: true })).rows).toEqual([[round]]);
    }
  });

  it("values never become SQL text: quotes and backslashes survive NO_BACKSLASH_ESCAPES on every path", async () => {
    const strict = await driver.connect();
    try {
      await strict.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')", []);
      const payload = "\\' OR '1'='1' -- ?";
      const sql = "SELECT ? AS v, 'q?mark' AS `col?umn`";
      // A one-off statement, a cached one, and a stream: all three bind the value.
      expect((await strict.execute(sql, [payload])).rows).toEqual([[payload, "q?mark"]]);
      expect((await strict.execute(sql, [payload], { cacheable: true })).rows).toEqual([[payload, "q?mark"]]);
      expect(await collect(strict.stream(sql, [payload]))).toEqual([
        { kind: "columns", columns: ["v", "col?umn"] },
        { kind: "rows", rows: [[payload, "q?mark"]] },
      ]);
    } finally {
      await strict.close();
    }
  });

  it("marks a connection whose server session ended as dead: ping rejects, nothing crashes", async () => {
    const victim = await driver.connect();
    const killer = await driver.connect();
    try {
      const [[id]] = (await victim.execute("SELECT CONNECTION_ID()", [])).rows as [[number]];
      await killer.execute(`KILL ${id}`, []);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(victim.ping()).rejects.toBeInstanceOf(OperationalError);
      await expect(victim.ping()).rejects.toBeInstanceOf(OperationalError);
    } finally {
      await victim.close();
      await killer.close();
    }
  });

  it("pings, closes twice, and rejects use after close", async () => {
    const extra = await driver.connect();
    await extra.ping();
    await extra.close();
    await extra.close();
    expect(await caught(extra.execute("SELECT 1", []))).toBeInstanceOf(InterfaceError);
    await expect(extra.ping()).rejects.toBeInstanceOf(InterfaceError);
  });

  it("fails to connect to an unreachable server with OperationalError", async () => {
    const nowhere = new Mysql2Driver({ uri: "mysql://root@127.0.0.1:1/none" });
    await expect(nowhere.connect()).rejects.toBeInstanceOf(OperationalError);
  });
});
