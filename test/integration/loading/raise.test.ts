import { beforeAll, expect, it } from "vitest";
import { type AsyncSession, InvalidRequestError, type LoaderOption, MissingGreenlet, joinedload, raiseload, select, selectinload } from "../../../src/index.ts";
import { describeEachSessionKind, expectUnloaded, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, User } from "../../fixtures/loading-models/blog.ts";
import { seedBlog, thrown } from "./loading-support.ts";

const RAISE = "'User.organization' is not available due to lazy='raise'";
const RAISE_ON_SQL = "'User.organization' is not available due to lazy='raise_on_sql'";

describeEachSessionKind("loading: raiseload", (db) => {
  const ctx = useSessionDatabase(db, "loading_raise", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  /** Users 1 (acme, put in the identity map first), 3 (globex, not in it) and 4 (NULL foreign key). */
  async function usersWith(session: AsyncSession, option: LoaderOption<User>): Promise<Map<number, User>> {
    await session.get(Organization, 1);
    const users = (await session.scalars(select(User).options(option).where(User.id.in([1, 3, 4])))).all();
    return new Map(users.map((u) => [u.id, u]));
  }

  it("raiseload: every read raises, before the identity map is consulted and even for a NULL foreign key", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const users = await usersWith(session, raiseload(User.organization));
    recorder.clear();
    for (const id of [1, 3, 4]) {
      const error = thrown(() => users.get(id)?.organization);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).not.toBeInstanceOf(MissingGreenlet);
      expect(error.message).toBe(RAISE);
    }
    expect(recorder.statements).toEqual([]);
  });

  it("raiseload sqlOnly (raise_on_sql): an identity-map hit and a NULL foreign key read; a miss raises", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const users = await usersWith(session, raiseload(User.organization, { sqlOnly: true }));
    recorder.clear();
    expect((users.get(1)?.organization as Organization | null)?.name).toBe("acme");
    expect(users.get(4)?.organization).toBeNull();
    const error = thrown(() => users.get(3)?.organization);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).not.toBeInstanceOf(MissingGreenlet);
    expect(error.message).toBe(RAISE_ON_SQL);
    expect(recorder.statements).toEqual([]);
  });

  it("raiseload sqlOnly on a collection always raises: a collection always needs SQL", async () => {
    await using session = ctx.openSession();
    (await session.scalars(select(User))).all(); // every user is in the identity map
    const acme = (await session.scalars(select(Organization).options(raiseload(Organization.users, { sqlOnly: true })).where(Organization.id.eq(1)))).one();
    expect(() => acme.users).toThrow("'Organization.users' is not available due to lazy='raise_on_sql'");
  });

  it('raiseload("*") makes every relationship of the entity raise', async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).options(raiseload("*")).where(User.id.eq(1)))).one();
    expect(recorder.statements).toHaveLength(1);
    expect(() => ann.organization).toThrow(RAISE);
    expect(() => ann.posts).toThrow("'User.posts' is not available due to lazy='raise'");
  });

  it('raiseload("*") beside joinedload: the named path loads, the others raise', async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: ann, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(joinedload(User.organization), raiseload("*")).where(User.id.eq(1)))).one(),
    );
    expect(statements).toHaveLength(1);
    expect(ann.organization?.name).toBe("acme");
    expect(() => ann.posts).toThrow("'User.posts' is not available due to lazy='raise'");
  });

  // SQLAlchemy's wildcard reaches the entities loaded along the named paths too (reference §5, opt_wildcard).
  it('raiseload("*") beside joinedload also reaches the joined entity\'s relationships', async () => {
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).options(joinedload(User.organization), raiseload("*")).where(User.id.eq(1)))).one();
    expect(() => ann.organization?.users).toThrow("'Organization.users' is not available due to lazy='raise'");
  });

  it('raiseload("*") also reaches the entities a post-load strategy loads', async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: acme, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).options(selectinload(Organization.users), raiseload("*")).where(Organization.id.eq(1)))).one(),
    );
    expect(statements).toHaveLength(2);
    const ann = acme.users.find((u) => u.name === "ann");
    expect(() => ann?.posts).toThrow("'User.posts' is not available due to lazy='raise'");
  });

  it('joinedload(...).raiseload("*") applies below the joined path only', async () => {
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).options(joinedload(User.organization).raiseload("*")).where(User.id.eq(1)))).one();
    expectUnloaded(db, ann, "posts", { readLoads: true });
    expect(() => ann.organization?.users).toThrow("'Organization.users' is not available due to lazy='raise'");
  });

  it("awaitableAttrs respects raise: the explicit load raises the same error and runs no SQL", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const cid = (await session.scalars(select(User).options(raiseload(User.organization)).where(User.id.eq(3)))).one();
    recorder.clear();
    await expect(cid.awaitableAttrs.organization).rejects.toThrow(RAISE);
    expect(recorder.statements).toEqual([]);
  });
});
