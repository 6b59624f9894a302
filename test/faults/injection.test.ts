/**
 * The "function names" test expects `func[name]` to quote a name that is not a plain identifier
 * (src/core/compiler/identifiers.ts) and to refuse a name with NUL or an identifier quote
 * character (`"`, `` ` ``) with ArgumentError when the function is built. Reserved words used as
 * function names ("select", "order") come out quoted too, or the server would report a syntax
 * error, which this test counts. Before the fix the name was written into the SQL raw.
 *
 * Fault suite, issue 10 item 7: hostile input through the APIs the injection corpus of issue 2
 * (test/integration/injection/) does not reach yet. Already covered there, on every database and
 * under both string-literal modes of each server, and not repeated here:
 * - values.test.ts: insert (single, multi-row), update SET/WHERE, where =, <>, IN, NOT IN, LIKE
 *   helpers and raw LIKE/ILIKE, literal(), bindparam(), text() params, upsert, concat, JSON, stream;
 * - identifiers.test.ts: table, column, index, foreign key, alias and label names;
 * - rejected-input.test.ts: strings where SQL is expected (select/where/having/order by/group by,
 *   so ordering by a label's *name* is refused), limit()/offset() that are not integers, LIKE escapes.
 * Added here: the ORM (add/commit/get by a hostile primary key, update through an attribute),
 * ORDER BY a bound value and by a hostile label, bound LIMIT/OFFSET, function names; 0 damage (the
 * canary's rows and the set of tables unchanged) and 0 server syntax errors. Then a compiler fuzz:
 * 20,000 random statements per dialect whose bound values never appear in the SQL text.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ArgumentError,
  type AsyncEngine,
  AsyncSession,
  DBAPIError,
  Integer,
  StringType,
  Text,
  declarativeBase,
  func,
  literal,
  mappedColumn,
  select,
  text,
} from "../../src/index.ts";
import { boundParameters } from "../../src/core/compiler/bound-parameters.ts";
import type { Dialect } from "../../src/core/dialects/dialect.ts";
import { MysqlDialect } from "../../src/core/dialects/mysql/index.ts";
import { PostgresqlDialect } from "../../src/core/dialects/postgresql/index.ts";
import { SqliteDialect } from "../../src/core/dialects/sqlite/index.ts";
import type { StatementNode } from "../../src/core/sql/nodes.ts";
import { canaryTable, expectCanaryIntact, fillCanary } from "../integration/injection/canary.ts";
import { IDENTIFIER_PAYLOADS, valuePayloads } from "../integration/injection/corpus.ts";
import { serverModes } from "../integration/injection/server-modes.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { useIsolatedDatabase } from "../support/isolated-database.ts";
import { type FuzzStatement, type FuzzValue, fuzzStatement } from "./support/statement-fuzz.ts";

const Base = declarativeBase();
class Note extends Base.model("fault_inj_notes", {
  key: mappedColumn(StringType(120), { primaryKey: true }),
  rank: mappedColumn(Integer),
  body: mappedColumn(Text),
}) {}
const CANARY = "fault_inj_canary";
const canary = canaryTable(Base.metadata, CANARY);

/** A primary key must fit a VARCHAR(120) index on MariaDB: long payloads are keyed by number. */
const keyOf = (payload: string, index: number) => (payload.length <= 100 && payload.trim() === payload ? payload : `long ${index}`);

/** Whether a server error is a syntax error (the one outcome hostile input must never produce). */
function isSyntaxError(error: unknown): boolean {
  if (!(error instanceof DBAPIError)) return false;
  return error.driverCode === "42601" || error.driverCode === "1064" || error.driverCode === "ER_PARSE_ERROR" || /syntax error|unrecognized token/i.test(error.message);
}

/** An unknown function: the name reached the server as one identifier, which names nothing. */
function isUnknownFunction(error: unknown): boolean {
  if (!(error instanceof DBAPIError)) return false;
  return error.driverCode === "42883" || error.driverCode === "1305" || error.driverCode === "1630" || /no such function|does not exist/i.test(error.message);
}

async function tableNames(engine: AsyncEngine): Promise<string[]> {
  const sql = {
    sqlite: "SELECT name AS t FROM sqlite_master WHERE type = 'table'",
    postgresql: "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema()",
    mysql: "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()",
  }[engine.dialect.name as "sqlite" | "postgresql" | "mysql"];
  const rows = (await engine.execute(text(sql))).all() as { t: unknown }[];
  return rows.map((r) => String(r.t)).sort();
}

