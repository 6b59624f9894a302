import { expect, it } from "vitest";
import {
  AsyncSession,
  type AsyncEngine,
  createAsyncEngine,
  declarativeBase,
  ForeignKey,
  Integer,
  mappedColumn,
  OperationalError,
  PendingRollbackError,
  relationship,
  select,
  StringType,
  TsalchemyError,
} from "../../src/index.ts";
import type { DriverConnection } from "../../src/core/drivers/driver.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { useIsolatedDatabase } from "../support/isolated-database.ts";
import { BackendKiller, hasKillableBackends } from "./backend-killer.ts";

/**
 * The server ends the session's connection when statement k of a commit starts, for every k of
 * a three-level graph's flush (parent → 3 children → 2 grandchildren each) and its COMMIT.
 * Each time: nothing of the graph is in the database, the commit raises one typed error
 * (OperationalError, connectionInvalidated), every further call raises PendingRollbackError until
 * rollback(), and then the same session commits the same graph on a new connection.
 *
 * The kill is deterministic: the driver connection's `execute` is wrapped so that, when the
 * armed statement is about to be sent, it asks the server for its own session id, has a second
 * connection end that session (PostgreSQL waits for the backend to exit), then sends the
 * statement into the dead connection. BEGIN is not a kill point: it is the transaction's start,
 * not the flush's (engine/disconnect.test.ts covers a connection killed before a statement).
 */

const Base = declarativeBase();

class Parent extends Base.model("parents", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(30), { nullable: false }),
  children: relationship<Child[]>("Child", { cascade: "all", backPopulates: "parent" }),
}) {}

class Child extends Base.model("children", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(30), { nullable: false }),
  parentId: mappedColumn(Integer, ForeignKey("parents.id"), { name: "parent_id", nullable: false }),
  parent: relationship<Parent | null>("Parent", { backPopulates: "children" }),
  grandchildren: relationship<Grandchild[]>("Grandchild", { cascade: "all" }),
}) {}

class Grandchild extends Base.model("grandchildren", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(30), { nullable: false }),
  childId: mappedColumn(Integer, ForeignKey("children.id"), { name: "child_id", nullable: false }),
}) {}

Base.register(Parent, Child, Grandchild);

const TABLES = ["grandchildren", "children", "parents"] as const;
const GRAPH_ROWS = 1 + 3 + 3 * 2;

function graph(): Parent {
  return new Parent({
    id: 1,
    name: "p",
    children: [1, 2, 3].map(
      (c) =>
        new Child({
          id: c,
          name: `c${c}`,
          grandchildren: [1, 2].map((g) => new Grandchild({ id: c * 10 + g, name: `g${c}${g}` })),
        }),
    ),
  });
}

/** Wraps each checked-out driver connection once, so a test can kill it when statement k starts. */
class StatementKiller {
  #armedAt: number | undefined;
  #seen = 0;
  killedAt: string | undefined;

  constructor(engine: AsyncEngine, killer: BackendKiller) {
    const wrapped = new WeakSet<DriverConnection>();
    engine.pool.on("checkout", (connection) => {
      if (wrapped.has(connection)) return;
      wrapped.add(connection);
      const execute = connection.execute.bind(connection);
      connection.execute = async (sql, params, options) => {
        if (this.#armedAt !== undefined && this.#seen++ === this.#armedAt) {
          this.#armedAt = undefined;
          this.killedAt = sql;
          const id = Number((await execute(killer.selfSql, [])).rows[0]?.[0]);
          await killer.kill(id);
        }
        return execute(sql, params, options);
      };
    });
  }

  /** Kill when the statement with this index (0: BEGIN) is about to be sent. */
  arm(index: number): void {
    this.#armedAt = index;
    this.#seen = 0;
    this.killedAt = undefined;
  }
}

async function rowCounts(engine: AsyncEngine): Promise<number> {
  const conn = await engine.connect();
  try {
    let total = 0;
    for (const table of TABLES) total += Number((await conn.execDriverSql(`SELECT COUNT(*) FROM ${table}`)).rows[0]?.[0]);
    await conn.commit();
    return total;
  } finally {
    await conn.close();
  }
}

describeEachDatabase("kill during flush: a three-level graph, the connection killed at each statement of its commit", (db) => {
  if (!hasKillableBackends(db)) {
    it.skip(`not run on ${db.name}: an in-process database has no server session to kill`);
    return;
  }
  const ctx = useIsolatedDatabase(db, "kill_flush", Base.metadata);

  it("at every statement: nothing written, one typed error, PendingRollbackError until rollback(), then the same session commits the graph on a new connection (before: the dead connection's ROLLBACK error replaced the flush's, and a failed COMMIT left the session open)", async () => {
    const engine = createAsyncEngine(ctx.engine.url, { poolSize: 2, maxOverflow: 0, poolTimeout: 5_000 });
    const killer = new BackendKiller(ctx.engine.url, db);
    const killAt = new StatementKiller(engine, killer);
    const statements: string[] = [];
    const stopRecording = engine.onStatement((sql) => statements.push(sql));
    try {
      // The statements of one commit of the graph, without faults.
      await ctx.reset();
      await using dry = new AsyncSession(engine);
      dry.add(graph());
      await dry.commit();
      stopRecording();
      expect(await rowCounts(ctx.engine)).toBe(GRAPH_ROWS);
      const ofCommit = statements.slice(statements.indexOf(statements.find((s) => /^(BEGIN|START TRANSACTION)/.test(s))!));
      expect(ofCommit.at(-1)).toBe("COMMIT");

      const figures: string[] = [];
      for (let k = 1; k < ofCommit.length; k++) {
        await ctx.reset();
        await using session = new AsyncSession(engine);
        const parent = graph();
        session.add(parent);
        killAt.arm(k);
        const error = await session.commit().catch((e: unknown) => e);
        expect(killAt.killedAt, `k=${k}`).toBe(ofCommit[k]);
        expect(error, `k=${k}`).toBeInstanceOf(OperationalError);
        expect((error as OperationalError).connectionInvalidated, `k=${k}`).toBe(true);
        expect(await rowCounts(ctx.engine), `k=${k}: rows of the graph in the database`).toBe(0);

        for (const call of [() => session.execute(select(Parent)), () => session.flush(), () => session.commit()]) {
          const next = await call().catch((e: unknown) => e);
          expect(next, `k=${k}`).toBeInstanceOf(PendingRollbackError);
          expect((next as PendingRollbackError).cause).toBe(error);
        }
        await session.rollback();
        session.add(parent);
        await session.commit();
        expect(await rowCounts(ctx.engine), `k=${k}`).toBe(GRAPH_ROWS);
        expect(engine.pool.checkedOut).toBe(0);
        figures.push(`${k}:${ofCommit[k]!.slice(0, 26)}→${(error as TsalchemyError).name}`);
      }
      console.log(
        `kill-during-flush figures [${db.name}]: ${ofCommit.length - 1}/${ofCommit.length - 1} kill points (graph of ${GRAPH_ROWS} rows, ` +
          `${ofCommit.length} statements incl. BEGIN and COMMIT): database unchanged, typed error, PendingRollbackError ×3, recommit OK; ` +
          figures.join(" | "),
      );
    } finally {
      await killer.dispose();
      await engine.dispose();
    }
  });
});
