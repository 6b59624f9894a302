import { afterEach, beforeAll, expect, it, vi } from "vitest";
import { type AsyncSession, InvalidRequestError, MissingGreenlet, StrictLoadingError, joinedload, select, selectinload } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, User } from "../../fixtures/loading-models/blog.ts";
import { seedBlog, thrown } from "./loading-support.ts";

/**
 * `strictLoading`: the seed post's trap, a lazy read that works only because its target happened
 * to be in the identity map, is reported ("warn") or refused ("raise") so a test suite catches it.
 */
describeEachSessionKind("loading: strictLoading", (db) => {
  const ctx = useSessionDatabase(db, "loading_strict", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** ann loaded with her organization, then bob (same organization) without. */
  async function annAndBob(session: AsyncSession): Promise<User> {
    (await session.scalars(select(User).options(joinedload(User.organization)).where(User.id.eq(1)))).one();
    return (await session.scalars(select(User).where(User.id.eq(2)))).one();
  }

  it('"off" (the default, as SQLAlchemy): the lucky read succeeds silently', async () => {
    const warn = vi.spyOn(process, "emitWarning");
    await using session = ctx.openSession();
    expect(session.strictLoading).toBe("off");
    const bob = await annAndBob(session);
    expect((bob.organization as Organization | null)?.name).toBe("acme");
    expect(warn).not.toHaveBeenCalled();
  });

  it('"warn": the lucky read succeeds with no SQL and emits a warning naming the attribute and the option that loads it', async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession({ strictLoading: "warn" });
    const bob = await annAndBob(session);
    recorder.clear();
    expect((bob.organization as Organization | null)?.name).toBe("acme");
    expect(recorder.statements).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    const message = String(warn.mock.calls[0]?.[0]);
    expect(message).toContain("User(id=2).organization");
    expect(message).toContain("select(User).options(selectinload(User.organization))");
    // The value is now loaded: reading it again is not reported again.
    expect((bob.organization as Organization | null)?.name).toBe("acme");
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('"raise": the lucky read raises StrictLoadingError, an InvalidRequestError, with no SQL', async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession({ strictLoading: "raise" });
    const bob = await annAndBob(session);
    recorder.clear();
    const error = thrown(() => bob.organization);
    expect(error).toBeInstanceOf(StrictLoadingError);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain("User(id=2).organization");
    expect(error.message).toContain('strictLoading: "raise"');
    expect(recorder.statements).toEqual([]);
  });

  it('"raise" leaves everything else as it was: loaded values, NULL foreign keys, misses (MissingGreenlet), explicit loads', async () => {
    await using session = ctx.openSession({ strictLoading: "raise" });
    const users = new Map((await session.scalars(select(User).options(selectinload(User.posts)))).all().map((u) => [u.id, u]));
    expect(users.get(1)?.posts.length).toBe(2); // loaded by the query
    expect(users.get(4)?.organization as unknown).toBeNull(); // NULL foreign key: nothing to load
    // Not in the identity map: MissingGreenlet under AsyncSession; under Session the read would load, which "raise" refuses.
    expect(() => users.get(3)?.organization).toThrow(db.session === "async" ? MissingGreenlet : StrictLoadingError);
    const organization = await (users.get(3) as User).awaitableAttrs.organization; // an explicit load is fine
    expect(organization?.name).toBe("globex");
  });
});
