/**
 * Issue 12: `aliased(Entity)` on every database: an alias selected alone or beside its class,
 * joined by an explicit ON, along a relationship (`ofType()`, `join(Alias, Class.relationship)`),
 * its relationships joined from the alias, and its rows loaded into the class's identity map.
 */
import { beforeAll, expect, expectTypeOf, it } from "vitest";
import { ArgumentError, aliased, loadOnly, select, selectinload } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { type RanStatement, StatementRecorder } from "../../../support/statements.ts";
import { LoadingBase, Node, Post, User } from "../../../fixtures/loading-models/blog.ts";
import { seedBlog, shape } from "../../loading/loading-support.ts";

const NODE_COLUMNS = '"nodes"."id", "nodes"."name", "nodes"."parent_id"';
const PARENT_COLUMNS = '"parent"."id" AS "id_1", "parent"."name" AS "name_1", "parent"."parent_id" AS "parent_id_1"';

describeEachSessionKind("aliased entities", (db) => {
  const ctx = useSessionDatabase(db, "orm_aliased", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));
  const Parent = aliased(Node, { name: "parent" });

  async function recorded<T>(work: () => Promise<T>): Promise<{ value: T; sql: string[]; statements: RanStatement[] }> {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    try {
      const { value, statements } = await recorder.during(work);
      return { value, sql: statements.map((s) => shape(s.sql)), statements };
    } finally {
      recorder.stop();
    }
  }

  it("selected alone: its columns and FROM are the alias's, its rows are the class's instances in the identity map", async () => {
    await using session = ctx.openSession();
    const { value, sql, statements } = await recorded(async () => (await session.scalars(select(Parent).where(Parent.name.eq("root")))).all());
    expect(sql).toEqual(['SELECT "parent"."id", "parent"."name", "parent"."parent_id" FROM "nodes" AS "parent" WHERE "parent"."name" = ?']);
    expect(statements[0]?.params).toEqual(["root"]);
    expectTypeOf(value).toEqualTypeOf<Node[]>();
    expect(value).toHaveLength(1);
    const root = value[0] as Node;
    expect(root).toBeInstanceOf(Node);
    expect([root.id, root.name, root.parentId]).toEqual([1, "root", null]);
    expect(await session.get(Node, 1)).toBe(root);
  });

  it("beside its class, joined by an explicit ON: each row holds two objects of one identity map", async () => {
    await using session = ctx.openSession();
    const { value: rows, sql } = await recorded(async () =>
      (await session.execute(select(Node, Parent).join(Parent, Node.parentId.eq(Parent.id)).orderBy(Node.id))).all(),
    );
    expect(sql).toEqual([
      `SELECT ${NODE_COLUMNS}, ${PARENT_COLUMNS} FROM "nodes" JOIN "nodes" AS "parent" ON "nodes"."parent_id" = "parent"."id" ORDER BY "nodes"."id"`,
    ]);
    expectTypeOf(rows[0] as [Node, Node]).toEqualTypeOf<[Node, Node]>();
    expect(rows.map(([child, parent]) => [child.name, parent.name])).toEqual([
      ["a", "root"],
      ["b", "root"],
      ["a1", "a"],
      ["a1x", "a1"],
    ]);
    const [a] = rows[0] as [Node, Node];
    const [, parentOfA1] = rows[2] as [Node, Node];
    expect(parentOfA1).toBe(a);
    expect((rows[0] as [Node, Node])[1]).toBe((rows[1] as [Node, Node])[1]);
  });

  it("along a relationship: ofType(), and join(Alias, Class.relationship), emit the same join", async () => {
    await using session = ctx.openSession();
    const { value, sql } = await recorded(async () => [
      (await session.scalars(select(Node).join(Node.parent.ofType(Parent)).where(Parent.name.eq("a")))).all(),
      (await session.scalars(select(Node).join(Parent, Node.parent).where(Parent.name.eq("a")))).all(),
    ]);
    const expected = `SELECT ${NODE_COLUMNS} FROM "nodes" JOIN "nodes" AS "parent" ON "parent"."id" = "nodes"."parent_id" WHERE "parent"."name" = ?`;
    expect(sql).toEqual([expected, expected]);
    expect(value.map((nodes) => nodes.map((n) => n.name))).toEqual([["a1"], ["a1"]]);
  });

  it("an outer join to the alias gives null where there is no related row", async () => {
    await using session = ctx.openSession();
    const { value: rows, sql } = await recorded(async () =>
      (await session.execute(select(Node, Parent).outerjoin(Node.parent.ofType(Parent)).where(Node.id.le(2)).orderBy(Node.id))).all(),
    );
    expect(sql).toEqual([
      `SELECT ${NODE_COLUMNS}, ${PARENT_COLUMNS} FROM "nodes" LEFT OUTER JOIN "nodes" AS "parent" ON "parent"."id" = "nodes"."parent_id" WHERE "nodes"."id" <= ? ORDER BY "nodes"."id"`,
    ]);
    expect(rows.map(([n, p]) => [n.name, p?.name ?? null])).toEqual([
      ["root", null],
      ["a", "root"],
    ]);
    expect((rows[1] as [Node, Node])[1]).toBe((rows[0] as [Node, Node])[0]);
  });

  it("relationships read from the alias join from it; column selects take its columns", async () => {
    await using session = ctx.openSession();
    const { value, sql } = await recorded(async () =>
      (await session.execute(select(Parent.name, Node.name.label("child")).join(Parent.children).orderBy(Node.id))).all(),
    );
    expect(sql).toEqual([
      'SELECT "parent"."name", "nodes"."name" AS "child" FROM "nodes" AS "parent" JOIN "nodes" ON "nodes"."parent_id" = "parent"."id" ORDER BY "nodes"."id"',
    ]);
    expect(value).toEqual([
      { name: "root", child: "a" },
      { name: "root", child: "b" },
      { name: "a", child: "a1" },
      { name: "a1", child: "a1x" },
    ]);
  });

  it("comparators on the alias: any() correlates to the alias, ofType() names the EXISTS target", async () => {
    await using session = ctx.openSession();
    const Child = aliased(Node, { name: "child" });
    const { value, sql } = await recorded(async () => [
      (await session.scalars(select(Parent).where(Parent.children.any(Node.name.eq("a1"))))).all(),
      (await session.scalars(select(Node).where(Node.children.ofType(Child).any(Child.name.like("a%"))).orderBy(Node.id))).all(),
    ]);
    expect(sql).toEqual([
      'SELECT "parent"."id", "parent"."name", "parent"."parent_id" FROM "nodes" AS "parent" WHERE EXISTS (SELECT 1 FROM "nodes" AS "nodes_1" ' +
        'WHERE "parent"."id" = "nodes_1"."parent_id" AND "nodes_1"."name" = ?)',
      `SELECT ${NODE_COLUMNS} FROM "nodes" WHERE EXISTS (SELECT 1 FROM "nodes" AS "child" WHERE "nodes"."id" = "child"."parent_id" AND "child"."name" LIKE ?) ORDER BY "nodes"."id"`,
    ]);
    expect(value.map((nodes) => nodes.map((n) => n.name))).toEqual([["a"], ["root", "a", "a1"]]);
  });

  it("two aliases of another class: each joins under its own name", async () => {
    await using session = ctx.openSession();
    const Author = aliased(User, { name: "author" });
    const { value: rows, sql } = await recorded(async () =>
      (await session.execute(select(Post, Author).join(Post.author.ofType(Author)).where(Author.name.eq("ann")).orderBy(Post.id))).all(),
    );
    expect(sql).toEqual([
      'SELECT "posts"."id", "posts"."title", "posts"."user_id", "author"."id" AS "id_1", "author"."name", "author"."email", "author"."organization_id" ' +
        'FROM "posts" JOIN "users" AS "author" ON "author"."id" = "posts"."user_id" WHERE "author"."name" = ? ORDER BY "posts"."id"',
    ]);
    expect(rows.map(([p, u]) => [p.title, u.name])).toEqual([
      ["a1", "ann"],
      ["a2", "ann"],
    ]);
    expect((rows[0] as [Post, User])[1]).toBeInstanceOf(User);
    expect((rows[0] as [Post, User])[1]).toBe((rows[1] as [Post, User])[1]);
  });

  it("an anonymous alias is named after its table; misuse is refused with the reason", () => {
    const anonymous = aliased(Node);
    expect(String(select(anonymous.id))).toMatch(/^SELECT "nodes_\d+"\."id" FROM "nodes" AS "nodes_\d+"$/);
    expect(() => Node.parent.ofType(aliased(User))).toThrow(ArgumentError);
    expect(() => select(Node).join(aliased(User), Node.parent)).toThrow(/Node\.parent leads to Node's table "nodes"/);
  });

  it("an aliased class has no constructor and is no DML target (types)", () => {
    const misuse = () => {
      // @ts-expect-error an alias is not a class: its rows are Node objects, made by Node
      new Parent();
    };
    expect(misuse).toThrow(TypeError);
  });

  it("a loader option names its class's entity, not an alias of it beside it (as SQLAlchemy binds options)", async () => {
    await using session = ctx.openSession();
    const { value: rows, sql, statements } = await recorded(async () =>
      (await session.execute(select(Node, Parent).join(Parent, Node.parent).options(selectinload(Node.children)).orderBy(Node.id))).all(),
    );
    // One IN statement, for the Node entity's rows (2–5) only; the parents (1, 1, 2, 4) are not its subject.
    expect(sql).toHaveLength(2);
    expect(sql[1]).toContain('WHERE "nodes"."parent_id" IN (?, ?, ?, ?)');
    expect(statements[1]?.params).toEqual([2, 3, 4, 5]);
    expect(rows.map((row) => [row[0].id, row[1].id])).toEqual([[2, 1], [3, 1], [4, 2], [5, 4]]);
  });

  it("with a column option the rows keep the alias's key (row.parent)", async () => {
    await using session = ctx.openSession();
    const rows = (await session.execute(select(Node, Parent).join(Parent, Node.parent).options(loadOnly(Node.name)).orderBy(Node.id))).all();
    const first = rows[0] as unknown as Record<string, Node>;
    expect([first.Node?.id, first.parent?.id]).toEqual([2, 1]);
  });
});
