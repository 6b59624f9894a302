import { afterAll, describe, expect, it } from "vitest";
import { PgliteDriver } from "../../../src/core/drivers/pglite/index.ts";
import { postgresDriverSuite } from "./postgres-driver-suite.ts";

// One PGlite instance for the whole file: starting one takes seconds.
describe("PgliteDriver", () => {
  const driver = new PgliteDriver();

  afterAll(async () => {
    await driver.close();
    await driver.close();
  });

  postgresDriverSuite(() => driver);

  it("hands every connection the same instance", async () => {
    const a = await driver.connect();
    const b = await driver.connect();
    await a.execute("CREATE TEMP TABLE shared_probe (x int)", []);
    await a.execute("INSERT INTO shared_probe VALUES ($1)", [7]);
    expect((await b.execute("SELECT x FROM shared_probe", [])).rows).toEqual([["7"]]);
    await a.close();
    expect((await b.execute("SELECT count(*) FROM shared_probe", [])).rows).toEqual([["1"]]);
    await b.execute("DROP TABLE shared_probe", []);
    await b.close();
  });

  it("closing a handle rolls back the transaction it left open; the next handle starts clean", async () => {
    const setup = await driver.connect();
    await setup.execute("CREATE TABLE close_probe (x int)", []);
    await setup.close();

    const abandoned = await driver.connect();
    await abandoned.execute("BEGIN", []);
    await abandoned.execute("INSERT INTO close_probe VALUES ($1)", [1]);
    await abandoned.close();

    const next = await driver.connect();
    expect((await next.execute("SELECT count(*) FROM close_probe", [])).rows).toEqual([["0"]]);
    // A new transaction begins without "there is already a transaction in progress".
    await next.execute("BEGIN", []);
    await next.execute("INSERT INTO close_probe VALUES ($1)", [2]);
    await next.execute("COMMIT", []);
    expect((await next.execute("SELECT x FROM close_probe", [])).rows).toEqual([["2"]]);
    await next.execute("DROP TABLE close_probe", []);
    await next.close();
  });

  it("returns arrays, json and uuid as text too", async () => {
    const connection = await driver.connect();
    const result = await connection.execute(
      "SELECT ARRAY[1, 2], $1::json, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, $2::bytea",
      ['{"k": [1]}', Buffer.from("hi")],
    );
    expect(result.rows).toEqual([["{1,2}", '{"k": [1]}', "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "\\x6869"]]);
    await connection.close();
  });
});
