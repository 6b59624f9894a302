/**
 * Issue 12: criteria added to a relationship's join condition (`User.posts.and(...)`, SQLAlchemy's
 * `and_()`) on every database: the ON clause each join renders and the rows it keeps.
 */
import { beforeAll, expect, it } from "vitest";
import { ArgumentError, AsyncSession, type Select, containsEager, select, selectinload } from "../../../../src/index.ts";
import { describeEachDatabase } from "../../../support/databases.ts";
import { useIsolatedDatabase } from "../../../support/isolated-database.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { LoadingBase, Post, Tag, User } from "../../../fixtures/loading-models/blog.ts";
import { seedBlog, shape } from "../../loading/loading-support.ts";

describeEachDatabase("relationship join criteria", (db) => {
  const ctx = useIsolatedDatabase(db, "orm_join_criteria", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  async function run<R>(statement: Select<R>): Promise<{ sql: string; params: readonly unknown[]; rows: R[] }> {
    const recorder = new StatementRecorder(ctx.engine);
    try {
      const { value: rows, statements } = await recorder.during(async () => (await ctx.engine.execute(statement)).all());
      expect(statements).toHaveLength(1);
      return { sql: shape(statements[0]?.sql ?? ""), params: statements[0]?.params ?? [], rows: rows as R[] };
    } finally {
      recorder.stop();
    }
  }

  it("join(User.posts.and(criterion)): the criterion joins the ON clause", async () => {
    const { sql, params, rows } = await run(select(User.name, Post.title).join(User.posts.and(Post.title.like("a%"))).orderBy(Post.id));
    expect(sql).toBe(
      'SELECT "users"."name", "posts"."title" FROM "users" JOIN "posts" ON "posts"."user_id" = "users"."id" AND "posts"."title" LIKE ? ORDER BY "posts"."id"',
    );
    expect(params).toEqual(["a%"]);
    expect(rows).toEqual([
      { name: "ann", title: "a1" },
      { name: "ann", title: "a2" },
    ]);
  });

  it("outerjoin with criteria keeps every parent; only matching children join (unlike a WHERE)", async () => {
    const { sql, rows } = await run(
      select(User.name, Post.title).outerjoin(User.posts.and(Post.title.ne("a2"), Post.title.ne("b1"))).orderBy(User.id, Post.id),
    );
    expect(sql).toBe(
      'SELECT "users"."name", "posts"."title" FROM "users" LEFT OUTER JOIN "posts" ON "posts"."user_id" = "users"."id" AND "posts"."title" <> ? AND "posts"."title" <> ? ORDER BY "users"."id", "posts"."id"',
    );
    expect(rows).toEqual([
      { name: "ann", title: "a1" },
      { name: "bob", title: null },
      { name: "cid", title: "c1" },
      { name: "dee", title: null },
    ]);
  });

  it("a many-to-many's criteria go into the target's ON clause", async () => {
    const { sql, rows } = await run(select(Post.title, Tag.name).join(Post.tags.and(Tag.name.eq("blue"))).orderBy(Post.id));
    expect(sql).toBe(
      'SELECT "posts"."title", "tags"."name" FROM "posts" JOIN "post_tags" ON "post_tags"."post_id" = "posts"."id" ' +
        'JOIN "tags" ON "tags"."id" = "post_tags"."tag_id" AND "tags"."name" = ? ORDER BY "posts"."id"',
    );
    expect(rows).toEqual([
      { title: "a1", name: "blue" },
      { title: "c1", name: "blue" },
    ]);
  });

  it("an entity select joins with criteria the same way, and and() chains", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const { value, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).join(User.posts.and(Post.title.ne("a1")).and(Post.title.ne("a2"))).orderBy(User.id))).all(),
    );
    recorder.stop();
    expect(statements.map((s) => shape(s.sql))).toEqual([
      'SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id" FROM "users" JOIN "posts" ' +
        'ON "posts"."user_id" = "users"."id" AND "posts"."title" <> ? AND "posts"."title" <> ? ORDER BY "users"."id"',
    ]);
    expect(value.map((u) => u.name)).toEqual(["bob", "cid"]);
  });

  it("a loader option takes a relationship with criteria (test/integration/loading/loader-criteria.test.ts); containsEager wants them on the join", () => {
    expect(selectinload(User.posts.and(Post.title.eq("a1"))).steps[0]?.criteria).toHaveLength(1);
    expect(() => containsEager(User.posts.and(Post.title.eq("a1")))).toThrow(ArgumentError);
  });
});
