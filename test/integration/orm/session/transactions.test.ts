import { expect, it } from "vitest";
import { IntegrityError, InvalidRequestError, UnmappedError, asyncSessionmaker, select } from "../../../../src/index.ts";
import { asSync, describeEachSessionKind, errorOf, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, countRows, seedAcme, statusOf, summary } from "./session-support.ts";

/** Transaction control statements, by their first words (MySQL spells BEGIN as START TRANSACTION). */
function control(recorder: StatementRecorder): string[] {
  return recorder.all
    .map((s) => s.sql.replace(/^START TRANSACTION/, "BEGIN").replace(/ [`"]?sp_\d+[`"]?$/, ""))
    .filter((sql) => /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)$/.test(sql));
}

describeEachSessionKind("session: transactions", (db) => {
  const ctx = useSessionDatabase(db, "session_transactions", Base.metadata);

  it("autobegin: inTransaction() is false until the first statement, true until commit", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect(session.inTransaction()).toBe(false);
    session.add(new Organization({ id: 2, name: "Two" }));
    expect(session.inTransaction()).toBe(false);
    await session.get(User, 1);
    expect(session.inTransaction()).toBe(true);
    await session.commit();
    expect(session.inTransaction()).toBe(false);
    expect(control(recorder)).toEqual(["BEGIN", "COMMIT"]);
    expect(summary(recorder.statements)).toEqual(["INSERT organizations", "SELECT users"]); // the get() miss autoflushed
  });

  it("await using tx = await session.begin(): tx.commit() commits; leaving the block without it rolls back", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    {
      await using tx = await session.begin();
      expect(session.inTransaction()).toBe(true);
      session.add(new Organization({ id: 2, name: "Committed" }));
      await tx.commit();
    }
    {
      await using _tx = await session.begin();
      session.add(new Organization({ id: 3, name: "Rolled back" }));
      await session.flush();
    }
    expect(control(recorder)).toEqual(["BEGIN", "COMMIT", "BEGIN", "ROLLBACK"]);
    expect(summary(recorder.statements)).toEqual(["INSERT organizations", "INSERT organizations"]);
    expect(await countRows(ctx.engine, "organizations")).toBe(2);
  });

  it("session.begin(work): commits when work resolves, rolls back and rethrows when it throws", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const failure = new Error("boom");
    if (db.session === "sync") {
      // Session.begin(work) takes a synchronous function (an async one is refused: docs/sync-session.md).
      const sync = asSync(session);
      const value = sync.begin(() => {
        sync.add(new Organization({ id: 2, name: "Two" }));
        return "done";
      });
      expect(value).toBe("done");
      expect(() =>
        sync.begin(() => {
          sync.add(new Organization({ id: 3, name: "Three" }));
          sync.flush();
          throw failure;
        }),
      ).toThrow(failure);
    } else {
      const value = await session.begin(async () => {
        session.add(new Organization({ id: 2, name: "Two" }));
        return "done";
      });
      expect(value).toBe("done");
      await expect(
        session.begin(async () => {
          session.add(new Organization({ id: 3, name: "Three" }));
          await session.flush();
          throw failure;
        }),
      ).rejects.toBe(failure);
    }
    expect(await countRows(ctx.engine, "organizations")).toBe(2);
  });

  it("session.begin(work) whose commit fails (its flush) rolls back, so the session works again without rollback()", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const work = (): void => {
      session.add(new Organization({ id: 1, name: "duplicate key" })); // flushed at commit: IntegrityError
    };
    // Session.begin(work) takes a synchronous function; AsyncSession's an async one.
    const failed = errorOf(() => (db.session === "sync" ? asSync(session).begin(work) : session.begin(async () => work())));
    expect(await failed).toBeInstanceOf(IntegrityError);
    // Before: PendingRollbackError here, because the failed commit left the transaction unrolled.
    expect(((await session.get(User, 2)) as User).name).toBe("bob");
    await session.close(); // SQLite and PGlite have one connection
    expect(await countRows(ctx.engine, "organizations")).toBe(1);
  });

  it("merge() of an unmapped object rejects its promise (it does not throw synchronously)", async () => {
    await using session = ctx.openSession();
    if (db.session === "sync") {
      expect(() => session.merge({ not: "mapped" })).toThrow(UnmappedError); // Session's calls throw where AsyncSession's reject
      return;
    }
    const merged = session.merge({ not: "mapped" });
    await expect(merged).rejects.toBeInstanceOf(UnmappedError);
  });

  it("begin() while a transaction is open: InvalidRequestError", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    await session.get(User, 1);
    await expect(async () => session.begin()).rejects.toThrow(InvalidRequestError);
    await expect(async () => session.begin()).rejects.toThrow("A transaction is already begun on this Session.");
  });

  it("beginNested(): SAVEPOINT; rollback → ROLLBACK TO SAVEPOINT, undoing only the nested work and expiring objects", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const outer = new Organization({ id: 2, name: "Outer" });
    session.add(outer);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const nested = await session.beginNested();
    expect(session.inNestedTransaction()).toBe(true);
    const inner = new Organization({ id: 3, name: "Inner" });
    session.add(inner);
    await session.flush();
    await nested.rollback();
    expect(session.inNestedTransaction()).toBe(false);
    expect(control(recorder)).toEqual(["BEGIN", "SAVEPOINT", "ROLLBACK TO SAVEPOINT"]);
    expect(summary(recorder.statements)).toEqual(["INSERT organizations", "INSERT organizations"]); // outer (flushed by beginNested), inner
    expect(statusOf(inner)).toBe("transient");
    expect(statusOf(outer)).toBe("persistent");
    if (db.session === "async") expect(() => outer.name).toThrow(/expired by rollback/); // Session would load it
    await session.commit();
    expect(await countRows(ctx.engine, "organizations")).toBe(2); // Acme and Outer
  });

  it("beginNested() commit → RELEASE SAVEPOINT, the nested work is kept", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    {
      await using nested = await session.beginNested();
      session.add(new Organization({ id: 2, name: "Nested" }));
      await session.flush();
      await nested.commit();
    }
    await session.commit();
    expect(control(recorder)).toEqual(["BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "COMMIT"]);
    expect(await countRows(ctx.engine, "organizations")).toBe(2);
  });

  it("await using session: Symbol.asyncDispose closes it (ROLLBACK, objects detached)", async () => {
    await seedAcme(ctx);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    let ann: User;
    {
      await using session = ctx.openSession();
      ann = (await session.get(User, 1)) as User;
      ann.name = "never written";
    }
    expect(statusOf(ann)).toBe("detached");
    expect(control(recorder)).toEqual(["BEGIN", "ROLLBACK"]);
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
  });

  // asyncSessionmaker makes AsyncSessions on the async engine: nothing of it to run under Session.
  it.skipIf(db.session === "sync")("asyncSessionmaker(engine, options): each call is a new session with those options", async () => {
    await seedAcme(ctx);
    const makeSession = asyncSessionmaker(ctx.engine, { expireOnCommit: false, autoflush: false });
    await using first = makeSession();
    await using second = makeSession();
    expect(first).not.toBe(second);
    expect(first.expireOnCommit).toBe(false);
    expect(first.autoflush).toBe(false);
    const ann = (await first.get(User, 1)) as User;
    await first.commit();
    expect(ann.name).toBe("ann"); // not expired
    first.add(new Organization({ id: 2, name: "Two" }));
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await first.execute(select(Organization));
    expect(summary(recorder.statements)).toEqual(["SELECT organizations"]); // no autoflush
  });
});
