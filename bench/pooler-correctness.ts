/**
 * `npx tsx bench/pooler-correctness.ts [--pooler URL] [--direct URL] [--clients 8] [--transactions 50]`
 *
 * What named prepared statements do behind a transaction-mode pooler (pgbouncer < 1.21, or
 * without `max_prepared_statements`), counted: `--clients` concurrent clients each run
 * `--transactions` transactions of two different statements (`BEGIN; A; B; COMMIT`, or B before A
 * on every other client), and every statement's rows are checked. Scenarios:
 *
 * - counter names: raw pg `{ name, text, values }` with a per-connection cache naming statements
 *   `s1`, `s2` … in order of first use, as many client-side caches do (so `s1` is A on one client
 *   and B on the next);
 * - tsalchemy "named": the default, statements named by a hash of their text;
 * - tsalchemy "unnamed": `preparedStatements: "unnamed"`;
 * - raw pg unnamed: `query(text, values)`;
 *
 * through the pooler, and the first two also straight to the server as a control. Each scenario
 * gets a database of its own (created and dropped over the direct URL), so its pgbouncer pool
 * (one per database and user) starts with no statement any earlier scenario left on it.
 *
 * Defaults: $TEST_PG_POOLER_URL or postgresql://postgres@127.0.0.1:6432/postgres, and
 * $TEST_PG_PRIMARY_URL or postgresql://postgres@127.0.0.1:5441/postgres (the server behind it;
 * `shared/scripts/pg-scaleout.sh env` exports both). Only the host and port of each are used.
 */
import pg from "pg";
import { type AsyncEngine, Column, DBAPIError, type Executable, Integer, MetaData, Table, Text, createAsyncEngine, select } from "../src/index.ts";

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const poolerUrl = option("--pooler", process.env["TEST_PG_POOLER_URL"] ?? "postgresql://postgres@127.0.0.1:6432/postgres");
const directUrl = option("--direct", process.env["TEST_PG_PRIMARY_URL"] ?? "postgresql://postgres@127.0.0.1:5441/postgres");
const CLIENTS = Number(option("--clients", "8"));
const TRANSACTIONS = Number(option("--transactions", "50"));

const TEXT_A = "SELECT 'A' AS who, a_val FROM alpha WHERE id = $1";
const TEXT_B = "SELECT 'B' AS who, b_val FROM beta WHERE id = $1";
const RAW_ROWS: Record<"A" | "B", string> = { A: JSON.stringify([["A", 7]]), B: JSON.stringify([["B", "seven hundred"]]) };

const metadata = new MetaData();
const alpha = new Table("alpha", metadata, { id: Column(Integer, { primaryKey: true }), aVal: Column(Integer, { name: "a_val" }) });
const beta = new Table("beta", metadata, { id: Column(Integer, { primaryKey: true }), bVal: Column(Text, { name: "b_val" }) });
const ORM_STATEMENTS: Record<"A" | "B", { statement: Executable<unknown>; rows: string }> = {
  A: { statement: select(alpha.c.id, alpha.c.aVal).where(alpha.c.id.eq(1)), rows: JSON.stringify([{ id: 1, aVal: 7 }]) },
  B: { statement: select(beta.c.id, beta.c.bVal).where(beta.c.id.eq(1)), rows: JSON.stringify([{ id: 1, bVal: "seven hundred" }]) },
};

interface Outcome {
  transactions: number;
  /** Transactions whose statements all returned their own rows. */
  ok: number;
  /** Transactions that committed with at least one statement's rows wrong. */
  wrong: number;
  /** Statements that returned another statement's rows (and did not fail). */
  wrongRows: number;
  /** Transactions that failed, by SQLSTATE (the first error; the rest of that transaction is not run). */
  errors: Record<string, number>;
}

/** Both statements of transaction `i` on client `client`, in the order that client first used them. */
const order = (client: number): ("A" | "B")[] => (client % 2 === 0 ? ["A", "B"] : ["B", "A"]);

function codeOf(error: unknown): string {
  if (error instanceof DBAPIError) return error.driverCode ?? error.name;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : String(error);
}

async function run(work: (client: number, tx: number, outcome: Outcome) => Promise<void>): Promise<Outcome> {
  const outcome: Outcome = { transactions: CLIENTS * TRANSACTIONS, ok: 0, wrong: 0, wrongRows: 0, errors: {} };
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let tx = 0; tx < TRANSACTIONS; tx++) {
        try {
          await work(client, tx, outcome);
        } catch (error) {
          const code = codeOf(error);
          outcome.errors[code] = (outcome.errors[code] ?? 0) + 1;
        }
      }
    }),
  );
  return outcome;
}

