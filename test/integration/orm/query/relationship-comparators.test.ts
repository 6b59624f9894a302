/**
 * Issue 12: SQLAlchemy's relationship comparators (`any()`, `has()`, `contains()`, comparing with
 * an object or NULL) on every database: the SQL each emits and the rows it finds.
 */
import { beforeAll, expect, it } from "vitest";
import { ArgumentError, type AsyncSession, type EntitySelect, InvalidRequestError, not, select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { LoadingBase, Node, Organization, Post, Tag, User } from "../../../fixtures/loading-models/blog.ts";
import { seedBlog, shape } from "../../loading/loading-support.ts";

const USER_COLUMNS = '"users"."id", "users"."name", "users"."email", "users"."organization_id"';
const POST_COLUMNS = '"posts"."id", "posts"."title", "posts"."user_id"';

describeEachSessionKind("relationship comparators", (db) => {
  const ctx = useSessionDatabase(db, "orm_rel_comparators", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  /** Runs an entity select in `session`: the one statement it ran (shaped), its parameters, and the names or titles of its rows. */
  async function run<E extends object>(session: AsyncSession, statement: EntitySelect<[E]>): Promise<{ sql: string; params: readonly unknown[]; rows: E[] }> {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    try {
      const { value: rows, statements } = await recorder.during(async () => (await session.scalars(statement)).all());
      expect(statements).toHaveLength(1);
      return { sql: shape(statements[0]?.sql ?? ""), params: statements[0]?.params ?? [], rows };
    } finally {
      recorder.stop();
    }
  }
  const names = (rows: readonly { name: string }[]) => rows.map((r) => r.name);
  const titles = (rows: readonly { title: string }[]) => rows.map((r) => r.title);

  it("any() without criterion: a correlated EXISTS over the collection's table", async () => {
    await using session = ctx.openSession();
    const { sql, rows } = await run(session, select(User).where(User.posts.any()).orderBy(User.id));
    expect(sql).toBe(
      `SELECT ${USER_COLUMNS} FROM "users" WHERE EXISTS (SELECT 1 FROM "posts" WHERE "users"."id" = "posts"."user_id") ORDER BY "users"."id"`,
    );
    expect(names(rows)).toEqual(["ann", "bob", "cid"]);
  });

  it("any(criterion): the criterion joins the EXISTS with AND", async () => {
    await using session = ctx.openSession();
    const { sql, params, rows } = await run(session, select(User).where(User.posts.any(Post.title.eq("b1"))));
    expect(sql).toBe(
      `SELECT ${USER_COLUMNS} FROM "users" WHERE EXISTS (SELECT 1 FROM "posts" WHERE "users"."id" = "posts"."user_id" AND "posts"."title" = ?)`,
    );
    expect(params).toEqual(["b1"]);
    expect(names(rows)).toEqual(["bob"]);
  });

  it("not(any()): parents with an empty collection", async () => {
    await using session = ctx.openSession();
    const { sql, rows } = await run(session, select(User).where(not(User.posts.any())));
    expect(sql).toBe(`SELECT ${USER_COLUMNS} FROM "users" WHERE NOT EXISTS (SELECT 1 FROM "posts" WHERE "users"."id" = "posts"."user_id")`);
    expect(names(rows)).toEqual(["dee"]);
  });

  it("any() on a many-to-many: the EXISTS selects from the target and the association table", async () => {
    await using session = ctx.openSession();
    const { sql, rows } = await run(session, select(Post).where(Post.tags.any(Tag.name.eq("blue"))).orderBy(Post.id));
    expect(sql).toBe(
      `SELECT ${POST_COLUMNS} FROM "posts" WHERE EXISTS (SELECT 1 FROM "tags", "post_tags" WHERE "posts"."id" = "post_tags"."post_id" ` +
        `AND "tags"."id" = "post_tags"."tag_id" AND "tags"."name" = ?) ORDER BY "posts"."id"`,
    );
    expect(titles(rows)).toEqual(["a1", "c1"]);
  });

  it("any() on a self-referential collection aliases the target and moves the criterion onto the alias", async () => {
    await using session = ctx.openSession();
    const { sql, rows } = await run(session, select(Node).where(Node.children.any(Node.name.eq("a1"))));
    expect(sql).toBe(
      'SELECT "nodes"."id", "nodes"."name", "nodes"."parent_id" FROM "nodes" WHERE EXISTS (SELECT 1 FROM "nodes" AS "nodes_1" ' +
        'WHERE "nodes"."id" = "nodes_1"."parent_id" AND "nodes_1"."name" = ?)',
    );
    expect(names(rows)).toEqual(["a"]);
  });

  it("has(): EXISTS over a many-to-one's target", async () => {
    await using session = ctx.openSession();
    const posts = await run(session, select(Post).where(Post.author.has(User.name.eq("ann"))).orderBy(Post.id));
    expect(posts.sql).toBe(
      `SELECT ${POST_COLUMNS} FROM "posts" WHERE EXISTS (SELECT 1 FROM "users" WHERE "users"."id" = "posts"."user_id" AND "users"."name" = ?) ORDER BY "posts"."id"`,
    );
    expect(titles(posts.rows)).toEqual(["a1", "a2"]);
    const users = await run(session, select(User).where(User.organization.has()).orderBy(User.id));
    expect(users.sql).toBe(
      `SELECT ${USER_COLUMNS} FROM "users" WHERE EXISTS (SELECT 1 FROM "organizations" WHERE "organizations"."id" = "users"."organization_id") ORDER BY "users"."id"`,
    );
    expect(names(users.rows)).toEqual(["ann", "bob", "cid"]);
  });

  it("a column select takes comparators too, and they combine with other criteria", async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const { value, statements } = await recorder.during(async () =>
      (await session.execute(select(User.name).where(User.posts.any(), not(User.organization.has(Organization.name.eq("acme")))))).all(),
    );
    recorder.stop();
    expect(shape(statements[0]?.sql ?? "")).toBe(
      'SELECT "users"."name" FROM "users" WHERE EXISTS (SELECT 1 FROM "posts" WHERE "users"."id" = "posts"."user_id") AND ' +
        'NOT EXISTS (SELECT 1 FROM "organizations" WHERE "organizations"."id" = "users"."organization_id" AND "organizations"."name" = ?)',
    );
    expect(value).toEqual([{ name: "cid" }]);
  });

  it("eq(object) on a many-to-one binds the object's key against the foreign key; the object may be expired", async () => {
    await using session = ctx.openSession();
    const ann = (await session.get(User, 1)) as User;
    await session.commit(); // expires ann: the comparison reads her identity
    const { sql, params, rows } = await run(session, select(Post).where(Post.author.eq(ann)).orderBy(Post.id));
    expect(sql).toBe(`SELECT ${POST_COLUMNS} FROM "posts" WHERE ? = "posts"."user_id" ORDER BY "posts"."id"`);
    expect(params).toEqual([1]);
    expect(titles(rows)).toEqual(["a1", "a2"]);
    expect(rows.every((p) => p.userId === 1)).toBe(true);
  });

  it("eq(null) / ne(null) on a many-to-one test the foreign key for NULL", async () => {
    await using session = ctx.openSession();
    const none = await run(session, select(User).where(User.organization.eq(null)));
    expect(none.sql).toBe(`SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."organization_id" IS NULL`);
    expect(names(none.rows)).toEqual(["dee"]);
    const some = await run(session, select(User).where(User.organization.ne(null)).orderBy(User.id));
    expect(some.sql).toBe(`SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."organization_id" IS NOT NULL ORDER BY "users"."id"`);
    expect(names(some.rows)).toEqual(["ann", "bob", "cid"]);
  });

  it("ne(object) on a many-to-one counts a NULL foreign key as different", async () => {
    await using session = ctx.openSession();
    const acme = (await session.get(Organization, 1)) as Organization;
    const { sql, params, rows } = await run(session, select(User).where(User.organization.ne(acme)).orderBy(User.id));
    expect(sql).toBe(
      `SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."organization_id" <> ? OR "users"."organization_id" IS NULL ORDER BY "users"."id"`,
    );
    expect(params).toEqual([1]);
    expect(names(rows)).toEqual(["cid", "dee"]);
  });

  it("eq(null) / ne(null) on a collection: NOT EXISTS / EXISTS", async () => {
    await using session = ctx.openSession();
    const empty = await run(session, select(User).where(User.posts.eq(null)));
    expect(empty.sql).toBe(`SELECT ${USER_COLUMNS} FROM "users" WHERE NOT EXISTS (SELECT 1 FROM "posts" WHERE "users"."id" = "posts"."user_id")`);
    expect(names(empty.rows)).toEqual(["dee"]);
    const nonEmpty = await run(session, select(User).where(User.posts.ne(null)).orderBy(User.id));
    expect(nonEmpty.sql).toBe(`SELECT ${USER_COLUMNS} FROM "users" WHERE EXISTS (SELECT 1 FROM "posts" WHERE "users"."id" = "posts"."user_id") ORDER BY "users"."id"`);
    expect(names(nonEmpty.rows)).toEqual(["ann", "bob", "cid"]);
  });

  it("contains(item) on a one-to-many binds the item's foreign key against the parent's key", async () => {
    await using session = ctx.openSession();
    const b1 = (await session.get(Post, 3)) as Post;
    const { sql, params, rows } = await run(session, select(User).where(User.posts.contains(b1)));
    expect(sql).toBe(`SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."id" = ?`);
    expect(params).toEqual([2]);
    expect(names(rows)).toEqual(["bob"]);
  });

  it("contains(item) on a many-to-many joins an alias of the association table implicitly; not() of it is NOT EXISTS", async () => {
    await using session = ctx.openSession();
    const red = (await session.get(Tag, 1)) as Tag;
    const tagged = await run(session, select(Post).where(Post.tags.contains(red)).orderBy(Post.id));
    expect(tagged.sql).toBe(
      `SELECT ${POST_COLUMNS} FROM "posts", "post_tags" AS "post_tags_1" WHERE "posts"."id" = "post_tags_1"."post_id" AND ? = "post_tags_1"."tag_id" ORDER BY "posts"."id"`,
    );
    expect(tagged.params).toEqual([1]);
    expect(titles(tagged.rows)).toEqual(["a1", "a2"]);
    const untagged = await run(session, select(Post).where(not(Post.tags.contains(red))).orderBy(Post.id));
    expect(untagged.sql).toBe(
      `SELECT ${POST_COLUMNS} FROM "posts" WHERE NOT EXISTS (SELECT 1 FROM "tags", "post_tags" WHERE "posts"."id" = "post_tags"."post_id" ` +
        `AND "tags"."id" = "post_tags"."tag_id" AND "tags"."id" = ?) ORDER BY "posts"."id"`,
    );
    expect(titles(untagged.rows)).toEqual(["b1", "c1"]);
  });

  it("contains() with an item whose foreign key is not loaded says how to load it, and runs nothing", async () => {
    await using session = ctx.openSession();
    const b1 = (await session.get(Post, 3)) as Post;
    await session.commit();
    expect(() => User.posts.contains(b1)).toThrow(InvalidRequestError);
    expect(() => User.posts.contains(b1)).toThrow(/Can't compare User\.posts with Post\(id=3\): its attribute 'userId' is not loaded .*awaitableAttrs\.userId/);
  });

  it("a comparator for the other kind of relationship does not compile, and raises the reason", async () => {
    await using session = ctx.openSession();
    const [b1, red, ann] = [await session.get(Post, 3), await session.get(Tag, 1), await session.get(User, 1)] as [Post, Tag, User];
    // @ts-expect-error any() is for collections
    expect(() => Post.author.any()).toThrow(/'any\(\)' not implemented for scalar attributes\. Use has\(\)/);
    // @ts-expect-error has() is for scalar references
    expect(() => User.posts.has()).toThrow(/'has\(\)' not implemented for collections\. Use any\(\)/);
    // @ts-expect-error a collection compares with an object by contains()
    expect(() => User.posts.eq(b1)).toThrow(/Can't compare a collection to an object or collection; use contains\(\)/);
    // @ts-expect-error contains() is for collections
    expect(() => Post.author.contains(ann)).toThrow(InvalidRequestError);
    // @ts-expect-error User.posts holds posts, not tags
    expect(() => User.posts.contains(red)).toThrow(ArgumentError);
    // @ts-expect-error a criterion is not an object to compare with
    expect(() => Post.author.eq(User.name.eq("ann"))).toThrow(/a mapped instance is expected .* use has\(\.\.\.\)/);
  });
});
