import { expect, it } from "vitest";
import { DetachedInstanceError, MissingGreenlet, select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, countRows, seedAcme, statusOf, summary } from "./session-support.ts";

describeEachSessionKind("session: rollback and close", (db) => {
  const ctx = useSessionDatabase(db, "session_rollback_close", Base.metadata);

  it("rollback(): ROLLBACK, pending objects expunged, every persistent object expired (read → MissingGreenlet)", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const ann = (await session.get(User, 1)) as User;
    ann.name = "discarded";
    const pending = new Organization({ id: 2, name: "Pending" });
    session.add(pending);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.rollback();
    expect(recorder.all.map((s) => s.sql)).toEqual(["ROLLBACK"]);
    expect(statusOf(pending)).toBe("transient");
    expect(session.new).toEqual([]);
    expect(statusOf(ann)).toBe("persistent");
    expect(session.dirty).toEqual([]);
    if (db.session === "async") {
      expect(() => ann.name).toThrow(MissingGreenlet);
      expect(() => ann.name).toThrow(/User\(id=1\)\.name is not loaded: it was expired by rollback/);
    }
    await session.refresh(ann);
    expect(ann.name).toBe("ann");
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
  });

  it("rollback() after a flush: the flushed INSERT is undone and its object is transient again; a flushed DELETE's object is persistent again", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const org = new Organization({ id: 2, name: "Flushed" });
    session.add(org);
    const bob = (await session.get(User, 2)) as User;
    await session.delete(bob);
    await session.flush();
    expect(statusOf(org)).toBe("persistent");
    expect(statusOf(bob)).toBe("deleted");
    await session.rollback();
    expect(statusOf(org)).toBe("transient");
    expect(session.contains(org)).toBe(false);
    expect(org.name).toBe("Flushed"); // values kept, as SQLAlchemy does
    expect(statusOf(bob)).toBe("persistent");
    expect(await session.get(User, 2)).toBe(bob);
    expect(await session.get(Organization, 2)).toBeNull();
    // The transient object can be added again and written; bob's DELETE was undone.
    session.add(org);
    await session.commit();
    expect(await countRows(ctx.engine, "organizations")).toBe(2);
    expect(await countRows(ctx.engine, "users")).toBe(2);
  });

  it("close(): ROLLBACK, objects detached, loaded values stay readable; unloaded ones raise DetachedInstanceError", async () => {
    await seedAcme(ctx);
    const session = ctx.openSession();
    const ann = (await session.get(User, 1)) as User;
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.close();
    expect(recorder.all.map((s) => s.sql)).toEqual(["ROLLBACK"]);
    expect(statusOf(ann)).toBe("detached");
    expect([ann.id, ann.name, ann.email]).toEqual([1, "ann", "ann@example.com"]);
    expect(() => ann.organization).toThrow(DetachedInstanceError);
    expect(() => ann.organization).toThrow(
      /^Parent instance User\(id=1\) is not bound to a Session; lazy load operation of attribute 'organization' cannot proceed/,
    );
    expect(recorder.statements).toEqual([]);
  });

  it("an object expired by commit, then detached by close(): reading raises DetachedInstanceError naming the attribute", async () => {
    await seedAcme(ctx);
    const session = ctx.openSession();
    const ann = (await session.get(User, 1)) as User;
    await session.commit();
    await session.close();
    let error: unknown;
    try {
      void ann.name;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DetachedInstanceError);
    expect((error as DetachedInstanceError).code).toBe("bhk3");
    expect((error as Error).message).toMatch(
      /^Instance User\(id=1\) is not bound to a Session; attribute refresh operation of attribute 'name' cannot proceed \(it was expired by commit\)/,
    );
  });

  it("a closed session can be used again: the next call begins a new transaction", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const first = (await session.get(User, 1)) as User;
    await session.close();
    expect(session.inTransaction()).toBe(false);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const again = (await session.execute(select(User).where(User.id.eq(1)))).scalarOne();
    expect(again).not.toBe(first);
    expect(session.inTransaction()).toBe(true);
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    expect(recorder.all).toHaveLength(2); // BEGIN, SELECT
  });

  it("close() with unflushed changes writes nothing", async () => {
    await seedAcme(ctx);
    const session = ctx.openSession();
    const ann = (await session.get(User, 1)) as User;
    ann.name = "never written";
    session.add(new Organization({ id: 2, name: "never written" }));
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.close();
    expect(recorder.statements).toEqual([]);
    expect(await countRows(ctx.engine, "organizations")).toBe(1);
  });
});
