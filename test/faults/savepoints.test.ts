/**
 * Fault suite, issue 10 item 8: a model-based property test of nested transactions. fast-check
 * generates random sequences of begin / SAVEPOINT / RELEASE / ROLLBACK TO / COMMIT / ROLLBACK /
 * insert-a-row on an AsyncConnection (Core) and on an AsyncSession (`beginNested()`, with inserts
 * as pending objects and explicit flushes), and an in-memory model says which rows must exist.
 * The open transaction must see the model's visible rows at the end of each sequence, and the
 * table (read from another connection) its committed rows after it.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import {
  type AsyncConnection,
  AsyncSession,
  type AsyncEngine,
  Integer,
  type SessionTransaction,
  type Table,
  type Transaction,
  declarativeBase,
  delete_,
  insert,
  mappedColumn,
  select,
} from "../../src/index.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { useIsolatedDatabase } from "../support/isolated-database.ts";
import { type Step, TransactionModel, choices } from "./support/transaction-model.ts";

const Base = declarativeBase();
class Row extends Base.model("fault_savepoint_rows", {
  id: mappedColumn(Integer, { primaryKey: true, autoincrement: false }),
}) {}
const rows = Base.metadata.tables.get("fault_savepoint_rows") as Table;

/** Runs per database: 500 on every one, servers included (about 14 statements a run, seconds per database). */
const RUNS = 500;

/** What the runs exercised, for the printed figure. */
class Tally {
  readonly #steps = new Map<Step, number>();
  #maxDepth = 0;

  add(step: Step, depth: number): void {
    this.#steps.set(step, (this.#steps.get(step) ?? 0) + 1);
    this.#maxDepth = Math.max(this.#maxDepth, depth - 1);
  }

  toString(): string {
    const n = (step: Step) => this.#steps.get(step) ?? 0;
    return (
      `${n("beginNested")} savepoints (max ${this.#maxDepth} deep), ${n("releaseNested")} released, ${n("rollbackNested")} rolled back to, ` +
      `${n("insert")} inserts, ${n("commit")} commits, ${n("rollback")} rollbacks`
    );
  }
}

async function tableIds(engine: AsyncEngine): Promise<number[]> {
  const ids = (await engine.execute(select(Row.id).orderBy(Row.id))).scalars().all();
  return ids.map(Number);
}

describeEachDatabase("fault: savepoints", (db) => {
  const ctx = useIsolatedDatabase(db, "fault_savepoints", Base.metadata);
  const runs = RUNS;

  it(`AsyncConnection: ${runs} random begin/SAVEPOINT/RELEASE/ROLLBACK TO/COMMIT/ROLLBACK/insert sequences agree with the model`, async () => {
    let agreed = 0;
    let statements = 0;
    const tally = new Tally();
    const stop = ctx.engine.onStatement(() => statements++);
    const start = performance.now();
    try {
      await fc.assert(
        fc.asyncProperty(choices, async (picks) => {
          await ctx.engine.execute(delete_(rows));
          const model = new TransactionModel();
          const steps: Step[] = [];
          const conn: AsyncConnection = await ctx.engine.connect();
          const open: Transaction[] = [];
          let nextId = 1;
          try {
            for (const pick of picks) {
              const allowed = model.allowed(false);
              const step = allowed[pick % allowed.length] as Step;
              steps.push(step);
              const id = nextId++;
              switch (step) {
                case "begin":
                  open.push(await conn.begin());
                  break;
                case "beginNested":
                  open.push(await conn.beginNested());
                  break;
                case "insert":
                  await conn.execute(insert(rows).values({ id }));
                  break;
                case "releaseNested":
                  await (open.pop() as Transaction).commit();
                  break;
                case "rollbackNested":
                  await (open.pop() as Transaction).rollback();
                  break;
                case "commit":
                  await (open[0] as Transaction).commit();
                  open.length = 0;
                  break;
                case "rollback":
                  await (open[0] as Transaction).rollback();
                  open.length = 0;
                  break;
              }
              model.apply(step, id);
              tally.add(step, model.depth);
              expect(conn.inNestedTransaction(), steps.join(" ")).toBe(model.depth > 1);
            }
            if (model.depth > 0) {
              const seen = (await conn.execute(select(Row.id).orderBy(Row.id))).scalars().all().map(Number);
              expect(seen, `inside the transaction after ${steps.join(" ")}`).toEqual(model.visible);
            }
          } finally {
            // Closing rolls back whatever is still open.
            await conn.close();
          }
          expect(await tableIds(ctx.engine), `after ${steps.join(" ")}`).toEqual([...model.committed].sort((a, b) => a - b));
          agreed++;
        }),
        { numRuns: runs },
      );
    } finally {
      stop();
    }
    expect(agreed).toBe(runs);
    console.log(`[fault savepoints ${db.name}] AsyncConnection: ${agreed}/${runs} runs agree with the model (${tally}; ${statements} statements, ${Math.round(performance.now() - start)} ms)`);
  });

  it(`AsyncSession: ${runs} random begin/beginNested/commit/rollback/add/flush sequences agree with the model`, async () => {
    let agreed = 0;
    let statements = 0;
    const tally = new Tally();
    const stop = ctx.engine.onStatement(() => statements++);
    const start = performance.now();
    try {
      await fc.assert(
        fc.asyncProperty(choices, async (picks) => {
          await ctx.engine.execute(delete_(rows));
          const model = new TransactionModel();
          const steps: Step[] = [];
          const session = new AsyncSession(ctx.engine);
          const open: SessionTransaction[] = [];
          let nextId = 1;
          try {
            for (const pick of picks) {
              const allowed = model.allowed(true);
              const step = allowed[pick % allowed.length] as Step;
              steps.push(step);
              const id = nextId++;
              switch (step) {
                case "begin":
                  open.push(await session.begin());
                  break;
                case "beginNested":
                  open.push(await session.beginNested());
                  break;
                case "insert":
                  session.add(new Row({ id }));
                  break;
                case "flush":
                  await session.flush();
                  break;
                case "releaseNested":
                  await (open.pop() as SessionTransaction).commit();
                  break;
                case "rollbackNested":
                  await (open.pop() as SessionTransaction).rollback();
                  break;
                case "commit":
                  await session.commit();
                  open.length = 0;
                  break;
                case "rollback":
                  await session.rollback();
                  open.length = 0;
                  break;
              }
              model.apply(step, id);
              tally.add(step, model.depth);
              expect(session.inNestedTransaction(), steps.join(" ")).toBe(model.depth > 1);
            }
            if (model.depth > 0) {
              // A Core select through the session autoflushes the pending rows first.
              const seen = (await session.execute(select(Row.id).orderBy(Row.id))).scalars().all().map(Number);
              expect(seen, `inside the transaction after ${steps.join(" ")}`).toEqual(model.visible);
            }
          } finally {
            await session.close();
          }
          expect(await tableIds(ctx.engine), `after ${steps.join(" ")}`).toEqual([...model.committed].sort((a, b) => a - b));
          agreed++;
        }),
        { numRuns: runs },
      );
    } finally {
      stop();
    }
    expect(agreed).toBe(runs);
    console.log(`[fault savepoints ${db.name}] AsyncSession: ${agreed}/${runs} runs agree with the model (${tally}; ${statements} statements, ${Math.round(performance.now() - start)} ms)`);
  });
});
