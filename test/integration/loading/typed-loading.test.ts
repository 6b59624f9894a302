import { beforeAll, expect, it } from "vitest";
import {
  Load,
  MissingGreenlet,
  containsEager,
  defer,
  immediateload,
  joinedload,
  loadOnly,
  select,
  selectinload,
  subqueryload,
  undefer,
} from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Node, Organization, Post, Tag, User } from "../../fixtures/loading-models/blog.ts";
import * as configured from "../../fixtures/loading-models/configured.ts";
import { seedBlog, seedConfigured } from "./loading-support.ts";

/**
 * The run-time side of the type tests (test/types/): every result the types call loaded is read
 * here, through exactly the typed attributes and without a cast, with no statement emitted.
 */
describeEachSessionKind("loading: what the types call loaded reads with no SQL", (db) => {
  const ctx = useSessionDatabase(db, "loading_typed", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  /** Runs `read` and returns its value, failing if it emitted a statement. */
  async function withoutSql<T>(read: () => T): Promise<T> {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    try {
      const { value, statements } = await recorder.during(async () => read());
      expect(statements).toEqual([]);
      return value;
    } finally {
      recorder.stop();
    }
  }

  it("selectinload(User.posts).selectinload(Post.tags): two levels", async () => {
    await using session = ctx.openSession();
    const users = (await session.scalars(select(User).options(selectinload(User.posts).selectinload(Post.tags)).where(User.id.eq(1)))).all();
    const tags = await withoutSql(() => users.flatMap((u) => u.posts.flatMap((p) => p.tags.map((t) => t.name))).sort());
    expect(tags).toEqual(["blue", "red", "red"]);
  });

  it("a loaded type made false by commit (expireOnCommit): the read that compiles raises MissingGreenlet naming the commit and the fixes", async () => {
    await using session = ctx.openSession();
    const user = (await session.scalars(select(User).options(selectinload(User.posts)).where(User.id.eq(1)))).one();
    expect(await withoutSql(() => user.posts.length)).toBe(2);
    await session.commit();
    if (db.session === "sync") {
      expect(user.posts.length).toBe(2); // under Session the read that compiles loads what the commit expired
      return;
    }
    let error: unknown;
    try {
      void user.posts.length; // typed loaded: compiles, and the commit expired it
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingGreenlet);
    expect((error as Error).message).toMatch(/User\(id=1\)\.posts/);
    expect((error as Error).message).toMatch(/expired by commit/);
    expect((error as Error).message).toMatch(/expireOnCommit: false|awaitableAttrs\.posts|refresh/);
  });

  it("four levels: organizations → users → posts → tags → posts", async () => {
    await using session = ctx.openSession();
    const stmt = select(Organization)
      .options(selectinload(Organization.users).selectinload(User.posts).subqueryload(Post.tags).selectinload(Tag.posts))
      .where(Organization.id.eq(1));
    const [acme] = (await session.scalars(stmt)).all();
    const titles = await withoutSql(() => acme?.users.flatMap((u) => u.posts.flatMap((p) => p.tags.flatMap((t) => t.posts.map((q) => q.title)))));
    expect(titles?.length).toBeGreaterThan(0);
  });

  it("joinedload through a nullable scalar, then a collection", async () => {
    await using session = ctx.openSession();
    const posts = (await session.scalars(select(Post).options(joinedload(Post.author).selectinload(User.organization)).orderBy(Post.id))).unique().all();
    const orgs = await withoutSql(() => posts.map((p) => p.author?.organization?.name ?? null));
    expect(orgs).toEqual(["acme", "acme", "acme", "globex"]);
  });

  it("immediateload, and a chain with criteria on a step", async () => {
    await using session = ctx.openSession();
    const users = (await session.scalars(select(User).options(immediateload(User.organization)).where(User.id.in([1, 4])).orderBy(User.id))).all();
    expect(await withoutSql(() => users.map((u) => u.organization?.name ?? null))).toEqual(["acme", null]);
    session.expungeAll();
    const stmt = select(User).options(selectinload(User.posts.and(Post.title.ne("a2"))).selectinload(Post.tags)).where(User.id.eq(1));
    const [ann] = (await session.scalars(stmt)).all();
    expect(await withoutSql(() => ann?.posts.map((p) => [p.title, p.tags.length]))).toEqual([["a1", 2]]);
  });

  it("a self-referential chain: children → children → parent", async () => {
    await using session = ctx.openSession();
    const stmt = select(Node).options(selectinload(Node.children).selectinload(Node.children).joinedload(Node.parent)).where(Node.id.eq(1));
    const [root] = (await session.scalars(stmt)).all();
    const grandchildren = await withoutSql(() => root?.children.flatMap((c) => c.children.map((g) => `${g.name}<${g.parent?.name}`)));
    expect(grandchildren).toEqual(["a1<a"]);
  });

  it("containsEager(User.organization) over the statement's join", async () => {
    await using session = ctx.openSession();
    const stmt = select(User).join(User.organization).options(containsEager(User.organization)).orderBy(User.id);
    const users = (await session.scalars(stmt)).all();
    expect(await withoutSql(() => users.map((u) => u.organization?.name))).toEqual(["acme", "acme", "globex"]);
  });

  it("Load(User) in a two-entity row types only the user", async () => {
    await using session = ctx.openSession();
    const stmt = select(User, Organization).join(User.organization).options(Load(User).selectinload(User.posts)).where(User.id.eq(1));
    const rows = (await session.execute(stmt)).all();
    expect(await withoutSql(() => rows.map(([u, o]) => [u.posts.length, o.name]))).toEqual([[2, "acme"]]);
  });

  it("an option per entity in a two-entity row", async () => {
    await using session = ctx.openSession();
    const stmt = select(User, Post).join(User.posts).options(joinedload(User.organization), selectinload(Post.tags)).where(Post.id.eq(1));
    const rows = (await session.execute(stmt)).unique().all();
    expect(await withoutSql(() => rows.map(([u, p]) => [u.organization?.name, p.tags.length]))).toEqual([["acme", 2]]);
  });

  it("defer(User.name) in a two-entity row leaves the other entity's name loaded (types: only User's is not)", async () => {
    await using session = ctx.openSession();
    const stmt = select(User, Organization).join(User.organization).options(defer(User.name), loadOnly(User.email)).where(User.id.eq(3));
    const rows = (await session.execute(stmt)).all();
    expect(await withoutSql(() => rows.map(([u, o]) => [u.email, o.name]))).toEqual([["cid@globex", "globex"]]);
  });

  it("an outer-joined entity typed Organization | null reads as an organization or null", async () => {
    await using session = ctx.openSession();
    const stmt = select(User, Organization).outerjoin(User.organization).options(selectinload(Organization.users)).where(User.id.in([3, 4])).orderBy(User.id);
    const rows = (await session.execute(stmt)).all();
    expect(await withoutSql(() => rows.map(([u, o]) => [u.name, o === null ? null : o.users.length]))).toEqual([["cid", 1], ["dee", null]]);
  });

  it("session.get(User, id, { options }) and getOne", async () => {
    await using session = ctx.openSession();
    const ann = await session.get(User, 1, { options: [selectinload(User.posts).selectinload(Post.tags)] });
    expect(await withoutSql(() => ann?.posts.map((p) => p.tags.length).sort())).toEqual([1, 2]);
    const bob = await session.getOne(User, 2, { options: [joinedload(User.organization)] });
    expect(await withoutSql(() => bob.organization?.name)).toBe("acme");
  });

  it("await session.refresh(user, ['organization']) resolves to the loaded user", async () => {
    await using session = ctx.openSession();
    const user = await session.getOne(User, 3);
    const refreshed = await session.refresh(user, ["organization", "posts"]);
    expect(refreshed).toBe(user);
    expect(await withoutSql(() => [refreshed.organization?.name, refreshed.posts.length])).toEqual(["globex", 1]);
  });

  it("undefer, loadOnly and a chain's undefer load the deferred column", async () => {
    await using session = ctx.openSession();
    const [ann] = (await session.scalars(select(User).options(undefer(User.bio)).where(User.id.eq(1)))).all();
    expect(await withoutSql(() => ann?.bio?.length)).toBe("ann's bio".length);
    session.expungeAll();
    const [bob] = (await session.scalars(select(User).options(loadOnly(User.name, User.bio)).where(User.id.eq(2)))).all();
    expect(await withoutSql(() => [bob?.name, bob?.bio])).toEqual(["bob", "bob's bio"]);
    session.expungeAll();
    const posts = (await session.scalars(select(Post).options(selectinload(Post.author).undefer(User.bio)).where(Post.id.eq(4)))).all();
    expect(await withoutSql(() => posts.map((p) => p.author?.bio))).toEqual(["cid's bio"]);
  });

  it("awaitableAttrs resolves to the target type", async () => {
    await using session = ctx.openSession();
    const user = await session.getOne(User, 1);
    const posts: Post[] = await user.awaitableAttrs.posts;
    expect(await withoutSql(() => posts.map((p) => p.title).length)).toBe(2);
  });
});

describeEachSessionKind("loading: relationships typed eager by their lazy option read with no SQL", (db) => {
  const ctx = useSessionDatabase(db, "loading_typed_configured", configured.ConfiguredBase.metadata);
  beforeAll(() => seedConfigured(ctx));

  it("relationship<Post[]>('Post', { lazy: 'selectin' }) and a joined reference", async () => {
    await using session = ctx.openSession();
    const users = (await session.scalars(select(configured.User).orderBy(configured.User.id))).unique().all();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const { value, statements } = await recorder.during(async () => users.map((u) => [u.name, u.posts.length, u.organization?.name]));
    recorder.stop();
    expect(statements).toEqual([]);
    expect(value).toEqual([
      ["ann", 1, "acme"],
      ["bob", 1, "acme"],
      ["cid", 0, "globex"],
    ]);
  });
});
