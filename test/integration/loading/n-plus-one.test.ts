import { afterEach, beforeAll, expect, it, vi } from "vitest";
import { NPlusOneError, type NPlusOneReport, select, selectinload } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, User } from "../../fixtures/loading-models/blog.ts";
import { seedBlog, summary } from "./loading-support.ts";

/** `detectNPlusOne`: the same relationship loaded one parent at a time, many times. */
describeEachSessionKind("loading: N+1 detection", (db) => {
  const ctx = useSessionDatabase(db, "loading_n_plus_one", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("reports the attribute, the count and the option that batches it, once, when the threshold is reached", async () => {
    const reports: NPlusOneReport[] = [];
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession({ detectNPlusOne: { threshold: 3, onDetect: (r) => reports.push(r) } });
    const users = (await session.scalars(select(User).orderBy(User.id.asc()))).all();
    recorder.clear();
    for (const user of users) await user.awaitableAttrs.posts;
    expect(summary(recorder.statements)).toEqual(["SELECT posts", "SELECT posts", "SELECT posts", "SELECT posts"]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ attribute: "User.posts", count: 3, fix: "select(User).options(selectinload(User.posts))" });
    expect(reports[0]?.message).toContain("User.posts");
    expect(reports[0]?.message).toContain("3 times");
  });

  it('"raise" throws NPlusOneError at the threshold', async () => {
    await using session = ctx.openSession({ detectNPlusOne: { threshold: 2, onDetect: "raise" } });
    const users = (await session.scalars(select(User).orderBy(User.id.asc()))).all();
    await users[0]?.awaitableAttrs.posts;
    await expect((users[1] as User).awaitableAttrs.posts).rejects.toThrow(NPlusOneError);
  });

  it('"warn" (the default) emits a process warning', async () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    await using session = ctx.openSession({ detectNPlusOne: { threshold: 2 } });
    for (const user of (await session.scalars(select(User))).all()) await session.refresh(user, ["posts"]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain("selectinload(User.posts)");
  });

  it("loads that need no SQL and loads done by the query are not counted", async () => {
    const reports: NPlusOneReport[] = [];
    await using session = ctx.openSession({ detectNPlusOne: { threshold: 2, onDetect: (r) => reports.push(r) } });
    const users = (await session.scalars(select(User).options(selectinload(User.posts), selectinload(User.organization)))).all();
    for (const user of users) {
      await user.awaitableAttrs.posts;
      await user.awaitableAttrs.organization;
    }
    expect(reports).toEqual([]);
  });

  it("counts start again with each transaction", async () => {
    const reports: NPlusOneReport[] = [];
    await using session = ctx.openSession({ detectNPlusOne: { threshold: 2, onDetect: (r) => reports.push(r) } });
    const first = (await session.scalars(select(User).where(User.id.eq(1)))).one();
    await first.awaitableAttrs.posts;
    await session.commit();
    const second = (await session.scalars(select(User).where(User.id.eq(2)))).one();
    await second.awaitableAttrs.posts;
    expect(reports).toEqual([]);
  });
});
