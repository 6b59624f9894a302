import { describe, expect, it } from "vitest";
import { statementNameOf } from "../../../src/core/drivers/pg/pg-connection.ts";
import { createAsyncEngine, text } from "../../../src/index.ts";
import { testDatabases } from "../../support/databases.ts";

/**
 * The names of pg's prepared statements, read from the server's own `pg_prepared_statements`:
 * the text's hash, the same on every connection (a per-connection counter named different texts
 * `tsal_1` on two connections, which a pooler then mixed up), and none at all in "unnamed" mode.
 */
const postgresql = testDatabases().find((db) => db.name === "postgresql");

describe.runIf(postgresql !== undefined)("pg prepared statement names [postgresql]", () => {
  const A = "SELECT $1::int + 1 AS a";
  const B = "SELECT $1::int + 2 AS b";

  async function preparedOn(preparedStatements: "named" | "unnamed", first: string, second: string): Promise<string[][]> {
    const engine = createAsyncEngine(postgresql?.url as string, { preparedStatements, maxOverflow: 0 });
    try {
      const one = await engine.connect();
      const two = await engine.connect();
      const names: string[][] = [];
      for (const [conn, sql] of [[one, first], [two, second]] as const) {
        await conn.execute(text(sql.replace("$1", ":v")), { v: 1 });
        const rows = (await conn.execute(text("SELECT name FROM pg_prepared_statements ORDER BY name"))).all() as { name: string }[];
        names.push(rows.map((r) => r.name));
      }
      await one.close();
      await two.close();
      return names;
    } finally {
      await engine.dispose();
    }
  }

  it("are tsal_ and the text's SHA-256: two connections whose first statements differ use different names", async () => {
    const [first, second] = await preparedOn("named", A, B);
    expect(first).toContain(statementNameOf(A));
    expect(second).toContain(statementNameOf(B));
    expect(statementNameOf(A)).toMatch(/^tsal_[0-9a-f]{40}$/);
    expect(statementNameOf(A)).not.toBe(statementNameOf(B));
  });

  it('"unnamed" leaves no named statement on the server', async () => {
    const [first, second] = await preparedOn("unnamed", A, B);
    expect(first).toEqual([]);
    expect(second).toEqual([]);
  });
});
