import { afterAll, describe, expect, it } from "vitest";
import { PgDriver } from "../../../src/core/drivers/pg/index.ts";
import { DataError, NotSupportedError, OperationalError } from "../../../src/shared/errors.ts";
import { postgresDriverSuite } from "./postgres-driver-suite.ts";
import { caught } from "./driver-test-helpers.ts";

const url = process.env["TEST_PG_URL"];

describe.skipIf(!url)("PgDriver", () => {
  const driver = new PgDriver({ connectionString: url ?? "" });

  afterAll(async () => {
    await driver.close();
  });

  postgresDriverSuite(() => driver);

  it("marks a connection whose server session ended as dead: ping rejects, nothing crashes", async () => {
    const victim = await driver.connect();
    const killer = await driver.connect();
    try {
      const [[pid]] = (await victim.execute("SELECT pg_backend_pid()", [])).rows as [[string]];
      await killer.execute("SELECT pg_terminate_backend($1::int)", [pid]);
      // The server closes the socket asynchronously; ping must fail either way.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(victim.ping()).rejects.toBeInstanceOf(OperationalError);
      await expect(victim.ping()).rejects.toBeInstanceOf(OperationalError);
    } finally {
      await victim.close();
      await killer.close();
    }
  });

  it("prepares a cacheable statement afresh after DDL made its plan stale", async () => {
    const connection = await driver.connect();
    try {
      await connection.execute("CREATE TEMP TABLE stale_plan (a int)", []);
      await connection.execute("INSERT INTO stale_plan VALUES (1)", []);
      const sql = "SELECT * FROM stale_plan";
      expect((await connection.execute(sql, [], { cacheable: true })).rows).toEqual([["1"]]);
      await connection.execute("ALTER TABLE stale_plan ADD COLUMN b int DEFAULT 2", []);
      // The server refuses the old plan once (SQLSTATE 0A000); the next run prepares a new one.
      const stale = await caught(connection.execute(sql, [], { cacheable: true }));
      expect(stale).toBeInstanceOf(NotSupportedError);
      expect((await connection.execute(sql, [], { cacheable: true })).rows).toEqual([["1", "2"]]);
    } finally {
      await connection.close();
    }
  });

  it("rows kept as pg parsed them (text-rows-query.ts): NULLs, several rows, and an error after rows were sent leave the connection usable", async () => {
    const connection = await driver.connect();
    try {
      const sql = "SELECT g, CASE WHEN g % 2 = 0 THEN NULL ELSE 'x' || g END FROM generate_series(1, 4) g";
      expect((await connection.execute(sql, [], { cacheable: true })).rows).toEqual([["1", "x1"], ["2", null], ["3", "x3"], ["4", null]]);
      // The server sends rows 1 and 2, then fails on the third.
      const failed = await caught(connection.execute("SELECT 10 / (3 - g) FROM generate_series(1, 5) g", []));
      expect(failed).toBeInstanceOf(DataError);
      expect(failed.message).toContain("division by zero");
      expect((await connection.execute("SELECT $1::int + 1", [41])).rows).toEqual([["42"]]);
    } finally {
      await connection.close();
    }
  });

  it("fails to connect to an unreachable server with OperationalError", async () => {
    const nowhere = new PgDriver({ connectionString: "postgresql://postgres@127.0.0.1:1/none" });
    await expect(nowhere.connect()).rejects.toBeInstanceOf(OperationalError);
  });
});
