/**
 * Named prepared statements through pgbouncer in transaction mode (TEST_PG_POOLER_URL). Server
 * connections change hands between transactions, so a named statement can be missing (26000),
 * already taken (42P05), or — when two clients give one name to different SQL — another client's
 * statement, which runs and returns the wrong rows. The file works in a database of its own, so
 * its pgbouncer pool (one per database and user) has no other clients and pgbouncer's LIFO reuse
 * of server connections makes each interleaving below deterministic.
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { type AsyncEngine, type Executable, Column, DBAPIError, Integer, MetaData, Table, Text, createAsyncEngine, insert, select } from "../../../src/index.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";
import { poolerDatabase } from "../../support/pooler.ts";

const metadata = new MetaData();
const alpha = new Table("alpha", metadata, { id: Column(Integer, { primaryKey: true }), aVal: Column(Integer, { name: "a_val" }) });
const beta = new Table("beta", metadata, { id: Column(Integer, { primaryKey: true }), bVal: Column(Text, { name: "b_val" }) });

const selectAlpha = select(alpha.c.id, alpha.c.aVal).where(alpha.c.id.eq(1));
const selectBeta = select(beta.c.id, beta.c.bVal).where(beta.c.id.eq(1));
const ALPHA_ROWS = [{ id: 1, aVal: 7 }];
const BETA_ROWS = [{ id: 1, bVal: "seven hundred" }];

const pooler = poolerDatabase();

describe.skipIf(!pooler)("named prepared statements behind pgbouncer (transaction mode)", () => {
  const ctx = useIsolatedDatabase(pooler ?? { name: "postgresql", url: "" }, "pooler_names", metadata);

  beforeAll(async () => {
    await ctx.engine.begin(async (conn) => {
      await conn.execute(insert(alpha).values({ id: 1, aVal: 7 }));
      await conn.execute(insert(beta).values({ id: 1, bVal: "seven hundred" }));
    });
  });

  async function rawClient(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: ctx.engine.url });
    await client.connect();
    return client;
  }

  it("per-connection counter names (tsal_1, tsal_2… as before): a client binds another client's statement and reads its rows, or meets 42P05", async () => {
    const [a, b, c] = [await rawClient(), await rawClient(), await rawClient()];
    try {
      const textA = "SELECT 'A' AS who, a_val FROM alpha WHERE id = $1";
      const textB = "SELECT 'B' AS who, b_val FROM beta WHERE id = $1";
      await a.query("BEGIN");
      expect((await a.query({ name: "tsal_1", text: textA, values: [1], rowMode: "array" })).rows).toEqual([["A", 7]]);
      // a keeps its server connection for the transaction, so b prepares its own tsal_1 on another one.
      expect((await b.query({ name: "tsal_1", text: textB, values: [1], rowMode: "array" })).rows).toEqual([["B", "seven hundred"]]);
      await a.query("COMMIT");
      // b's pg client has tsal_1 parsed, so it only binds; pgbouncer hands b a's server connection.
      const wrong = await b.query({ name: "tsal_1", text: textB, values: [1], rowMode: "array" });
      expect(wrong.rows).toEqual([["A", 7]]);
      expect(wrong.fields.map((field) => field.name)).toEqual(["who", "a_val"]);
      // A third client parsing the same name lands on a server connection that has it already.
      await expect(c.query({ name: "tsal_1", text: textB, values: [1], rowMode: "array" })).rejects.toMatchObject({ code: "42P05" });
    } finally {
      for (const client of [a, b, c]) await client.end();
    }
  });

  it("hashed names: the same interleaving through two engines fails with 26000 instead of reading the other's rows; the retry prepares afresh", async () => {
    await using engineA = createAsyncEngine(ctx.engine.url);
    await using engineB = createAsyncEngine(ctx.engine.url);
    const connA = await engineA.connect();
    try {
      expect((await connA.execute(selectAlpha)).all()).toEqual(ALPHA_ROWS);
      expect(await engineB.begin(async (conn) => (await conn.execute(selectBeta)).all())).toEqual(BETA_ROWS);
      await connA.commit();
    } finally {
      await connA.close();
    }
    // Under counter names this would be tsal_1 bound on A's server connection: A's rows.
    const missing = await engineB.begin(async (conn) => (await conn.execute(selectBeta)).all()).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(DBAPIError);
    expect((missing as DBAPIError).driverCode).toBe("26000");
    expect((missing as Error).message).toContain('preparedStatements: "unnamed"');
    expect(await engineB.begin(async (conn) => (await conn.execute(selectBeta)).all())).toEqual(BETA_ROWS);
  });

  it('8 concurrent clients × 50 statements: "named" returns no wrong rows, though some fail with 26000/42P05; "unnamed" never fails', async () => {
    const named = await hammer(createAsyncEngine(ctx.engine.url, { poolSize: 8 }));
    expect(named.wrong).toBe(0);
    expect(Object.keys(named.errors).every((code) => code === "26000" || code === "42P05")).toBe(true);
    expect(named.ok + Object.values(named.errors).reduce((sum, n) => sum + n, 0)).toBe(400);

    const unnamed = await hammer(createAsyncEngine(`${ctx.engine.url}?prepared_statements=unnamed`, { poolSize: 8 }));
    expect(unnamed).toEqual({ ok: 400, wrong: 0, errors: {} });
  });
});

/**
 * Eight workers on their own pooled connections, each running 50 one-statement transactions that
 * rotate over four different statements, so every server connection meets several clients' names.
 */
async function hammer(engine: AsyncEngine): Promise<{ ok: number; wrong: number; errors: Record<string, number> }> {
  const statements: { statement: Executable<unknown>; rows: unknown[] }[] = [
    { statement: selectAlpha, rows: ALPHA_ROWS },
    { statement: selectBeta, rows: BETA_ROWS },
    { statement: select(alpha.c.aVal).where(alpha.c.id.eq(1)), rows: [{ aVal: 7 }] },
    { statement: select(beta.c.bVal).where(beta.c.id.eq(1)), rows: [{ bVal: "seven hundred" }] },
  ];
  const outcome = { ok: 0, wrong: 0, errors: {} as Record<string, number> };
  try {
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = 0; i < 50; i++) {
          const { statement, rows } = statements[(worker + i) % statements.length] as { statement: Executable<unknown>; rows: unknown[] };
          try {
            const got = await engine.begin(async (conn) => (await conn.execute(statement)).all());
            if (JSON.stringify(got) === JSON.stringify(rows)) outcome.ok++;
            else outcome.wrong++;
          } catch (error) {
            const code = (error as DBAPIError).driverCode ?? String(error);
            outcome.errors[code] = (outcome.errors[code] ?? 0) + 1;
          }
        }
      }),
    );
  } finally {
    await engine.dispose();
  }
  return outcome;
}
