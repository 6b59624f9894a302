import { beforeAll, expect, it } from "vitest";
import { immediateload, joinedload, select, selectinload, subqueryload } from "../../../src/index.ts";
import { describeEachSessionKind, expectUnloaded, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Post, Tag } from "../../fixtures/loading-models/blog.ts";
import { names, seedBlog, shapes } from "./loading-support.ts";

const TAGS_OF_POSTS = [["blue", "red"], ["red"], [], ["blue"]];

/** posts ↔ tags through `post_tags`, with every strategy that loads a collection. */
describeEachSessionKind("loading: many-to-many (secondary)", (db) => {
  const ctx = useSessionDatabase(db, "loading_many_to_many", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("selectin: one statement joining the association table, keyed by its column", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: posts, statements } = await recorder.during(async () =>
      (await session.scalars(select(Post).options(selectinload(Post.tags)).orderBy(Post.id.asc()))).all(),
    );
    expect(shapes(statements)[1]).toBe(
      'SELECT "post_tags"."post_id", "tags"."id", "tags"."name" FROM "tags" JOIN "post_tags" ON "tags"."id" = "post_tags"."tag_id" WHERE "post_tags"."post_id" IN (?, ?, ?, ?)',
    );
    expect(statements).toHaveLength(2);
    expect(statements[1]?.params).toEqual([1, 2, 3, 4]);
    recorder.clear();
    expect(posts.map((p) => names(p.tags))).toEqual(TAGS_OF_POSTS);
    // One object per tag, shared by the posts that have it.
    expect(posts[0]?.tags.find((t) => t.name === "red")).toBe(posts[1]?.tags[0]);
    expect(recorder.statements).toEqual([]);
  });

  it("joined: two LEFT OUTER JOINs (association table, then target), unique() required", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: posts, statements } = await recorder.during(async () =>
      (await session.execute(select(Post).options(joinedload(Post.tags)).orderBy(Post.id.asc()))).unique().scalars().all(),
    );
    expect(shapes(statements)).toEqual([
      'SELECT "posts"."id", "posts"."title", "posts"."user_id", "tags_1"."id" AS "id_1", "tags_1"."name" FROM "posts" ' +
        'LEFT OUTER JOIN "post_tags" AS "post_tags_1" ON "post_tags_1"."post_id" = "posts"."id" ' +
        'LEFT OUTER JOIN "tags" AS "tags_1" ON "tags_1"."id" = "post_tags_1"."tag_id" ORDER BY "posts"."id" ASC',
    ]);
    expect(posts.map((p) => names(p.tags))).toEqual(TAGS_OF_POSTS);
    await expect(async () => (await session.scalars(select(Post).options(joinedload(Post.tags)))).all()).rejects.toThrow(/unique\(\) method must be invoked/);
  });

  it("subquery: the parent query as a subquery, joined through the association table", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: posts, statements } = await recorder.during(async () =>
      (await session.scalars(select(Post).options(subqueryload(Post.tags)).orderBy(Post.id.asc()))).all(),
    );
    expect(statements).toHaveLength(2);
    expect(shapes(statements)[1]).toBe(
      'SELECT "anon_1"."posts_id", "tags"."id", "tags"."name" FROM (SELECT DISTINCT "posts"."id" AS "posts_id" FROM "posts") AS "anon_1" ' +
        'JOIN "post_tags" ON "post_tags"."post_id" = "anon_1"."posts_id" JOIN "tags" ON "tags"."id" = "post_tags"."tag_id" ORDER BY "anon_1"."posts_id" ASC',
    );
    expect(posts.map((p) => names(p.tags))).toEqual(TAGS_OF_POSTS);
  });

  it("immediate: one statement per parent through the association table (from the other side: tags → posts)", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: tags, statements } = await recorder.during(async () =>
      (await session.scalars(select(Tag).options(immediateload(Tag.posts)).orderBy(Tag.id.asc()))).all(),
    );
    expect(statements).toHaveLength(4);
    for (const statement of shapes(statements).slice(1)) {
      expect(statement).toBe(
        'SELECT "posts"."id", "posts"."title", "posts"."user_id" FROM "posts" JOIN "post_tags" ON "posts"."id" = "post_tags"."post_id" WHERE "post_tags"."tag_id" = ?',
      );
    }
    expect(statements.slice(1).map((s) => s.params)).toEqual([[1], [2], [3]]);
    expect(tags.map((t) => t.posts.map((p) => p.title).sort())).toEqual([["a1", "a2"], ["a1", "c1"], []]);
  });

  it("lazy: the collection is unloaded (MissingGreenlet); awaitableAttrs loads it with one statement", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const post = (await session.get(Post, 1)) as Post;
    expectUnloaded(db, post, "tags");
    const { value: tags, statements } = await recorder.during(() => post.awaitableAttrs.tags);
    expect(shapes(statements)).toEqual([
      'SELECT "tags"."id", "tags"."name" FROM "tags" JOIN "post_tags" ON "tags"."id" = "post_tags"."tag_id" WHERE "post_tags"."post_id" = ?',
    ]);
    expect(names(tags)).toEqual(["blue", "red"]);
  });
});
