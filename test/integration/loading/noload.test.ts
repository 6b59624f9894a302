import { beforeAll, expect, it } from "vitest";
import { ArgumentError, lazyload, noload, select, selectinload } from "../../../src/index.ts";
import { describeEachSessionKind, expectUnloaded, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, User } from "../../fixtures/loading-models/blog.ts";
import { seedBlog, summary } from "./loading-support.ts";

describeEachSessionKind("loading: noload", (db) => {
  const ctx = useSessionDatabase(db, "loading_noload", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("the relationship reads as null or an empty collection, with no SQL, although rows exist", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: ann, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(noload(User.organization), noload(User.posts)).where(User.id.eq(1)))).one(),
    );
    expect(summary(statements)).toEqual(["SELECT users"]);
    recorder.clear();
    expect(ann.organizationId).toBe(1);
    expect(ann.organization as unknown).toBeNull();
    expect(ann.posts as unknown).toEqual([]);
    expect(recorder.statements).toEqual([]);
  });
});

describeEachSessionKind("loading: wildcards of lazyload and noload", (db) => {
  const ctx = useSessionDatabase(db, "loading_wildcards", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it('noload("*") empties every relationship of the entity, and a named option still wins over it', async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: ann, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(noload("*"), selectinload(User.posts)).where(User.id.eq(1)))).one(),
    );
    expect(summary(statements)).toEqual(["SELECT users", "SELECT posts"]);
    recorder.clear();
    expect(ann.organization as unknown).toBeNull();
    expect(ann.posts.length).toBeGreaterThan(0);
    expect(recorder.statements).toEqual([]);
  });

  it('lazyload("*") leaves every relationship unloaded; a read needing SQL raises MissingGreenlet', async () => {
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).options(lazyload("*")).where(User.id.eq(1)))).one();
    expectUnloaded(db, ann, "posts", { readLoads: true });
  });

  it('"*" with an eager option is refused with a typed error', () => {
    expect(() => (selectinload as (a: unknown) => unknown)("*")).toThrow(ArgumentError);
  });
});
