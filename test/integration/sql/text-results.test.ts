import { afterAll, beforeAll, expect, it } from "vitest";
import {
  type AsyncEngine,
  BigInteger,
  BooleanType,
  DateTime,
  Float,
  Integer,
  Numeric,
  Text,
  createAsyncEngine,
  literalColumn,
  select,
  text,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";

/**
 * What `text()` rows hold on each database. Without declared columns, values are what the
 * database's driver gives for the column's database type (pg's and PGlite's type parsers,
 * better-sqlite3's and mysql2's values as tsalchemy configures them), so they differ where the
 * databases do. With `.columns(...)`, every column is processed by its type and all four agree.
 */
type Dialect = "sqlite" | "postgresql" | "mysql";

/** One row of each kind of value, written in each database's SQL. */
const VALUES_SQL: Record<Dialect, string> = {
  sqlite:
    "SELECT 1 AS n, (SELECT count(*) FROM (SELECT 1 AS x UNION ALL SELECT 2) AS t) AS c, 1 = 1 AS b, " +
    "CAST(1.25 AS DECIMAL(10, 2)) AS d, 0.5 AS f, 'x' AS s, NULL AS z, '2024-01-02 03:04:05' AS ts",
  postgresql:
    "SELECT 1 AS n, (SELECT count(*) FROM (SELECT 1 AS x UNION ALL SELECT 2) AS t) AS c, 1 = 1 AS b, " +
    "CAST(1.25 AS DECIMAL(10, 2)) AS d, CAST(0.5 AS DOUBLE PRECISION) AS f, 'x' AS s, NULL AS z, " +
    "TIMESTAMPTZ '2024-01-02 03:04:05+00' AS ts",
  mysql:
    "SELECT 1 AS n, (SELECT count(*) FROM (SELECT 1 AS x UNION ALL SELECT 2) AS t) AS c, 1 = 1 AS b, " +
    "CAST(1.25 AS DECIMAL(10, 2)) AS d, CAST(0.5 AS DOUBLE) AS f, 'x' AS s, NULL AS z, " +
    "TIMESTAMP '2024-01-02 03:04:05' AS ts",
};

const TIMESTAMP = new Date("2024-01-02T03:04:05Z");

/** The row of plain `text()`, where the databases genuinely differ. */
const UNTYPED_ROW: Record<Dialect, Record<string, unknown>> = {
  // No boolean, DECIMAL or timestamp storage: 1 = 1 is 1, DECIMAL has numeric affinity, times are text.
  sqlite: { n: 1, c: 2, b: 1, d: 1.25, f: 0.5, s: "x", z: null, ts: "2024-01-02 03:04:05" },
  // pg's parsers: int8 and numeric stay strings (exact), bool is a boolean, timestamptz a Date.
  postgresql: { n: 1, c: "2", b: true, d: "1.25", f: 0.5, s: "x", z: null, ts: TIMESTAMP },
  // mysql2 as the driver configures it: BIGINT and DECIMAL as strings, booleans are integers, dates are text.
  mysql: { n: 1, c: "2", b: 1, d: "1.25", f: 0.5, s: "x", z: null, ts: "2024-01-02 03:04:05" },
};

const TYPED_ROW = { n: 1, c: 2n, b: true, d: "1.25", f: 0.5, s: "x", z: null, ts: TIMESTAMP };

describeEachDatabase("text() results", (db) => {
  let engine: AsyncEngine;
  let dialect: Dialect;

  beforeAll(async () => {
    engine = createAsyncEngine(db.url);
    dialect = engine.dialect.name;
  });

  afterAll(async () => {
    await engine.dispose();
  });

  it("text() result values are parsed on PostgreSQL as pg parses them", async () => {
    await using conn = await engine.connect();
    const row = (await conn.execute(text("SELECT 1 AS n, true AS b"))).one();
    expect(row).toEqual(dialect === "postgresql" ? { n: 1, b: true } : { n: 1, b: 1 });
  });

  it("without .columns(), each value is what the database's driver gives for its type", async () => {
    await using conn = await engine.connect();
    const row = (await conn.execute(text(VALUES_SQL[dialect]))).one();
    expect(row).toEqual(UNTYPED_ROW[dialect]);
    expect(Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeOf(value)]))).toEqual(
      Object.fromEntries(Object.entries(UNTYPED_ROW[dialect]).map(([key, value]) => [key, typeOf(value)])),
    );
  });

  it("streamed text() rows are parsed the same way", async () => {
    await using conn = await engine.connect();
    const rows = await (await conn.stream(text(VALUES_SQL[dialect]))).all();
    expect(rows).toEqual([UNTYPED_ROW[dialect]]);
  });

  it("with .columns(), every database returns the same values", async () => {
    await using conn = await engine.connect();
    const typed = text(VALUES_SQL[dialect]).columns({
      n: Integer,
      c: BigInteger,
      b: BooleanType,
      d: Numeric(10, 2),
      f: Float,
      s: Text,
      z: Integer,
      ts: DateTime({ timezone: true }),
    });
    const row = (await conn.execute(typed)).one();
    expect(row).toEqual(TYPED_ROW);
    expect(typeof row.c).toBe("bigint");
    expect(row.ts).toBeInstanceOf(Date);
    expect(await (await conn.stream(typed)).all()).toEqual([TYPED_ROW]);
  });

  it("an untyped column of a typed select is parsed by the driver; typed ones by their type", async () => {
    await using conn = await engine.connect();
    const row = (await conn.execute(select(literalColumn("1 = 1").label("b"), literalColumn("1", Integer).label("n")))).one();
    expect(row).toEqual({ b: dialect === "postgresql" ? true : 1, n: 1 });
  });

  it("parameters and NULLs in an untyped text() result", async () => {
    await using conn = await engine.connect();
    const rows = (await conn.execute(text("SELECT :v AS v, NULL AS z"), { v: "x" })).all();
    expect(rows).toEqual([{ v: "x", z: null }]);
  });
});

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (value instanceof Date) return "Date";
  return typeof value;
}
