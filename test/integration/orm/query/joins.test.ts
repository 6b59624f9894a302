/**
 * Issue 9: joins by mapped class and relationship attribute, for column-only selects (Core
 * `Select`) as for entity selects, on every database: the SQL each form emits and its rows.
 */
import { beforeAll, expect, it } from "vitest";
import { AsyncSession, type Select, and, select } from "../../../../src/index.ts";
import { describeEachDatabase } from "../../../support/databases.ts";
import { useIsolatedDatabase } from "../../../support/isolated-database.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { LoadingBase, Organization, Post, Tag, User } from "../../../fixtures/loading-models/blog.ts";
import { seedBlog, shape } from "../../loading/loading-support.ts";

describeEachDatabase("ORM joins by class and relationship", (db) => {
  const ctx = useIsolatedDatabase(db, "orm_joins", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  /** Runs a column select: the one statement it ran (shaped) and its rows. */
  async function run<R>(statement: Select<R>): Promise<{ sql: string; rows: R[] }> {
    const recorder = new StatementRecorder(ctx.engine);
    try {
      const { value: rows, statements } = await recorder.during(async () => (await ctx.engine.execute(statement)).all());
      expect(statements).toHaveLength(1);
      return { sql: shape(statements[0]?.sql ?? ""), rows: rows as R[] };
    } finally {
      recorder.stop();
    }
  }

  it("relationship form, many-to-one: the left side is the relationship's parent, ON from the relationship", async () => {
    const { sql, rows } = await run(select(Post.title, User.name).join(Post.author).orderBy(Post.id));
    expect(sql).toBe('SELECT "posts"."title", "users"."name" FROM "posts" JOIN "users" ON "users"."id" = "posts"."user_id" ORDER BY "posts"."id"');
    expect(rows).toEqual([
      { title: "a1", name: "ann" },
      { title: "a2", name: "ann" },
      { title: "b1", name: "bob" },
      { title: "c1", name: "cid" },
    ]);
  });

  it("relationship form, one-to-many, with the target's columns listed first", async () => {
    const { sql, rows } = await run(select(Post.title, User.name).join(User.posts).where(User.name.eq("ann")).orderBy(Post.id));
    expect(sql).toBe(
      'SELECT "posts"."title", "users"."name" FROM "users" JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "users"."name" = ? ORDER BY "posts"."id"',
    );
    expect(rows).toEqual([
      { title: "a1", name: "ann" },
      { title: "a2", name: "ann" },
    ]);
  });

  it("relationship form, many-to-many: through the association table", async () => {
    const { sql, rows } = await run(select(Post.title, Tag.name).join(Post.tags).orderBy(Post.id, Tag.id));
    expect(sql).toBe(
      'SELECT "posts"."title", "tags"."name" FROM "posts" JOIN "post_tags" ON "post_tags"."post_id" = "posts"."id" ' +
        'JOIN "tags" ON "tags"."id" = "post_tags"."tag_id" ORDER BY "posts"."id", "tags"."id"',
    );
    expect(rows).toEqual([
      { title: "a1", name: "red" },
      { title: "a1", name: "blue" },
      { title: "a2", name: "red" },
      { title: "c1", name: "blue" },
    ]);
  });

  it("entity form: join(User) infers ON from the foreign key", async () => {
    const { sql, rows } = await run(select(Post.title, User.name).join(User).where(User.name.eq("bob")));
    expect(sql).toBe('SELECT "posts"."title", "users"."name" FROM "posts" JOIN "users" ON "posts"."user_id" = "users"."id" WHERE "users"."name" = ?');
    expect(rows).toEqual([{ title: "b1", name: "bob" }]);
  });

  it("entity form, chained: each class joins onto the join so far", async () => {
    const { sql, rows } = await run(
      select(Post.title, Organization.name.label("org")).join(User).join(Organization).orderBy(Post.id),
    );
    expect(sql).toBe(
      'SELECT "posts"."title", "organizations"."name" AS "org" FROM "posts" JOIN "users" ON "posts"."user_id" = "users"."id" ' +
        'JOIN "organizations" ON "users"."organization_id" = "organizations"."id" ORDER BY "posts"."id"',
    );
    expect(rows).toEqual([
      { title: "a1", org: "acme" },
      { title: "a2", org: "acme" },
      { title: "b1", org: "acme" },
      { title: "c1", org: "globex" },
    ]);
  });

  it("explicit ON form: join(Post, on) joins from the other column's table", async () => {
    const { sql, rows } = await run(select(Post.title, User.name).join(Post, Post.userId.eq(User.id)).where(Post.id.lt(3)).orderBy(Post.id));
    expect(sql).toBe(
      'SELECT "posts"."title", "users"."name" FROM "users" JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "posts"."id" < ? ORDER BY "posts"."id"',
    );
    expect(rows).toEqual([
      { title: "a1", name: "ann" },
      { title: "a2", name: "ann" },
    ]);
  });

  it("outerjoin along a relationship keeps parents without children", async () => {
    const { sql, rows } = await run(select(User.name, Post.title).outerjoin(User.posts).orderBy(User.id, Post.id));
    expect(sql).toBe(
      'SELECT "users"."name", "posts"."title" FROM "users" LEFT OUTER JOIN "posts" ON "posts"."user_id" = "users"."id" ORDER BY "users"."id", "posts"."id"',
    );
    expect(rows).toEqual([
      { name: "ann", title: "a1" },
      { name: "ann", title: "a2" },
      { name: "bob", title: "b1" },
      { name: "cid", title: "c1" },
      { name: "dee", title: null },
    ]);
  });

  it("outerjoin by class (ON from the foreign key) keeps a NULL foreign key's row", async () => {
    const { sql, rows } = await run(select(User.name, Organization.name.label("org")).outerjoin(Organization).orderBy(User.id));
    expect(sql).toBe(
      'SELECT "users"."name", "organizations"."name" AS "org" FROM "users" LEFT OUTER JOIN "organizations" ON "users"."organization_id" = "organizations"."id" ORDER BY "users"."id"',
    );
    expect(rows).toEqual([
      { name: "ann", org: "acme" },
      { name: "bob", org: "acme" },
      { name: "cid", org: "globex" },
      { name: "dee", org: null },
    ]);
  });

  it("outerjoin by class with an explicit ON", async () => {
    const { sql, rows } = await run(
      select(Organization.name, User.name.label("member"))
        .outerjoin(User, and(User.organizationId.eq(Organization.id), User.name.ne("bob")))
        .orderBy(Organization.id, User.id),
    );
    expect(sql).toBe(
      'SELECT "organizations"."name", "users"."name" AS "member" FROM "organizations" LEFT OUTER JOIN "users" ' +
        'ON "users"."organization_id" = "organizations"."id" AND "users"."name" <> ? ORDER BY "organizations"."id", "users"."id"',
    );
    expect(rows).toEqual([
      { name: "acme", member: "ann" },
      { name: "globex", member: "cid" },
      { name: "initech", member: null },
    ]);
  });

  it("joinFrom names the left side", async () => {
    const { sql, rows } = await run(select(User.name, Post.title).joinFrom(Post, User).where(Post.title.eq("c1")));
    expect(sql).toBe('SELECT "users"."name", "posts"."title" FROM "posts" JOIN "users" ON "posts"."user_id" = "users"."id" WHERE "posts"."title" = ?');
    expect(rows).toEqual([{ name: "cid", title: "c1" }]);
  });

  it("entity selects take the same forms: by class, by relationship, with ON", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const { value, statements } = await recorder.during(async () => [
      (await session.scalars(select(User).join(Post).where(Post.title.eq("b1")))).all().map((u) => u.name),
      (await session.scalars(select(Post).join(Post.author).where(User.name.eq("cid")))).all().map((p) => p.title),
      (await session.scalars(select(Organization).outerjoin(User, User.organizationId.eq(Organization.id)).where(User.id.isNull()))).all().map((o) => o.name),
    ]);
    recorder.stop();
    expect(value).toEqual([["bob"], ["c1"], ["initech"]]);
    expect(statements.map((s) => shape(s.sql))).toEqual([
      'SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id" FROM "users" JOIN "posts" ON "posts"."user_id" = "users"."id" WHERE "posts"."title" = ?',
      'SELECT "posts"."id", "posts"."title", "posts"."user_id" FROM "posts" JOIN "users" ON "users"."id" = "posts"."user_id" WHERE "users"."name" = ?',
      'SELECT "organizations"."id", "organizations"."name" FROM "organizations" LEFT OUTER JOIN "users" ON "users"."organization_id" = "organizations"."id" WHERE "users"."id" IS NULL',
    ]);
  });

  it("an outer-joined entity is null where the join found no row, as its type (Organization | null) says", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const { value: rows, statements } = await recorder.during(async () =>
      (await session.execute(select(User, Organization).outerjoin(User.organization).where(User.id.in([3, 4])).orderBy(User.id))).all(),
    );
    recorder.stop();
    expect(statements.map((s) => shape(s.sql))).toEqual([
      'SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id", "organizations"."id" AS "id_1", "organizations"."name" AS "name_1" ' +
        'FROM "users" LEFT OUTER JOIN "organizations" ON "organizations"."id" = "users"."organization_id" WHERE "users"."id" IN (?, ?) ORDER BY "users"."id"',
    ]);
    expect(rows.map(([user, org]) => [user.name, org === null ? null : org.name])).toEqual([
      ["cid", "globex"],
      ["dee", null],
    ]);
  });
});
