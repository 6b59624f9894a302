import { beforeAll, expect, it } from "vitest";
import { AsyncSession, DetachedInstanceError, MissingGreenlet, select, selectinload } from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, Post, User } from "../../fixtures/loading-models/blog.ts";
import { loaded, names, seedBlog, shapes, summary, thrown } from "./loading-support.ts";

const ORGS = '"organizations"."id", "organizations"."name"';
const USERS = '"users"."id", "users"."name", "users"."email", "users"."organization_id"';

/**
 * Reading an unloaded relationship under the async API (reference §3): a many-to-one answered from
 * the identity map with no SQL, NULL foreign keys as null, everything else MissingGreenlet; and the
 * explicit loads that fix it.
 */
describeEachDatabase("loading: lazy reads", (db) => {
  const ctx = useIsolatedDatabase(db, "loading_lazy_reads", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("many-to-one: an identity-map hit reads with no SQL, a NULL foreign key reads as null, a miss raises MissingGreenlet", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const acme = await session.get(Organization, 1);
    const users = new Map((await session.scalars(select(User))).all().map((u) => [u.id, u]));
    recorder.clear();
    expect(users.get(1)?.organization as unknown).toBe(acme);
    expect(users.get(4)?.organization as unknown).toBeNull();
    const error = thrown(() => users.get(3)?.organization);
    expect(error).toBeInstanceOf(MissingGreenlet);
    expect(error.message).toContain("User(id=3).organization");
    expect(recorder.statements).toEqual([]);
  });

  it("a collection always needs SQL, even when every child is in the identity map", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    (await session.scalars(select(User))).all();
    const acme = (await session.get(Organization, 1)) as Organization;
    recorder.clear();
    const error = thrown(() => acme.users);
    expect(error).toBeInstanceOf(MissingGreenlet);
    expect(error.message).toContain("Organization(id=1).users");
    expect(error.message).toContain("select(Organization).options(selectinload(Organization.users))");
    expect(recorder.statements).toEqual([]);
    // The explicit load: one SELECT of the children, resolved to the objects already in the session.
    const users = await recorder.during(() => acme.awaitableAttrs.users);
    expect(shapes(users.statements)).toEqual([`SELECT ${USERS} FROM "users" WHERE "users"."organization_id" = ?`]);
    expect(names(users.value)).toEqual(["ann", "bob"]);
    expect(users.value.find((u) => u.id === 1)).toBe(await session.get(User, 1));
  });

  it("an expired target in the identity map needs SQL: MissingGreenlet, then one SELECT by primary key when awaited", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const acme = (await session.get(Organization, 1)) as Organization;
    const ann = (await session.get(User, 1)) as User;
    session.expire(acme);
    recorder.clear();
    expect(() => ann.organization).toThrow(MissingGreenlet);
    expect(recorder.statements).toEqual([]);
    const { value, statements } = await recorder.during(() => ann.awaitableAttrs.organization);
    expect(shapes(statements)).toEqual([`SELECT ${ORGS} FROM "organizations" WHERE "organizations"."id" = ?`]);
    expect(value).toBe(acme);
    expect(acme.name).toBe("acme");
  });

  it("after commit every attribute is expired: reading one raises MissingGreenlet that says so; refresh() fixes it", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const ann = (await session.get(User, 1)) as User;
    await session.commit();
    recorder.clear();
    const error = thrown(() => ann.name);
    expect(error).toBeInstanceOf(MissingGreenlet);
    expect(error.message).toContain("User(id=1).name");
    expect(error.message).toContain("expired by commit");
    expect(error.message).toContain("await session.refresh(user)");
    expect(recorder.statements).toEqual([]);
    const { statements } = await recorder.during(() => session.refresh(ann));
    expect(summary(statements)).toEqual(["SELECT users"]);
    expect(ann.name).toBe("ann");
  });

  it("refresh(obj, [relationship]) loads the relationship with its own statement", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const cid = (await session.get(User, 3)) as User;
    const { statements } = await recorder.during(() => session.refresh(cid, ["organization"]));
    // SQLAlchemy 2.0 loads a named relationship with the immediate loader, after re-selecting the
    // row (here because the deferred User.bio counts as unloaded); the relationship's own SELECT is last.
    expect(summary(statements).slice(0, -1).every((s) => s === "SELECT users")).toBe(true);
    expect(statements.length).toBeLessThanOrEqual(2);
    expect(shapes(statements).at(-1)).toBe(`SELECT ${ORGS} FROM "organizations" WHERE "organizations"."id" = ?`);
    recorder.clear();
    expect((cid.organization as Organization | null)?.name).toBe("globex");
    expect(recorder.statements).toEqual([]);
  });

  it("awaitableAttrs: a loaded value returns with no SQL, and after a load plain reads are cached", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const ann = (await session.scalars(select(User).options(selectinload(User.posts)).where(User.id.eq(1)))).one();
    recorder.clear();
    expect((await ann.awaitableAttrs.posts).map((p) => p.title).sort()).toEqual(["a1", "a2"]);
    expect(recorder.statements).toEqual([]);
    const organization = await recorder.during(() => ann.awaitableAttrs.organization);
    expect(organization.statements).toHaveLength(1);
    recorder.clear();
    expect((ann.organization as Organization | null)?.name).toBe("acme");
    expect(recorder.statements).toEqual([]);
  });

  it("populateExisting overwrites loaded columns and resets loaded relationships to unloaded", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const acme = (await session.scalars(select(Organization).options(selectinload(Organization.users)).where(Organization.id.eq(1)))).one();
    expect(names(acme.users)).toEqual(["ann", "bob"]);
    session.autoflush = false; // keep the change below from being flushed by the next query
    acme.name = "renamed in memory";
    const { value, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).where(Organization.id.eq(1)).executionOptions({ populateExisting: true }))).one(),
    );
    expect(summary(statements)).toEqual(["SELECT organizations"]);
    expect(value).toBe(acme);
    expect(acme.name).toBe("acme");
    expect(() => (value as Organization).users).toThrow(MissingGreenlet);
  });

  it("a lazy load autoflushes first: a post added to the session is part of the loaded collection", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const dee = (await session.get(User, 4)) as User;
    session.add(new Post({ id: 50, title: "dee's first", userId: 4 }));
    const { value: posts, statements } = await recorder.during(() => dee.awaitableAttrs.posts);
    expect(summary(statements)).toEqual(["INSERT posts", "SELECT posts"]);
    expect(shapes(statements)[1]).toBe('SELECT "posts"."id", "posts"."title", "posts"."user_id" FROM "posts" WHERE "posts"."user_id" = ?');
    expect(posts.map((p) => p.title)).toEqual(["dee's first"]);
    await session.rollback();
  });

  it("after close, an unloaded relationship raises DetachedInstanceError; loaded values stay readable", async () => {
    const session = new AsyncSession(ctx.engine);
    const ann = (await session.scalars(select(User).options(selectinload(User.posts)).where(User.id.eq(1)))).one();
    await session.close();
    expect(loaded(ann.posts)).toHaveLength(2);
    const error = thrown(() => ann.organization);
    expect(error).toBeInstanceOf(DetachedInstanceError);
    expect(error.message).toContain("lazy load operation of attribute 'organization' cannot proceed");
  });
});
