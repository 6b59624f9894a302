import { expect, it } from "vitest";
import { AsyncSession, IllegalStateChangeError, select } from "../../../../src/index.ts";
import { describeEachDatabase } from "../../../support/databases.ts";
import { useIsolatedDatabase } from "../../../support/isolated-database.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, countRows, seedAcme, summary } from "./session-support.ts";

/** The one rejection of two settled promises (the other fulfilled). */
function onlyRejection(results: PromiseSettledResult<unknown>[]): unknown {
  const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
  expect(rejected).toHaveLength(1);
  expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
  return rejected[0]?.reason;
}

describeEachDatabase("session: concurrent use", (db) => {
  const ctx = useIsolatedDatabase(db, "session_concurrency", Base.metadata);

  it("Promise.all of two execute() calls: the second raises IllegalStateChangeError (isce) before any SQL of its own", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const results = await Promise.allSettled([
      session.execute(select(User).where(User.id.eq(1))),
      session.execute(select(Organization)),
    ]);
    const error = onlyRejection(results);
    expect(error).toBeInstanceOf(IllegalStateChangeError);
    expect((error as IllegalStateChangeError).code).toBe("isce");
    expect((error as Error).message).toMatch(/^Method 'execute\(\)' can't be called here; method 'execute\(\)' is already in progress/);
    expect((error as Error).message).toContain("use one session per task");
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    // The session is fine afterwards.
    expect((await session.execute(select(Organization))).scalars().all()).toHaveLength(1);
  });

  it("a flush during a flush raises isce; only one flush's statements run, and they are not interleaved", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    session.addAll([new Organization({ id: 2, name: "Two" }), new User({ id: 3, name: "cy", email: "cy@example.com", organizationId: 2 })]);
    const recorder = new StatementRecorder(ctx.engine);
    const results = await Promise.allSettled([session.flush(), session.flush()]);
    const error = onlyRejection(results);
    expect(error).toBeInstanceOf(IllegalStateChangeError);
    expect((error as Error).message).toMatch(/^Method 'flush\(\)' can't be called here; method 'flush\(\)' is already in progress/);
    expect(summary(recorder.statements)).toEqual(["INSERT organizations", "INSERT users"]);
    await session.commit();
    expect(await countRows(ctx.engine, "users")).toBe(3);
  });

  it("commit() while a query runs raises isce; the query completes", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    const query = session.execute(select(User));
    await expect(session.commit()).rejects.toThrow(/^Method 'commit\(\)' can't be called here; method 'execute\(\)' is already in progress/);
    expect((await query).scalars().all()).toHaveLength(2);
  });

  it("get(), refresh() and rollback() during another operation raise isce too; close() waits for it instead", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    const ann = (await session.get(User, 1)) as User;
    const recorder = new StatementRecorder(ctx.engine);
    // All started in the same tick, while the first is in progress.
    const [running, ...others] = await Promise.allSettled([
      session.execute(select(User)),
      session.get(User, 2),
      session.refresh(ann),
      session.close(),
      session.rollback(),
    ]);
    expect(running?.status).toBe("fulfilled");
    const [get, refresh, close, rollback] = others;
    expect(close?.status).toBe("fulfilled");
    for (const other of [get, refresh, rollback]) {
      expect(other?.status).toBe("rejected");
      expect((other as PromiseRejectedResult).reason).toBeInstanceOf(IllegalStateChangeError);
    }
    expect(((rollback as PromiseRejectedResult).reason as Error).message).toMatch(/method 'close\(\)' is already in progress/);
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
  });

  it("one session per task: two sessions run concurrently without interference", async () => {
    await seedAcme(ctx);
    const work = async (id: number) => {
      await using session = new AsyncSession(ctx.engine);
      return ((await session.get(User, id)) as User).name;
    };
    expect(await Promise.all([work(1), work(2)])).toEqual(["ann", "bob"]);
  });
});
