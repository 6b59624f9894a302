import { expect, it } from "vitest";
import { select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Category, GraphBase, Organization, Post, User } from "../../../fixtures/uow-models/graph.ts";
import { type InstanceState, STATE } from "../../../../src/orm/state/instance-state.ts";
import { executeFlushPlan } from "../../../../src/orm/unit-of-work/flush-executor.ts";
import { planFlush } from "../../../../src/orm/unit-of-work/flush-plan.ts";
import { done } from "../../../../src/shared/io.ts";
import { countRows, rawRows, resetGraph, shapes, summary } from "./uow-support.ts";

/**
 * Acceptance 2 of the ORM issue: a three-level graph and a self-referential tree, added children
 * first, go in with one flush and out with one flush, with foreign keys enforced on every database
 * (the SQLite driver turns on PRAGMA foreign_keys).
 */
describeEachSessionKind("unit of work: flush ordering", (db) => {
  const ctx = useSessionDatabase(db, "uow_flush_ordering", GraphBase.metadata);

  /** An organization with two users with a post each, and the category tree root → a → b → c plus root → d. */
  function graph() {
    const org = new Organization({ name: "Acme" });
    const ann = new User({ name: "ann", organization: org });
    const bob = new User({ name: "bob", organization: org });
    const p1 = new Post({ title: "p1", author: ann });
    const p2 = new Post({ title: "p2", author: bob });
    const root = new Category({ name: "root" });
    const a = new Category({ name: "a", parent: root });
    const b = new Category({ name: "b", parent: a });
    const c = new Category({ name: "c", parent: b });
    const d = new Category({ name: "d", parent: root });
    return { org, ann, bob, p1, p2, root, a, b, c, d };
  }

  it("inserts parents before children whatever the add() order, in one flush", async () => {
    await resetGraph(ctx);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const g = graph();
    // Children strictly before their parents.
    session.addAll([g.c, g.b, g.d, g.a, g.p2, g.p1, g.bob, g.ann, g.org, g.root]);
    const { statements } = await recorder.during(() => session.flush());
    const returning = ctx.engine.dialect.capabilities.insertReturning;

    // Rows of one table that do not depend on each other share a multi-row INSERT when RETURNING
    // gives the generated keys back; without it each row needs its own lastInsertId.
    const expected = returning
      ? [
          "INSERT organizations",
          "INSERT users",
          "INSERT posts",
          "INSERT categories", // root
          "INSERT categories", // d, a (both children of root)
          "INSERT categories", // b
          "INSERT categories", // c
        ]
      : [
          "INSERT organizations",
          "INSERT users",
          "INSERT users",
          "INSERT posts",
          "INSERT posts",
          "INSERT categories",
          "INSERT categories",
          "INSERT categories",
          "INSERT categories",
          "INSERT categories",
        ];
    expect(summary(statements)).toEqual(expected);
    if (returning) {
      expect(shapes(statements).slice(0, 3)).toEqual([
        'INSERT INTO "organizations" ("name") VALUES (?) RETURNING "organizations"."id"',
        'INSERT INTO "users" ("name", "organization_id") VALUES (?, ?), (?, ?) RETURNING "users"."id"',
        'INSERT INTO "posts" ("title", "user_id") VALUES (?, ?), (?, ?) RETURNING "posts"."id"',
      ]);
    }

    // Keys came back and foreign keys were copied from them before each child's INSERT.
    expect(g.org.id).toEqual(expect.any(Number));
    expect([g.ann.organizationId, g.bob.organizationId]).toEqual([g.org.id, g.org.id]);
    expect([g.p1.userId, g.p2.userId]).toEqual([g.ann.id, g.bob.id]);
    expect([g.a.parentId, g.b.parentId, g.c.parentId, g.d.parentId]).toEqual([g.root.id, g.a.id, g.b.id, g.root.id]);
    expect(g.root.parentId).toBeNull();
    // Users were inserted in add() order (bob before ann), each with its own key.
    expect(g.bob.id).toBeLessThan(g.ann.id);
    const ids = { root: g.root.id, a: g.a.id, b: g.b.id };
    await session.commit();

    const rows = await rawRows(ctx.engine, "SELECT name, parent_id FROM categories ORDER BY name");
    expect(rows.map(([name, parent]) => [name, parent === null ? null : Number(parent)])).toEqual([
      ["a", ids.root],
      ["b", ids.a],
      ["c", ids.b],
      ["d", ids.root],
      ["root", null],
    ]);
  });

  it("the flush executor does its I/O only through whatever runner drives it (ADR 0014): one yielded outcome per statement", async () => {
    await resetGraph(ctx);
    const g = graph();
    const stateOf = (object: object): InstanceState => (object as { [STATE]: InstanceState })[STATE];
    const ranks = new Map(GraphBase.metadata.sortedTables.map((table, i) => [table, i]));
    const plan = planFlush({
      // Numbered as the session numbers them in add() order.
      pending: Object.values(g).map((object, i) => Object.assign(stateOf(object), { insertOrder: i + 1 })),
      modified: [],
      deleted: [],
      tableRank: (mapper) => ranks.get(mapper.table) ?? 0,
    });
    const recorder = new StatementRecorder(ctx.engine); // the engine the executor runs on here, not a session's
    const conn = await ctx.engine.connect();
    let outcomes = 0;
    try {
      // A runner of the test's own instead of runAsync: a synchronous one will get the same yields.
      const work = executeFlushPlan(plan, () => done(conn));
      let step = work.next();
      while (step.done !== true) {
        // The outcome of one driver call (a promise from PGlite, the result itself from
        // better-sqlite3): nothing awaited inside, no generator leaked out.
        const outcome = step.value instanceof Promise ? await step.value : step.value;
        expect(Array.isArray((outcome as { rows?: unknown }).rows)).toBe(true);
        outcomes++;
        step = work.next(outcome);
      }
      await conn.commit();
    } finally {
      await conn.close();
      recorder.stop();
    }
    // Every statement the engine ran, BEGIN included, reached the runner as one outcome (the COMMIT came after).
    expect(outcomes).toBe(recorder.all.filter((s) => s.sql !== "COMMIT").length);
    expect(summary(recorder.statements).filter((s) => s !== "INSERT categories")).toEqual(
      ctx.engine.dialect.capabilities.insertReturning
        ? ["INSERT organizations", "INSERT users", "INSERT posts"]
        : ["INSERT organizations", "INSERT users", "INSERT users", "INSERT posts", "INSERT posts"],
    );
    expect([g.p1.userId, g.p2.userId]).toEqual([g.ann.id, g.bob.id]);
    for (const [table, rows] of [["organizations", 1], ["users", 2], ["posts", 2], ["categories", 5]] as const) {
      expect(await countRows(ctx.engine, table)).toBe(rows);
    }
  });

  it("deletes children before parents in one flush, down the self-referential tree", async () => {
    await resetGraph(ctx);
    const ids = await (async () => {
      await using session = ctx.openSession();
      const g = graph();
      session.addAll(Object.values(g));
      await session.commit();
      await session.refresh(g.root);
      return { root: g.root.id };
    })();
    expect(ids.root).toEqual(expect.any(Number));

    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    // Loaded table by table: every relationship is unloaded, so the order comes from the foreign keys.
    const everything = [
      ...(await session.scalars(select(Category).orderBy(Category.id))).all(),
      ...(await session.scalars(select(Organization))).all(),
      ...(await session.scalars(select(User))).all(),
      ...(await session.scalars(select(Post))).all(),
    ];
    expect(everything.length).toBe(10);
    for (const object of everything) await session.delete(object);
    const { statements } = await recorder.during(() => session.flush());

    // The default cascade loads each deleted parent's unloaded collections (children whose
    // foreign key it would set to NULL; here they are all being deleted), and each post's
    // tags (association rows to delete); then the DELETEs run, children first.
    const selects = summary(statements).filter((s) => s.startsWith("SELECT"));
    const deletes = statements.filter((s) => s.sql.startsWith("DELETE"));
    expect(statements.length).toBe(selects.length + deletes.length);
    expect(summary(statements).findIndex((s) => s.startsWith("DELETE"))).toBe(selects.length);
    // Tables in reverse dependency order (categories, unrelated to the rest, is created last).
    expect(summary(deletes)).toEqual([
      "DELETE categories",
      "DELETE categories",
      "DELETE categories",
      "DELETE categories",
      "DELETE categories",
      "DELETE posts",
      "DELETE posts",
      "DELETE users",
      "DELETE users",
      "DELETE organizations",
    ]);
    // c before b before a before root; d before root.
    const categoryOrder = deletes.filter((s) => s.sql.includes("categories")).map((s) => s.params[0]);
    const byName = new Map((everything.filter((o) => o instanceof Category) as Category[]).map((c) => [c.name, c.id]));
    const at = (name: string) => categoryOrder.indexOf(byName.get(name));
    expect(at("c")).toBeLessThan(at("b"));
    expect(at("b")).toBeLessThan(at("a"));
    expect(at("a")).toBeLessThan(at("root"));
    expect(at("d")).toBeLessThan(at("root"));
    expect(shapes(deletes)[5]).toBe('DELETE FROM "posts" WHERE "posts"."id" = ?');
    await session.commit();

    for (const table of ["posts", "users", "organizations", "categories"]) expect(await countRows(ctx.engine, table)).toBe(0);
  });
});
