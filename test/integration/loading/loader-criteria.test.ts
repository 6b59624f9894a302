import { beforeAll, expect, it } from "vitest";
import {
  ArgumentError,
  aliased,
  containsEager,
  defaultload,
  immediateload,
  joinedload,
  lazyload,
  select,
  selectinload,
  subqueryload,
} from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, Post, Tag, User } from "../../fixtures/loading-models/blog.ts";
import { loaded, names, seedBlog, shapes } from "./loading-support.ts";

const USERS = '"users"."id", "users"."name", "users"."email", "users"."organization_id"';
const POSTS = '"posts"."id", "posts"."title", "posts"."user_id"';

/** Titles of a collection, sorted (collections without `orderBy` come in database order). */
function titles(posts: readonly { title: string }[]): string[] {
  return posts.map((p) => p.title).sort();
}

/**
 * `selectinload(User.posts.and(…))` and the other loader options with criteria (SQLAlchemy's
 * `PropComparator.and_()` in a loader option): the criteria narrow what that load selects.
 * The graph: ann's posts a1, a2; bob's b1; cid's c1; dee has none.
 */
describeEachSessionKind("loading: criteria on relationships in loader options", (db) => {
  const ctx = useSessionDatabase(db, "loading_criteria", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("selectinload: the criteria join the IN query's WHERE; collections hold only matching children", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(selectinload(User.posts.and(Post.title.ne("a2")))).orderBy(User.id.asc()))).all(),
    );
    expect(shapes(statements)).toEqual([
      `SELECT ${USERS} FROM "users" ORDER BY "users"."id" ASC`,
      `SELECT "posts"."user_id", ${POSTS.replace(', "posts"."user_id"', "")} FROM "posts" WHERE "posts"."user_id" IN (?, ?, ?, ?) AND "posts"."title" <> ?`,
    ]);
    expect(statements[1]?.params).toEqual([1, 2, 3, 4, "a2"]);
    recorder.clear();
    expect(users.map((u) => titles(u.posts))).toEqual([["a1"], ["b1"], ["c1"], []]);
    expect(recorder.statements).toEqual([]);
  });

  it("joinedload: the criteria join the eager LEFT OUTER JOIN's ON, on its alias", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(joinedload(User.posts.and(Post.title.ne("a2")))).orderBy(User.id.asc()))).unique().all(),
    );
    expect(shapes(statements)).toEqual([
      `SELECT ${USERS}, "posts_1"."id" AS "id_1", "posts_1"."title", "posts_1"."user_id" FROM "users" ` +
        `LEFT OUTER JOIN "posts" AS "posts_1" ON "posts_1"."user_id" = "users"."id" AND "posts_1"."title" <> ? ORDER BY "users"."id" ASC`,
    ]);
    expect(statements[0]?.params).toEqual(["a2"]);
    // A LEFT OUTER JOIN: parents without a matching child stay, with an empty collection.
    expect(users.map((u) => [u.name, titles(u.posts)])).toEqual([["ann", ["a1"]], ["bob", ["b1"]], ["cid", ["c1"]], ["dee", []]]);
  });

  it("joinedload of a many-to-many: the criteria join the target's ON, after the association table's", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: posts, statements } = await recorder.during(async () =>
      (await session.scalars(select(Post).options(joinedload(Post.tags.and(Tag.name.eq("red")))).orderBy(Post.id.asc()))).unique().all(),
    );
    expect(shapes(statements)).toEqual([
      `SELECT ${POSTS}, "tags_1"."id" AS "id_1", "tags_1"."name" FROM "posts" ` +
        `LEFT OUTER JOIN "post_tags" AS "post_tags_1" ON "post_tags_1"."post_id" = "posts"."id" ` +
        `LEFT OUTER JOIN "tags" AS "tags_1" ON "tags_1"."id" = "post_tags_1"."tag_id" AND "tags_1"."name" = ? ORDER BY "posts"."id" ASC`,
    ]);
    expect(statements[0]?.params).toEqual(["red"]);
    expect(posts.map((p) => names(p.tags))).toEqual([["red"], ["red"], [], []]);
  });

  it("selectinload of a many-to-many: the criteria join the IN query over the association table", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: posts, statements } = await recorder.during(async () =>
      (await session.scalars(select(Post).options(selectinload(Post.tags.and(Tag.name.ne("red")))).orderBy(Post.id.asc()))).all(),
    );
    expect(statements).toHaveLength(2);
    expect(shapes(statements)[1]).toMatch(/ FROM "tags" JOIN "post_tags" ON .* WHERE "post_tags"\."post_id" IN \(\?, \?, \?, \?\) AND "tags"\."name" <> \?$/);
    expect(statements[1]?.params).toEqual([1, 2, 3, 4, "red"]);
    expect(posts.map((p) => names(p.tags))).toEqual([["blue"], [], [], ["blue"]]);
  });

  it("subqueryload: the criteria narrow the child statement joined to the re-run parent query", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).where(User.id.le(2)).options(subqueryload(User.posts.and(Post.title.ne("a2")))).orderBy(User.id.asc()))).all(),
    );
    expect(shapes(statements)).toEqual([
      `SELECT ${USERS} FROM "users" WHERE "users"."id" <= ? ORDER BY "users"."id" ASC`,
      `SELECT "anon_1"."users_id", ${POSTS} FROM (SELECT DISTINCT "users"."id" AS "users_id" FROM "users" WHERE "users"."id" <= ?) AS "anon_1" ` +
        `JOIN "posts" ON "posts"."user_id" = "anon_1"."users_id" WHERE "posts"."title" <> ? ORDER BY "anon_1"."users_id" ASC`,
    ]);
    expect(statements[1]?.params).toEqual([2, "a2"]);
    expect(users.map((u) => titles(u.posts))).toEqual([["a1"], ["b1"]]);
  });

  it("immediateload: each parent's statement carries the criteria", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).where(User.id.le(2)).options(immediateload(User.posts.and(Post.title.ne("a2")))).orderBy(User.id.asc()))).all(),
    );
    const perParent = `SELECT ${POSTS} FROM "posts" WHERE "posts"."user_id" = ? AND "posts"."title" <> ?`;
    expect(shapes(statements)).toEqual([`SELECT ${USERS} FROM "users" WHERE "users"."id" <= ? ORDER BY "users"."id" ASC`, perParent, perParent]);
    expect(statements.slice(1).map((s) => s.params)).toEqual([[1, "a2"], [2, "a2"]]);
    expect(users.map((u) => titles(u.posts))).toEqual([["a1"], ["b1"]]);
  });

  it("lazyload: the instances keep the criteria; their lazy load (and its reload after expiry) carries them", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).where(User.id.eq(1)).options(lazyload(User.posts.and(Post.title.ne("a2")))))).one();
    const lazy = `SELECT ${POSTS} FROM "posts" WHERE "posts"."user_id" = ? AND "posts"."title" <> ?`;
    const { value: posts, statements } = await recorder.during(() => ann.awaitableAttrs.posts);
    expect(shapes(statements)).toEqual([lazy]);
    expect(statements[0]?.params).toEqual([1, "a2"]);
    expect(titles(posts)).toEqual(["a1"]);
    // SQLAlchemy: the options are "sticky" to the instance, so the reload of the expired collection applies them again.
    session.expire(ann, ["posts"]);
    recorder.clear();
    const { value: again, statements: reload } = await recorder.during(() => ann.awaitableAttrs.posts);
    expect(shapes(reload)).toEqual([lazy]);
    expect(titles(again)).toEqual(["a1"]);
    // refresh(obj, [relationship]) is the same lazy load.
    recorder.clear();
    const { statements: refreshed } = await recorder.during(() => session.refresh(ann, ["posts"]));
    expect(shapes(refreshed)).toEqual([lazy]);
    expect(titles(loaded(ann.posts))).toEqual(["a1"]);
  });

  it("lazyload of a many-to-one with criteria selects even when the target is in the identity map (SQLAlchemy turns use_get off)", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    await session.get(User, 2);
    const post = (await session.scalars(select(Post).where(Post.id.eq(3)).options(lazyload(Post.author.and(User.name.ne("bob")))))).one();
    const { value: author, statements } = await recorder.during(() => post.awaitableAttrs.author);
    expect(shapes(statements)).toEqual([`SELECT ${USERS} FROM "users" WHERE "users"."id" = ? AND "users"."name" <> ?`]);
    expect(statements[0]?.params).toEqual([2, "bob"]);
    expect(author).toBeNull();
  });

  it("selectinload of a many-to-one: a target not matching reads as null", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: posts, statements } = await recorder.during(async () =>
      (await session.scalars(select(Post).options(selectinload(Post.author.and(User.name.ne("bob")))).orderBy(Post.id.asc()))).all(),
    );
    expect(shapes(statements)[1]).toBe(`SELECT ${USERS} FROM "users" WHERE "users"."id" IN (?, ?, ?) AND "users"."name" <> ?`);
    expect(statements[1]?.params).toEqual([1, 2, 3, "bob"]);
    expect(posts.map((p) => p.author?.name ?? null)).toEqual(["ann", "ann", null, "cid"]);
  });

  it("a chained path: selectinload(Organization.users).selectinload(User.posts.and(…)) narrows only the second load", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: organizations, statements } = await recorder.during(async () =>
      (
        await session.scalars(
          select(Organization)
            .options(selectinload(Organization.users).selectinload(User.posts.and(Post.title.ne("a1"))))
            .orderBy(Organization.id.asc()),
        )
      ).all(),
    );
    expect(statements).toHaveLength(3);
    expect(shapes(statements)[1]).toMatch(/ FROM "users" WHERE "users"\."organization_id" IN \(\?, \?, \?\)$/);
    expect(shapes(statements)[2]).toMatch(/ FROM "posts" WHERE "posts"\."user_id" IN \(\?, \?, \?\) AND "posts"\."title" <> \?$/);
    expect(statements[2]?.params).toEqual([1, 2, 3, "a1"]);
    expect(organizations.map((o) => [...o.users].sort((a, b) => a.id - b.id).map((u) => [u.name, titles(loaded(u.posts))]))).toEqual([
      [["ann", ["a2"]], ["bob", ["b1"]]],
      [["cid", ["c1"]]],
      [],
    ]);
  });

  it("criteria at both steps of a chain: the first narrows the IN query, the second the eager join below it", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: organization, statements } = await recorder.during(async () =>
      (
        await session.scalars(
          select(Organization)
            .where(Organization.id.eq(1))
            .options(selectinload(Organization.users.and(User.name.ne("bob"))).joinedload(User.posts.and(Post.title.eq("a2")))),
        )
      ).one(),
    );
    expect(statements).toHaveLength(2);
    expect(shapes(statements)[1]).toMatch(
      /FROM "users" LEFT OUTER JOIN "posts" AS "posts_1" ON "posts_1"\."user_id" = "users"\."id" AND "posts_1"\."title" = \? WHERE "users"\."organization_id" IN \(\?\) AND "users"\."name" <> \?$/,
    );
    expect(statements[1]?.params).toEqual(["a2", 1, "bob"]);
    expect(organization.users.map((u) => [u.name, titles(loaded(u.posts))])).toEqual([["ann", ["a2"]]]);
  });

  it("defaultload(…and()) keeps the configured strategy and narrows it", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).where(User.id.eq(1)).options(defaultload(User.posts.and(Post.title.eq("a2")))))).one();
    const { value: posts, statements } = await recorder.during(() => ann.awaitableAttrs.posts);
    expect(shapes(statements)).toEqual([`SELECT ${POSTS} FROM "posts" WHERE "posts"."user_id" = ? AND "posts"."title" = ?`]);
    expect(titles(posts)).toEqual(["a2"]);
  });

  it("a collection already loaded is not reloaded by a query with criteria, unless populateExisting (as SQLAlchemy documents)", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).where(User.id.eq(1)).options(selectinload(User.posts)))).one();
    expect(titles(ann.posts)).toEqual(["a1", "a2"]);
    const narrowed = select(User).where(User.id.eq(1)).options(selectinload(User.posts.and(Post.title.ne("a2"))));
    const { statements: kept } = await recorder.during(async () => (await session.scalars(narrowed)).one());
    // The parent row is read again; its loaded collection is left as it is, so no IN query runs.
    expect(kept).toHaveLength(1);
    expect(titles(ann.posts)).toEqual(["a1", "a2"]);
    recorder.clear();
    const { statements: repopulated } = await recorder.during(async () => (await session.scalars(narrowed.executionOptions({ populateExisting: true }))).one());
    expect(repopulated).toHaveLength(2);
    expect(shapes(repopulated)[1]).toMatch(/WHERE "posts"\."user_id" IN \(\?\) AND "posts"\."title" <> \?$/);
    expect(titles(ann.posts)).toEqual(["a1"]);
  });

  it("populateExisting hands an instance the new lazyload criteria; without it the instance keeps its own", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).where(User.id.eq(1)).options(lazyload(User.posts.and(Post.title.eq("a1")))))).one();
    await session.scalars(select(User).where(User.id.eq(1)).options(lazyload(User.posts.and(Post.title.eq("a2")))));
    const { value: first, statements } = await recorder.during(() => ann.awaitableAttrs.posts);
    expect(statements[0]?.params).toEqual([1, "a1"]);
    expect(titles(first)).toEqual(["a1"]);
    await session.scalars(select(User).where(User.id.eq(1)).options(lazyload(User.posts.and(Post.title.eq("a2")))).executionOptions({ populateExisting: true }));
    recorder.clear();
    const { value: second, statements: after } = await recorder.during(() => ann.awaitableAttrs.posts);
    expect(after[0]?.params).toEqual([1, "a2"]);
    expect(titles(second)).toEqual(["a2"]);
  });

  it("refuses containsEager with criteria (they belong on the statement's join) and relationships narrowed by ofType()", () => {
    expect(() => containsEager(User.posts.and(Post.title.ne("a2")))).toThrow(ArgumentError);
    expect(() => containsEager(User.posts.and(Post.title.ne("a2")))).toThrow(/join\(User\.posts\.and\(…\)\)/);
    const P = aliased(Post, { name: "p" });
    expect(() => selectinload(User.posts.ofType(P))).toThrow(/ofType\(\)/);
  });

  it("explains the option with its criteria", () => {
    expect(String(selectinload(User.posts.and(Post.title.ne("a2"))))).toBe("selectinload(User.posts.and(…))");
  });
});