/** Raw pg clients; `named` gives each statement text a per-connection counter name (s1, s2 …) on first use. */
async function rawScenario(url: string, named: boolean): Promise<Outcome> {
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return { client, names: new Map<string, string>() };
    }),
  );
  try {
    return await run(async (index, _tx, outcome) => {
      const { client, names } = clients[index] as (typeof clients)[number];
      await client.query("BEGIN");
      try {
        let right = true;
        for (const which of order(index)) {
          const text = which === "A" ? TEXT_A : TEXT_B;
          let name = names.get(text);
          if (name === undefined) names.set(text, (name = `s${names.size + 1}`));
          const result = await client.query(named ? { name, text, values: [1], rowMode: "array" } : { text, values: [1], rowMode: "array" });
          if (JSON.stringify(result.rows) !== RAW_ROWS[which]) {
            outcome.wrongRows++;
            right = false;
          }
        }
        await client.query("COMMIT");
        if (right) outcome.ok++;
        else outcome.wrong++;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    });
  } finally {
    await Promise.all(clients.map(({ client }) => client.end()));
  }
}

/** One tsalchemy engine with a pooled connection per client; every transaction is `engine.begin`. */
async function ormScenario(url: string, preparedStatements: "named" | "unnamed"): Promise<Outcome> {
  const engine: AsyncEngine = createAsyncEngine(url, { preparedStatements, poolSize: CLIENTS, maxOverflow: 0 });
  try {
    return await run(async (index, _tx, outcome) => {
      const right = await engine.begin(async (conn) => {
        let all = true;
        for (const which of order(index)) {
          const { statement, rows } = ORM_STATEMENTS[which];
          if (JSON.stringify((await conn.execute(statement)).all()) !== rows) {
            outcome.wrongRows++;
            all = false;
          }
        }
        return all;
      });
      if (right) outcome.ok++;
      else outcome.wrong++;
    });
  } finally {
    await engine.dispose();
  }
}

/** A fresh database with the two tables, on the server behind the pooler; returns its name and a drop. */
async function scenarioDatabase(label: string): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `tsa_pooler_${label}_${process.pid}`;
  const admin = new pg.Client({ connectionString: directUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ connectionString: withDatabase(directUrl, name) });
  await db.connect();
  try {
    await db.query("CREATE TABLE alpha (id integer PRIMARY KEY, a_val integer)");
    await db.query("CREATE TABLE beta (id integer PRIMARY KEY, b_val text)");
    await db.query("INSERT INTO alpha VALUES (1, 7)");
    await db.query("INSERT INTO beta VALUES (1, 'seven hundred')");
  } finally {
    await db.end();
  }
  return {
    name,
    drop: async () => {
      const client = new pg.Client({ connectionString: directUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  parsed.search = "";
  return parsed.toString();
}

const SCENARIOS: { label: string; route: "pooler" | "direct"; title: string; run: (url: string) => Promise<Outcome> }[] = [
  { label: "counter_p", route: "pooler", title: "counter names s1, s2 (raw pg)", run: (url) => rawScenario(url, true) },
  { label: "hash_p", route: "pooler", title: 'tsalchemy "named" (hash of text)', run: (url) => ormScenario(url, "named") },
  { label: "unnamed_p", route: "pooler", title: 'tsalchemy "unnamed"', run: (url) => ormScenario(url, "unnamed") },
  { label: "rawunnamed_p", route: "pooler", title: "unnamed (raw pg)", run: (url) => rawScenario(url, false) },
  { label: "counter_d", route: "direct", title: "counter names s1, s2 (raw pg)", run: (url) => rawScenario(url, true) },
  { label: "hash_d", route: "direct", title: 'tsalchemy "named" (hash of text)', run: (url) => ormScenario(url, "named") },
];

async function main(): Promise<void> {
  console.log(`${CLIENTS} clients × ${TRANSACTIONS} transactions of two statements; pooler ${new URL(poolerUrl).host}, direct ${new URL(directUrl).host}\n`);
  const table: string[][] = [["route", "statements", "transactions right", "with wrong rows (statements)", "failed (SQLSTATE)"]];
  for (const scenario of SCENARIOS) {
    const { name, drop } = await scenarioDatabase(scenario.label);
    try {
      const outcome = await scenario.run(withDatabase(scenario.route === "pooler" ? poolerUrl : directUrl, name));
      const failed = Object.entries(outcome.errors)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, n]) => `${n} × ${code}`);
      table.push([scenario.route, scenario.title, `${outcome.ok} / ${outcome.transactions}`, `${outcome.wrong} (${outcome.wrongRows})`, failed.length ? failed.join(", ") : "0"]);
    } finally {
      await drop();
    }
  }
  const widths = (table[0] as string[]).map((_, i) => Math.max(...table.map((row) => (row[i] as string).length)));
  for (const row of table) console.log(row.map((cell, i) => cell.padEnd(widths[i] as number)).join("  "));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
