import { beforeAll, expect, it } from "vitest";
import {
  ArgumentError,
  type LoaderOption,
  aliased,
  immediateload,
  joinedload,
  select,
  selectinload,
  subqueryload,
  withLoaderCriteria,
} from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, Post, Tag, User } from "../../fixtures/loading-models/blog.ts";
import { loaded, names, seedBlog, shapes } from "./loading-support.ts";

const USERS = '"users"."id", "users"."name", "users"."email", "users"."organization_id"';
const POSTS = '"posts"."id", "posts"."title", "posts"."user_id"';

function titles(posts: readonly { title: string }[]): string[] {
  return posts.map((p) => p.title).sort();
}

/**
 * `withLoaderCriteria(Entity, criteria)` (SQLAlchemy's `with_loader_criteria`): the criteria hold
 * at every appearance of the entity in the statement and in the loads it leads to. "Soft-deleted"
 * here: the post titled a2 (`Post.title.ne("a2")` stands for `Post.deleted.isFalse()`).
 * The graph: ann's posts a1, a2; bob's b1; cid's c1; dee has none.
 */
describeEachSessionKind("loading: withLoaderCriteria", (db) => {
  const ctx = useSessionDatabase(db, "loading_with_criteria", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));
  const live = () => withLoaderCriteria(Post, Post.title.ne("a2"));

  it("the entity selected: its criteria join the WHERE clause (after the statement's own)", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: posts, statements } = await recorder.during(async () =>
      (await session.scalars(select(Post).where(Post.userId.eq(1)).options(live()).orderBy(Post.id.asc()))).all(),
    );
    expect(shapes(statements)).toEqual([`SELECT ${POSTS} FROM "posts" WHERE "posts"."user_id" = ? AND "posts"."title" <> ? ORDER BY "posts"."id" ASC`]);
    expect(statements[0]?.params).toEqual([1, "a2"]);
    expect(posts.map((p) => p.title)).toEqual(["a1"]);
  });

  it("the function form builds the criteria from the class", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const option = withLoaderCriteria(Post, (cls) => cls.title.ne("a2"));
    const { value: posts, statements } = await recorder.during(async () => (await session.scalars(select(Post).options(option).orderBy(Post.id.asc()))).all());
    expect(shapes(statements)).toEqual([`SELECT ${POSTS} FROM "posts" WHERE "posts"."title" <> ? ORDER BY "posts"."id" ASC`]);
    expect(posts.map((p) => p.title)).toEqual(["a1", "b1", "c1"]);
  });

  it("an entity joined to: its criteria join that join's ON, by relationship or by hand; the FROM entity's go to WHERE", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const notDee = withLoaderCriteria(User, (cls) => cls.name.ne("dee"));
    const { value: users, statements } = await recorder.during(async () => {
      const byRelationship = (await session.scalars(select(User).join(User.posts).options(live(), notDee).orderBy(User.id.asc()))).unique().all();
      const byHand = (await session.scalars(select(User).join(Post, Post.userId.eq(User.id)).options(live()).orderBy(User.id.asc()))).unique().all();
      return [byRelationship, byHand];
    });
    expect(shapes(statements)).toEqual([
      `SELECT ${USERS} FROM "users" JOIN "posts" ON "posts"."user_id" = "users"."id" AND "posts"."title" <> ? WHERE "users"."name" <> ? ORDER BY "users"."id" ASC`,
      `SELECT ${USERS} FROM "users" JOIN "posts" ON "posts"."user_id" = "users"."id" AND "posts"."title" <> ? ORDER BY "users"."id" ASC`,
    ]);
    expect(statements[0]?.params).toEqual(["a2", "dee"]);
    expect(users.map((list) => list.map((u) => u.name))).toEqual([["ann", "bob", "cid"], ["ann", "bob", "cid"]]);
  });

  it("a many-to-many join: the criteria join the target's ON, with the relationship's own and() criteria", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: posts, statements } = await recorder.during(async () =>
      (
        await session.scalars(
          select(Post)
            .join(Post.tags.and(Tag.id.le(2)))
            .options(withLoaderCriteria(Tag, Tag.name.eq("blue")))
            .orderBy(Post.id.asc()),
        )
      ).all(),
    );
    expect(shapes(statements)[0]).toBe(
      `SELECT ${POSTS} FROM "posts" JOIN "post_tags" ON "post_tags"."post_id" = "posts"."id" ` +
        `JOIN "tags" ON "tags"."id" = "post_tags"."tag_id" AND "tags"."id" <= ? AND "tags"."name" = ? ORDER BY "posts"."id" ASC`,
    );
    expect(posts.map((p) => p.id)).toEqual([1, 4]);
  });

  it("a joined eager load: the criteria join the eager join's ON, on its alias", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(joinedload(User.posts), live()).orderBy(User.id.asc()))).unique().all(),
    );
    expect(shapes(statements)).toEqual([
      `SELECT ${USERS}, "posts_1"."id" AS "id_1", "posts_1"."title", "posts_1"."user_id" FROM "users" ` +
        `LEFT OUTER JOIN "posts" AS "posts_1" ON "posts_1"."user_id" = "users"."id" AND "posts_1"."title" <> ? ORDER BY "users"."id" ASC`,
    ]);
    expect(users.map((u) => titles(u.posts))).toEqual([["a1"], ["b1"], ["c1"], []]);
  });

  it("selectin, subquery and immediate loads: each child statement's WHERE carries the criteria", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const base = select(User).where(User.id.le(2)).orderBy(User.id.asc());
    const run = async (option: LoaderOption<User>) => {
      session.expungeAll();
      recorder.clear();
      const { value, statements } = await recorder.during(async () => (await session.scalars(base.options(option, live()))).all());
      return { posts: value.map((u) => titles(loaded(u.posts))), sql: shapes(statements).slice(1), params: statements.slice(1).map((s) => s.params) };
    };
    const selectin = await run(selectinload(User.posts));
    expect(selectin.sql).toEqual([`SELECT "posts"."user_id", "posts"."id", "posts"."title" FROM "posts" WHERE "posts"."user_id" IN (?, ?) AND "posts"."title" <> ?`]);
    expect(selectin.params).toEqual([[1, 2, "a2"]]);
    expect(selectin.posts).toEqual([["a1"], ["b1"]]);
    const subquery = await run(subqueryload(User.posts));
    expect(subquery.sql).toEqual([
      `SELECT "anon_1"."users_id", ${POSTS} FROM (SELECT DISTINCT "users"."id" AS "users_id" FROM "users" WHERE "users"."id" <= ?) AS "anon_1" ` +
        `JOIN "posts" ON "posts"."user_id" = "anon_1"."users_id" WHERE "posts"."title" <> ? ORDER BY "anon_1"."users_id" ASC`,
    ]);
    expect(subquery.posts).toEqual([["a1"], ["b1"]]);
    const immediate = await run(immediateload(User.posts));
    expect(immediate.sql).toEqual([
      `SELECT ${POSTS} FROM "posts" WHERE "posts"."user_id" = ? AND "posts"."title" <> ?`,
      `SELECT ${POSTS} FROM "posts" WHERE "posts"."user_id" = ? AND "posts"."title" <> ?`,
    ]);
    expect(immediate.posts).toEqual([["a1"], ["b1"]]);
  });

  it("a chain of loads: the criteria reach every level (organizations → users (selectin) → posts (joined))", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: acme, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).where(Organization.id.eq(1)).options(selectinload(Organization.users).joinedload(User.posts), live()))).one(),
    );
    expect(statements).toHaveLength(2);
    expect(shapes(statements)[1]).toMatch(/LEFT OUTER JOIN "posts" AS "posts_1" ON "posts_1"\."user_id" = "users"\."id" AND "posts_1"\."title" <> \? WHERE "users"\."organization_id" IN \(\?\)$/);
    expect([...acme.users].sort((a, b) => a.id - b.id).map((u) => titles(loaded(u.posts)))).toEqual([["a1"], ["b1"]]);
  });

  it("lazy loads: the instances keep the option, so their loads later apply it", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).where(User.id.eq(1)).options(live()))).one();
    const { value: posts, statements } = await recorder.during(() => ann.awaitableAttrs.posts);
    expect(shapes(statements)).toEqual([`SELECT ${POSTS} FROM "posts" WHERE "posts"."user_id" = ? AND "posts"."title" <> ?`]);
    expect(statements[0]?.params).toEqual([1, "a2"]);
    expect(titles(posts)).toEqual(["a1"]);
  });

  it("propagateToLoaders: false: not the joined eager load, nor the instances' lazy loads; selectin still (as SQLAlchemy)", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const local = withLoaderCriteria(Post, Post.title.ne("a2"), { propagateToLoaders: false });
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).join(User.posts).where(User.id.eq(1)).options(joinedload(User.posts), local))).unique().all(),
    );
    // The statement's own join is narrowed; its eager join is not.
    expect(shapes(statements)[0]).toBe(
      `SELECT ${USERS}, "posts_1"."id" AS "id_1", "posts_1"."title", "posts_1"."user_id" FROM "users" ` +
        `JOIN "posts" ON "posts"."user_id" = "users"."id" AND "posts"."title" <> ? ` +
        `LEFT OUTER JOIN "posts" AS "posts_1" ON "posts_1"."user_id" = "users"."id" WHERE "users"."id" = ?`,
    );
    expect(users.map((u) => titles(u.posts))).toEqual([["a1", "a2"]]);
    session.expungeAll();
    const ann = (await session.scalars(select(User).where(User.id.eq(1)).options(local))).one();
    recorder.clear();
    const { statements: lazy } = await recorder.during(() => ann.awaitableAttrs.posts);
    expect(shapes(lazy)).toEqual([`SELECT ${POSTS} FROM "posts" WHERE "posts"."user_id" = ?`]);
    // A selectin load runs with every option of the statement (SQLAlchemy copies them all to it).
    session.expungeAll();
    recorder.clear();
    const { statements: selectin } = await recorder.during(async () => (await session.scalars(select(User).where(User.id.eq(1)).options(selectinload(User.posts), local))).one());
    expect(shapes(selectin)[1]).toMatch(/WHERE "posts"\."user_id" IN \(\?\) AND "posts"\."title" <> \?$/);
  });

  it("aliases: not covered unless includeAliases", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const Other = aliased(Post, { name: "other" });
    const statement = select(Post, Other).join(Other, Other.userId.eq(Post.userId)).where(Post.id.lt(Other.id));
    const { value: rows, statements } = await recorder.during(async () => {
      const plain = (await session.execute(statement.options(withLoaderCriteria(Post, (cls) => cls.title.ne("a2"))))).all();
      const withAliases = (await session.execute(statement.options(withLoaderCriteria(Post, (cls) => cls.title.ne("a2"), { includeAliases: true })))).all();
      return [plain, withAliases];
    });
    expect(shapes(statements)[0]).toMatch(/ FROM "posts" JOIN "posts" AS "other" ON "other"\."user_id" = "posts"\."user_id" WHERE "posts"\."id" < "other"\."id" AND "posts"\."title" <> \?$/);
    expect(shapes(statements)[1]).toMatch(
      / FROM "posts" JOIN "posts" AS "other" ON "other"\."user_id" = "posts"\."user_id" AND "other"\."title" <> \? WHERE "posts"\."id" < "other"\."id" AND "posts"\."title" <> \?$/,
    );
    expect(rows.map((list) => list.map(([a, b]) => [a.title, b.title]))).toEqual([[["a1", "a2"]], []]);
  });

  it("an aliased entity selected is covered with includeAliases: its criteria move onto the alias", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const P = aliased(Post, { name: "p" });
    const { value: posts, statements } = await recorder.during(async () =>
      (await session.scalars(select(P).options(withLoaderCriteria(Post, (cls) => cls.title.ne("a2"), { includeAliases: true })).orderBy(P.id.asc()))).all(),
    );
    expect(shapes(statements)[0]).toBe(`SELECT "p"."id", "p"."title", "p"."user_id" FROM "posts" AS "p" WHERE "p"."title" <> ? ORDER BY "p"."id" ASC`);
    expect(posts.map((p) => p.title)).toEqual(["a1", "b1", "c1"]);
  });

  it("not when an object is refreshed (SQLAlchemy: never for refresh or unexpire)", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const bob = (await session.scalars(select(User).where(User.id.eq(2)).options(withLoaderCriteria(User, User.name.ne("x"))))).one();
    const { statements } = await recorder.during(() => session.refresh(bob));
    expect(shapes(statements)).toEqual([`SELECT ${USERS} FROM "users" WHERE "users"."id" = ?`]);
    expect(bob.name).toBe("bob");
  });

  it("takes a mapped class, and criteria that are SQL expressions", () => {
    class Plain {}
    expect(() => withLoaderCriteria(Plain, Post.title.ne("a2"))).toThrow(ArgumentError);
    expect(() => withLoaderCriteria(Post, "title <> 'a2'" as never)).toThrow(/text\(\)/);
  });

  it("many-to-many selectin with the target's criteria", async () => {
    await using session = ctx.openSession();
    const posts = (await session.scalars(select(Post).options(selectinload(Post.tags), withLoaderCriteria(Tag, Tag.name.ne("red"))).orderBy(Post.id.asc()))).all();
    expect(posts.map((p) => names(p.tags))).toEqual([["blue"], [], [], ["blue"]]);
  });
});
