import { describe, expect, it } from "vitest";
import { IntegrityError, InvalidRequestError, PendingRollbackError, Session, createEngine, func, select } from "../../../../src/index.ts";
import { LoadingBase, Organization, User } from "../../../fixtures/loading-models/blog.ts";
import { seedBlogSync, thrown, useSyncDatabase } from "./sync-support.ts";

/**
 * The synchronous Session's transactions, as SQLAlchemy 2.0's Session: commit and rollback,
 * `with session.begin():` (here `using tx = session.begin()` and `session.begin(() => …)`),
 * savepoints, and a failed flush that leaves the session in a rolled-back state until rollback().
 */
describe("sync Session: transactions", () => {
  const ctx = useSyncDatabase(LoadingBase.metadata, seedBlogSync, { file: true });

  /** The organizations' names as another engine's session sees them (what was committed; the sync engine has one connection). */
  function committedNames(): string[] {
    const engine = createEngine(ctx.url);
    try {
      using other = new Session(engine);
      return other.scalars(select(Organization.name).orderBy(Organization.id)).all();
    } finally {
      engine.dispose();
    }
  }

  it("commit() writes and commits; rollback() discards the pending object and restores the old value", () => {
    using session = new Session(ctx.engine);
    session.add(new Organization({ id: 4, name: "hooli" }));
    session.commit();
    expect(committedNames()).toEqual(["acme", "globex", "initech", "hooli"]);

    const acme = session.getOne(Organization, 1);
    acme.name = "acme2";
    const pending = new Organization({ id: 5, name: "pied" });
    session.add(pending);
    session.flush();
    session.rollback();
    expect(session.contains(pending)).toBe(false);
    expect(acme.name).toBe("acme");
    expect(committedNames()).toEqual(["acme", "globex", "initech", "hooli"]);
  });

  it("`using` disposal closes the session, rolling back what was not committed", () => {
    {
      using session = new Session(ctx.engine);
      session.getOne(Organization, 1).name = "renamed";
      session.flush();
    }
    expect(committedNames()[0]).toBe("acme");
  });

  it("session.begin(work) commits when work returns, and rolls back and rethrows when it throws", () => {
    using session = new Session(ctx.engine);
    const value = session.begin(() => {
      session.add(new Organization({ id: 4, name: "hooli" }));
      return 42;
    });
    expect(value).toBe(42);
    expect(committedNames()).toContain("hooli");
    const error = thrown(() =>
      session.begin(() => {
        session.add(new Organization({ id: 5, name: "pied" }));
        session.flush();
        throw new Error("boom");
      }),
    );
    expect(error.message).toBe("boom");
    expect(committedNames()).not.toContain("pied");
    expect(session.inTransaction()).toBe(false);
  });

  it("using tx = session.begin(): tx.commit() commits; leaving the block without it rolls back; a second begin() is refused", () => {
    using session = new Session(ctx.engine);
    {
      using tx = session.begin();
      session.add(new Organization({ id: 4, name: "hooli" }));
      expect(() => session.begin()).toThrow(InvalidRequestError);
      tx.commit();
    }
    {
      using _tx = session.begin();
      session.add(new Organization({ id: 5, name: "pied" }));
      session.flush();
    }
    expect(committedNames()).toEqual(["acme", "globex", "initech", "hooli"]);
  });

  it("beginNested(): a SAVEPOINT; its rollback undoes only its work and expires the objects; its commit releases it", () => {
    using session = new Session(ctx.engine);
    const acme = session.getOne(Organization, 1);
    acme.name = "outer";
    const nested = session.beginNested();
    const statements = ctx.recorder.all.map((s) => s.sql);
    expect(statements.some((sql) => sql.startsWith("SAVEPOINT"))).toBe(true);
    acme.name = "inner";
    session.add(new Organization({ id: 4, name: "hooli" }));
    session.flush();
    nested.rollback();
    ctx.recorder.clear();
    // Expired by the rollback: the read reloads the row as the outer transaction left it.
    expect(acme.name).toBe("outer");
    expect(ctx.recorder.statements).toHaveLength(1);
    expect(session.get(Organization, 4)).toBeNull();

    const second = session.beginNested();
    session.add(new Organization({ id: 5, name: "pied" }));
    second.commit();
    expect(ctx.recorder.all.some((s) => s.sql.startsWith("RELEASE SAVEPOINT"))).toBe(true);
    session.commit();
    expect(committedNames()).toEqual(["outer", "globex", "initech", "pied"]);
  });

  it("runTransaction(fn) runs fn in a transaction and commits its return", () => {
    using session = new Session(ctx.engine);
    const count = session.runTransaction((s) => {
      s.add(new Organization({ id: 4, name: "hooli" }));
      s.flush();
      return s.scalar(select(func.count(Organization.id)));
    });
    expect(count).toBe(4);
    expect(committedNames()).toContain("hooli");
  });

  it("a failed flush (IntegrityError) rolls back; every call but rollback() raises PendingRollbackError until rollback()", () => {
    using session = new Session(ctx.engine);
    const acme = session.getOne(Organization, 1);
    acme.name = "changed";
    session.add(new Organization({ id: 2, name: "duplicate" }));
    const error = thrown(() => session.flush());
    expect(error).toBeInstanceOf(IntegrityError);
    for (const call of [() => session.flush(), () => session.execute(select(User)), () => session.get(User, 1), () => session.commit()]) {
      const refused = thrown(call);
      expect(refused).toBeInstanceOf(PendingRollbackError);
      expect(refused.message).toContain("first issue Session.rollback()");
      expect(refused.message).toContain("UNIQUE constraint failed");
    }
    session.rollback();
    expect(session.get(Organization, 1)?.name).toBe("acme");
    expect(committedNames()).toEqual(["acme", "globex", "initech"]);
  });

  it("a failed commit's flush leaves the same state: nothing written, PendingRollbackError until rollback()", () => {
    using session = new Session(ctx.engine);
    session.add(new Organization({ id: 4, name: "hooli" }));
    session.add(new Organization({ id: 1, name: "duplicate" }));
    expect(thrown(() => session.commit())).toBeInstanceOf(IntegrityError);
    expect(thrown(() => session.scalars(select(Organization)))).toBeInstanceOf(PendingRollbackError);
    session.rollback();
    expect(committedNames()).toEqual(["acme", "globex", "initech"]);
  });
});
