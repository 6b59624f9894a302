import { beforeAll, expect, it } from "vitest";
import {
  ArgumentError,
  InvalidRequestError,
  Load,
  MissingGreenlet,
  defer,
  loadOnly,
  raiseload,
  select,
  undefer,
} from "../../../src/index.ts";
import { describeEachSessionKind, errorOf, expectUnloaded, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, Post, User } from "../../fixtures/loading-models/blog.ts";
import { names, seedBlog, shapes, thrown } from "./loading-support.ts";

const USER_COLUMNS = '"users"."id", "users"."name", "users"."email", "users"."organization_id"';
const POST_COLUMNS = '"posts"."id", "posts"."title", "posts"."user_id"';

/** `Load(Entity)` options bound to one entity, and column raiseload: `defer(col, { raiseload: true })`, `loadOnly(…, { raiseload: true })`. */
describeEachSessionKind("loading: Load(Entity) and column raiseload", (db) => {
  const ctx = useSessionDatabase(db, "loading_load_entity", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("Load(User).selectinload(User.posts): the same two statements as selectinload(User.posts), typed as loaded", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(Load(User).selectinload(User.posts)).where(User.id.in([1, 2])).orderBy(User.id))).all(),
    );
    expect(shapes(statements)).toEqual([
      `SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."id" IN (?, ?) ORDER BY "users"."id"`,
      'SELECT "posts"."user_id", "posts"."id", "posts"."title" FROM "posts" WHERE "posts"."user_id" IN (?, ?)',
    ]);
    recorder.clear();
    // Typed as loaded: without the option this assignment does not compile (NotLoaded<Post[]>).
    const posts: Post[][] = users.map((u) => u.posts);
    const lazy = select(User).options(Load(User).lazyload(User.posts));
    const typeOnly = async (): Promise<Post[][]> => {
      const unloaded = (await session.scalars(lazy)).all();
      // @ts-expect-error Load(User).lazyload() does not load: posts may be NotLoaded
      return unloaded.map((u) => u.posts);
    };
    expect(typeof typeOnly).toBe("function");
    expect(posts.map((p) => p.map((post) => post.title).sort())).toEqual([["a1", "a2"], ["b1"]]);
    expect(recorder.statements).toEqual([]);
  });

  it('Load(User).raiseload("*") binds the wildcard to User: the other entity of the statement keeps its strategies', async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: rows, statements } = await recorder.during(async () =>
      (await session.execute(select(Post, User).join(Post.author).options(Load(User).raiseload("*")).where(Post.id.eq(1)))).all(),
    );
    expect(shapes(statements)).toEqual([
      `SELECT ${POST_COLUMNS}, "users"."id" AS "id_1", "users"."name", "users"."email", "users"."organization_id" FROM "posts" JOIN "users" ON "users"."id" = "posts"."user_id" WHERE "posts"."id" = ?`,
    ]);
    recorder.clear();
    const [post, user] = rows[0]!;
    expect(thrown(() => user.organization).message).toBe("'User.organization' is not available due to lazy='raise'");
    expect(thrown(() => user.posts).message).toBe("'User.posts' is not available due to lazy='raise'");
    // Post's relationships are not User's: the many-to-one reads from the identity map, the collection needs a load.
    expect(post.author).toBe(user);
    expectUnloaded(db, post, "tags");
    expect(recorder.statements).toEqual([]);
  });

  it('unbound raiseload("*") applies to the first entity, so Load() is how to reach another', async () => {
    await using session = ctx.openSession();
    const rows = (await session.execute(select(Post, User).join(Post.author).options(raiseload("*")).where(Post.id.eq(1)))).all();
    const [post, user] = rows[0]!;
    expect(thrown(() => post.tags).message).toBe("'Post.tags' is not available due to lazy='raise'");
    expectUnloaded(db, user, "posts", { readLoads: true });
  });

  it("Load(User) on a statement without User is refused, naming both", async () => {
    await using session = ctx.openSession();
    // @ts-expect-error the option is rooted at User, which the statement does not select (caught at compile time too)
    const error = (await errorOf(() => session.scalars(select(Organization).options(Load(User).raiseload("*"))))) as Error | undefined;
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error?.message).toContain('Load(User).raiseload("*")');
    expect(error?.message).toContain("Organization");
    expect(() => Load(User).selectinload(Organization.users as never)).not.toThrow();
    await expect(async () => session.scalars(select(User).options(Load(User).selectinload(Organization.users as never)))).rejects.toThrow(
      /does not belong to User/,
    );
  });

  it("defer(col, { raiseload: true }): the column is left out; reading it or awaiting it raises, with no SQL; refresh loads it", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: ann, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(defer(User.email, { raiseload: true })).where(User.id.eq(1)))).one(),
    );
    expect(shapes(statements)).toEqual(['SELECT "users"."id", "users"."name", "users"."organization_id" FROM "users" WHERE "users"."id" = ?']);
    recorder.clear();
    const error = thrown(() => ann.email);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).not.toBeInstanceOf(MissingGreenlet);
    expect(error.message).toBe("'User.email' is not available due to raiseload=True");
    await expect(ann.awaitableAttrs.email).rejects.toThrow("'User.email' is not available due to raiseload=True");
    expect(ann.name).toBe("ann");
    expect(recorder.statements).toEqual([]);
    await session.refresh(ann, ["email"]);
    expect(recorder.statements).toHaveLength(1);
    expect(ann.email).toBe("ann@acme");
  });

  it("plain defer still raises MissingGreenlet, and a later undefer in the same options wins over raiseload", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).options(defer(User.email)).where(User.id.eq(1)))).one();
    expectUnloaded(db, ann, "email");
    session.expungeAll();
    const { value: bob, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(defer(User.email, User.bio, { raiseload: true }), undefer(User.bio)).where(User.id.eq(2)))).one(),
    );
    expect(shapes(statements)).toEqual(['SELECT "users"."id", "users"."name", "users"."bio", "users"."organization_id" FROM "users" WHERE "users"."id" = ?']);
    expect(bob.bio).toBe("bob's bio");
    expect(thrown(() => bob.email).message).toBe("'User.email' is not available due to raiseload=True");
  });

  it("loadOnly(…, { raiseload: true }) and Load(User).defer(…, { raiseload: true }): every column left out raises", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: cid, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(loadOnly(User.name, { raiseload: true })).where(User.id.eq(3)))).one(),
    );
    expect(shapes(statements)).toEqual(['SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."id" = ?']);
    expect(cid.name).toBe("cid");
    for (const read of [() => cid.email, () => cid.bio, () => cid.organizationId]) {
      expect(thrown(read)).toBeInstanceOf(InvalidRequestError);
      expect(thrown(read)).not.toBeInstanceOf(MissingGreenlet);
    }
    session.expungeAll();
    recorder.clear();
    const { value: rows, statements: joined } = await recorder.during(async () =>
      (await session.execute(select(Organization, User).join(Organization.users).options(Load(User).defer(User.email, { raiseload: true })).where(User.id.eq(1)))).all(),
    );
    expect(shapes(joined)).toEqual([
      'SELECT "organizations"."id", "organizations"."name", "users"."id" AS "id_1", "users"."name" AS "name_1", "users"."organization_id" FROM "organizations" JOIN "users" ON "users"."organization_id" = "organizations"."id" WHERE "users"."id" = ?',
    ]);
    const [acme, ann] = rows[0]!;
    expect(acme.name).toBe("acme");
    expect(thrown(() => ann.email).message).toBe("'User.email' is not available due to raiseload=True");
    expect(names([ann])).toEqual(["ann"]);
  });

  it("toString names the bound entity", () => {
    expect(String(Load(User).selectinload(User.posts).joinedload(Post.tags))).toBe("Load(User).selectinload(User.posts).joinedload(Post.tags)");
    expect(String(Load(User).defer(User.email, { raiseload: true }))).toBe("Load(User)");
  });
});
