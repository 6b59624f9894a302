import { beforeAll, describe, expect, it } from "vitest";
import { joinedload, select, selectinload } from "../../../src/index.ts";
import { describeEachSessionKind, expectUnloaded, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Node } from "../../fixtures/loading-models/blog.ts";
import { ConfiguredBase, TreeNode } from "../../fixtures/loading-models/configured.ts";
import { loaded, names, seedBlog, seedConfigured, shapes } from "./loading-support.ts";

const NODES = '"nodes"."id", "nodes"."name", "nodes"."parent_id"';

/** Adjacency lists: `nodes` (lazy, loaded by options) and `tree_nodes` (children joined, joinDepth 2). */
describeEachSessionKind("loading: self-referential relationships", (db) => {
  describe("by options", () => {
    const ctx = useSessionDatabase(db, "loading_self_referential", LoadingBase.metadata);
    beforeAll(() => seedBlog(ctx));

    it("joinedload of children twice: two aliases of the same table, one statement", async () => {
      const recorder = new StatementRecorder(ctx.sessionEngine);
      await using session = ctx.openSession();
      const { value: roots, statements } = await recorder.during(async () =>
        (await session.execute(select(Node).options(joinedload(Node.children).joinedload(Node.children)).where(Node.id.eq(1)))).unique().scalars().all(),
      );
      expect(shapes(statements)).toEqual([
        `SELECT ${NODES}, "nodes_1"."id" AS "id_1", "nodes_1"."name" AS "name_1", "nodes_1"."parent_id" AS "parent_id_1", ` +
          '"nodes_2"."id" AS "id_2", "nodes_2"."name" AS "name_2", "nodes_2"."parent_id" AS "parent_id_2" FROM "nodes" ' +
          'LEFT OUTER JOIN "nodes" AS "nodes_1" ON "nodes_1"."parent_id" = "nodes"."id" ' +
          'LEFT OUTER JOIN "nodes" AS "nodes_2" ON "nodes_2"."parent_id" = "nodes_1"."id" WHERE "nodes"."id" = ?',
      ]);
      recorder.clear();
      const root = roots[0] as Node;
      expect(names(loaded(root.children))).toEqual(["a", "b"]);
      const a = loaded(root.children).find((n) => n.name === "a") as Node;
      expect(names(loaded(a.children))).toEqual(["a1"]);
      expect(recorder.statements).toEqual([]);
      // The third level was not named.
      expectUnloaded(db, loaded(a.children)[0], "children", { readLoads: true });
    });

    it("selectinload of children twice: one IN query per level", async () => {
      const recorder = new StatementRecorder(ctx.sessionEngine);
      await using session = ctx.openSession();
      const { value: roots, statements } = await recorder.during(async () =>
        (await session.scalars(select(Node).options(selectinload(Node.children).selectinload(Node.children)).where(Node.id.eq(1)))).all(),
      );
      expect(statements).toHaveLength(3);
      expect(shapes(statements)[1]).toMatch(/ FROM "nodes" WHERE "nodes"\."parent_id" IN \(\?\)$/);
      expect(statements[2]?.params.map(Number).sort()).toEqual([2, 3]);
      const root = roots[0] as Node;
      expect(loaded(root.children).map((c) => [c.name, loaded(c.children).map((g) => g.name)]).sort()).toEqual([
        ["a", ["a1"]],
        ["b", []],
      ]);
    });

    it("the many-to-one parent: joined with an alias, and read from the identity map when the parent is loaded", async () => {
      const recorder = new StatementRecorder(ctx.sessionEngine);
      await using session = ctx.openSession();
      const { value: a1, statements } = await recorder.during(async () =>
        (await session.scalars(select(Node).options(joinedload(Node.parent)).where(Node.id.eq(4)))).one(),
      );
      expect(shapes(statements)).toEqual([
        `SELECT ${NODES}, "nodes_1"."id" AS "id_1", "nodes_1"."name" AS "name_1", "nodes_1"."parent_id" AS "parent_id_1" FROM "nodes" ` +
          'LEFT OUTER JOIN "nodes" AS "nodes_1" ON "nodes_1"."id" = "nodes"."parent_id" WHERE "nodes"."id" = ?',
      ]);
      const a = a1.parent as Node;
      expect(a.name).toBe("a");
      const root = await session.get(Node, 1);
      recorder.clear();
      expect(a.parent as unknown).toBe(root); // parent_id 1 → identity map, no SQL
      expect((root as Node).parent as unknown).toBeNull(); // NULL foreign key
      expect(recorder.statements).toEqual([]);
    });
  });

  describe("configured joined children with joinDepth: 2", () => {
    const ctx = useSessionDatabase(db, "loading_join_depth", ConfiguredBase.metadata);
    beforeAll(() => seedConfigured(ctx));

    it("joins two levels of children and stops there", async () => {
      const recorder = new StatementRecorder(ctx.sessionEngine);
      await using session = ctx.openSession();
      const { value: nodes, statements } = await recorder.during(async () =>
        (await session.execute(select(TreeNode).where(TreeNode.id.eq(1)))).unique().scalars().all(),
      );
      expect(statements).toHaveLength(1);
      expect(shapes(statements)[0]).toMatch(
        /FROM "tree_nodes" LEFT OUTER JOIN "tree_nodes" AS "tree_nodes_1" ON "tree_nodes_1"\."parent_id" = "tree_nodes"\."id" LEFT OUTER JOIN "tree_nodes" AS "tree_nodes_2" ON "tree_nodes_2"\."parent_id" = "tree_nodes_1"\."id" WHERE "tree_nodes"\."id" = \?$/,
      );
      expect(shapes(statements)[0]).not.toContain("tree_nodes_3");
      const n1 = nodes[0] as TreeNode;
      const n3 = n1.children[0]?.children[0] as TreeNode;
      expect(n3.name).toBe("n3");
      expectUnloaded(db, n3, "children", { readLoads: true });
    });
  });
});