describeEachDatabase("fault: injection", (db) => {
  serverModes(db).forEach((mode, modeIndex) => {
    describe(mode.label, () => {
      const ctx = useIsolatedDatabase(db, `fault_inj_${modeIndex}`, Base.metadata, { poolSize: 1, maxOverflow: 0 });
      const payloads = valuePayloads(CANARY);
      let tablesBefore: string[] = [];

      beforeAll(async () => {
        await mode.apply(ctx.engine);
        await fillCanary(ctx.engine, canary);
        tablesBefore = await tableNames(ctx.engine);
      });

      /** 0 damage: the canary holds its two rows, no table came or went, the mode still holds. */
      async function expectNoDamage(): Promise<void> {
        await expectCanaryIntact(ctx.engine, canary);
        expect(await tableNames(ctx.engine)).toEqual(tablesBefore);
        expect(await mode.isActive(ctx.engine)).toBe(true);
      }

      it(`the corpus (${payloads.length} payloads) through the ORM: add/commit, get by a hostile primary key, update through an attribute`, async () => {
        const sent: string[] = [];
        const stop = ctx.engine.onStatement((sql) => sent.push(sql));
        try {
          await using session = new AsyncSession(ctx.engine);
          payloads.forEach(({ value }, index) => session.add(new Note({ key: keyOf(value, index), rank: index, body: value })));
          await session.commit();
          session.expungeAll();
          for (const [index, { value }] of payloads.entries()) {
            const note = await session.get(Note, keyOf(value, index));
            expect(note?.body, JSON.stringify(value)).toBe(value);
            (note as Note).body = `u${value}`;
          }
          await session.commit();
          const bodies = (await session.execute(select(Note.body).orderBy(Note.rank))).scalars().all();
          expect(bodies).toEqual(payloads.map(({ value }) => `u${value}`));
        } finally {
          stop();
        }
        for (const { value } of payloads.filter((p) => p.value.length >= 8)) {
          for (const sql of sent) expect(sql).not.toContain(value);
        }
        await expectNoDamage();
        console.log(`[fault injection ${db.name} ${mode.label}] ORM: ${payloads.length} payloads added, got by key and updated; ${sent.length} statements, 0 with a payload in their SQL; 0 damage`);
      });

      it("ORDER BY a bound value, by a hostile label, and bound LIMIT/OFFSET: each runs, 0 syntax errors", async () => {
        let ran = 0;
        const syntaxErrors: string[] = [];
        const attempt = async (label: string, work: () => Promise<unknown>) => {
          try {
            await work();
            ran++;
          } catch (error) {
            syntaxErrors.push(`${label}: ${String(error)}`);
          }
        };
        for (const [index, { value }] of payloads.entries()) {
          const byValue = select(Note.key).orderBy(Note.body.eq(value), Note.key).limit(index + 1).offset(index);
          await attempt(`order by value ${index}`, () => ctx.engine.execute(byValue));
        }
        for (const name of IDENTIFIER_PAYLOADS) {
          const labelled = Note.body.label(name);
          const rows = select(labelled, Note.rank).orderBy(labelled, Note.rank.desc()).limit(3);
          await attempt(`order by label ${name}`, async () => {
            const result = (await ctx.engine.execute(rows)).all() as Record<string, unknown>[];
            expect(Object.keys(result[0] ?? {})).toContain(name);
          });
          expect(() => select(labelled).orderBy(name as never), name).toThrow(ArgumentError);
        }
        expect(syntaxErrors).toEqual([]);
        await expectNoDamage();
        console.log(`[fault injection ${db.name} ${mode.label}] ORDER BY / LIMIT: ${ran} statements ran, 0 syntax errors, 0 damage`);
      });

      it("function names: plain ones run bare, others are quoted, NUL or identifier quotes are refused with ArgumentError", async () => {
        const names = [
          ...IDENTIFIER_PAYLOADS,
          "lower",
          "upper",
          "a\u0000b",
          `lower(1); DROP TABLE ${CANARY}; --`,
          `count(*) FROM ${CANARY} --`,
          `x" (1); DROP TABLE ${CANARY}; --`,
          `x\` (1); DROP TABLE ${CANARY}; --`,
          "sleep",
        ];
        // Bare is allowed for plain identifiers (ASCII, or letters of any script); anything else must be quoted.
        const plain = /^[\p{L}_][\p{L}\p{N}_]*$/u;
        const mustRefuse = /[\u0000"`]/;
        const outcome = { ran: 0, refused: 0, unknownFunction: 0 };
        const wrong: string[] = [];
        for (const name of names) {
          let statement: ReturnType<typeof select>;
          let sql: string;
          try {
            // Refused names throw here, when the function is built.
            statement = select(func[name]?.(literal("zq1qz")).label("f") as never);
            sql = ctx.engine.dialect.compiler.compile(statement.node).compiled.sql;
          } catch (error) {
            if (error instanceof ArgumentError && mustRefuse.test(name)) outcome.refused++;
            else if (error instanceof ArgumentError && !plain.test(name) && name.includes("'")) outcome.refused++;
            else wrong.push(`${JSON.stringify(name)}: compile threw ${String(error)}`);
            continue;
          }
          if (mustRefuse.test(name)) wrong.push(`${JSON.stringify(name)}: compiled instead of refused: ${sql}`);
          const quoted = `${ctx.engine.dialect.compiler.quote(name)}(`;
          if (!plain.test(name) && !sql.includes(quoted)) wrong.push(`${JSON.stringify(name)}: not quoted: ${sql}`);
          if (name === "sleep") continue; // a real function on MariaDB; its name is plain either way
          try {
            await ctx.engine.execute(statement);
            outcome.ran++;
          } catch (error) {
            if (isUnknownFunction(error) && !isSyntaxError(error)) outcome.unknownFunction++;
            else wrong.push(`${JSON.stringify(name)}: ${isSyntaxError(error) ? "SYNTAX ERROR" : "error"} ${String(error).split("\n")[0]}`);
          }
        }
        expect(wrong).toEqual([]);
        await expectNoDamage();
        console.log(
          `[fault injection ${db.name} ${mode.label}] function names: ${names.length} names, ${outcome.ran} ran, ${outcome.refused} refused with ArgumentError, ` +
            `${outcome.unknownFunction} reached the server as one unknown identifier; 0 syntax errors, 0 damage`,
        );
      });
    });
  });
});

const DIALECTS: readonly Dialect[] = [new SqliteDialect(), new PostgresqlDialect(), new MysqlDialect()];
const FUZZ_RUNS = 20_000;
/**
 * The run is seeded so CI is repeatable: this seed once drew two bindparam()s of one name with two
 * values (a generator fault, now left out by the generator). FAULT_FUZZ_SEED=<n> explores others.
 */
const FUZZ_SEED = Number(process.env.FAULT_FUZZ_SEED ?? -788277731);

/** Whether the bound parameters hold `value` (LIKE helpers bind it escaped and wrapped in %). */
function paramsHold(params: readonly unknown[], value: FuzzValue, marker: string): boolean {
  return params.some(
    (p) =>
      p === value ||
      (typeof p === "string" && p.includes(marker)) ||
      (p instanceof Date && value instanceof Date && p.getTime() === value.getTime()) ||
      (p instanceof Uint8Array && value instanceof Uint8Array && Buffer.compare(p, value) === 0),
  );
}

describe("fault: injection — compiler fuzz (no database)", () => {
  it(`${FUZZ_RUNS} random select/insert/update/delete statements per dialect: SQL holds only placeholders, params hold every value`, () => {
    const checked = new Map<string, number>(DIALECTS.map((d) => [d.name, 0]));
    const kinds = new Map<string, number>();
    let values = 0;
    const start = performance.now();
    fc.assert(
      fc.property(fuzzStatement, (generated: FuzzStatement) => {
        kinds.set(generated.kind, (kinds.get(generated.kind) ?? 0) + 1);
        for (const dialect of DIALECTS) {
          const { compiled, extracted } = dialect.compiler.compile(generated.statement.node as StatementNode);
          const params = boundParameters(compiled, extracted, generated.named);
          const sql = compiled.sql;
          for (const { value, marker } of generated.values) {
            if (sql.includes(marker)) throw new Error(`${dialect.name}: value ${JSON.stringify(String(value))} in SQL: ${sql}`);
            if (!paramsHold(params, value, marker)) throw new Error(`${dialect.name}: value ${JSON.stringify(String(value))} not bound: ${JSON.stringify(params)}`);
          }
          expect(sql).not.toMatch(/;|--|\/\*|DROP/);
          checked.set(dialect.name, (checked.get(dialect.name) ?? 0) + 1);
          values += generated.values.length;
        }
      }),
      { numRuns: FUZZ_RUNS, seed: FUZZ_SEED },
    );
    for (const count of checked.values()) expect(count).toBe(FUZZ_RUNS);
    console.log(
      `[fault injection fuzz] ${[...checked].map(([d, n]) => `${d} ${n}`).join(", ")} statements checked ` +
        `(${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}; ${values} bound values) in ${Math.round(performance.now() - start)} ms: ` +
        "0 values in SQL text, 0 values missing from params",
    );
  });
});
