import { expect, it } from "vitest";
import { InvalidRequestError, select, selectinload } from "../../../../src/index.ts";
import { describeEachSessionKind, errorOf, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Enrollment, EnrollmentBase } from "../../../fixtures/session-models/enrollment.ts";
import { Base, Organization, User, countRows, seedAcme, shapes, summary } from "./session-support.ts";

describeEachSessionKind("session: identity map", (db) => {
  const ctx = useSessionDatabase(db, "session_identity_map", Base.metadata);
  const composite = useSessionDatabase(db, "session_identity_composite", EnrollmentBase.metadata);

  it("two statements returning one primary key give the identical object", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const all = (await session.execute(select(User).orderBy(User.id))).scalars().all();
    const ann = (await session.execute(select(User).where(User.name.eq("ann")))).scalarOne();
    expect(ann).toBe(all[0]);
    expect(summary(recorder.statements)).toEqual(["SELECT users", "SELECT users"]);
    expect(session.identityMap.size).toBe(2);
  });

  it("get() miss: one SELECT by primary key; a hit: the same object with no SQL and no autoflush", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const ann = await session.get(User, 1);
    expect(shapes(recorder.statements)).toEqual([
      'SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id" FROM "users" WHERE "users"."id" = ?',
    ]);
    expect(recorder.statements[0]?.params).toEqual([1]);

    session.add(new Organization({ id: 2, name: "Pending" }));
    (ann as User).name = "unflushed";
    recorder.clear();
    expect(await session.get(User, 1)).toBe(ann);
    expect(recorder.all).toEqual([]); // neither a SELECT nor an autoflush
    expect(session.new).toHaveLength(1);
    expect(session.dirty).toEqual([ann]);
  });

  it("get() of a missing key returns null and queries again each time (no negative cache)", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect(await session.get(User, 99)).toBeNull();
    expect(await session.get(User, 99)).toBeNull();
    expect(summary(recorder.statements)).toEqual(["SELECT users", "SELECT users"]);
  });

  it("get() that misses autoflushes first", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    session.add(new Organization({ id: 2, name: "Pending" }));
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect(await session.get(User, 2)).not.toBeNull();
    expect(summary(recorder.statements)).toEqual(["INSERT organizations", "SELECT users"]);
  });

  it("get() with loader options: applied on a miss, ignored on a hit", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const ann = (await session.get(User, 1, { options: [selectinload(User.organization)] })) as User;
    expect(summary(recorder.statements)).toEqual(["SELECT users", "SELECT organizations"]);
    expect((ann.organization as Organization).name).toBe("Acme");
    recorder.clear();
    const bob = (await session.get(User, 2)) as User;
    recorder.clear();
    expect(await session.get(User, 2, { options: [selectinload(User.organization)] })).toBe(bob);
    expect(recorder.all).toEqual([]);
  });

  it("re-selecting a row keeps loaded attributes (an in-memory change survives, a change behind the ORM is not seen)", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession({ autoflush: false, expireOnCommit: false });
    const ann = (await session.get(User, 1)) as User;
    const bob = (await session.get(User, 2)) as User;
    await session.commit(); // ends the session's transaction (its snapshot), keeping the values loaded
    ann.name = "in memory";
    await ctx.engine.begin((conn) => conn.execDriverSql("UPDATE users SET email = 'changed@example.com'").then(() => undefined));
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const rows = (await session.execute(select(User).orderBy(User.id))).scalars().all();
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    expect(rows).toEqual([ann, bob]);
    expect(ann.name).toBe("in memory");
    expect(ann.email).toBe("ann@example.com");
    expect(session.dirty).toEqual([ann]);
  });

  it("re-selecting fills attributes that were expired, and leaves the others", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession({ autoflush: false, expireOnCommit: false });
    const ann = (await session.get(User, 1)) as User;
    await session.commit();
    session.expire(ann, ["email"]);
    await ctx.engine.begin((conn) => conn.execDriverSql("UPDATE users SET email = 'new@example.com', name = 'db name'").then(() => undefined));
    await session.execute(select(User).where(User.id.eq(1)));
    expect(ann.email).toBe("new@example.com");
    expect(ann.name).toBe("ann");
  });

  it("populateExisting overwrites loaded attributes and discards unflushed changes", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession({ autoflush: false, expireOnCommit: false });
    const ann = (await session.get(User, 1)) as User;
    await session.commit();
    ann.name = "pending change";
    await ctx.engine.begin((conn) => conn.execDriverSql("UPDATE users SET email = 'changed@example.com'").then(() => undefined));
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const again = (await session.execute(select(User).where(User.id.eq(1)).executionOptions({ populateExisting: true }))).scalarOne();
    expect(again).toBe(ann);
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    expect(ann.name).toBe("ann");
    expect(ann.email).toBe("changed@example.com");
    expect(session.dirty).toEqual([]);
    expect(session.isModified(ann)).toBe(false);
    recorder.clear();
    await session.flush();
    expect(recorder.statements).toEqual([]);
  });

  it("get() with populateExisting or withForUpdate always runs SQL and refreshes the identity-mapped object", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession({ expireOnCommit: false });
    const ann = (await session.get(User, 1)) as User;
    // Ends the session's transaction: SQLite and PGlite have one connection, and MySQL's snapshot would hide the UPDATE.
    await session.commit();
    await ctx.engine.begin((conn) => conn.execDriverSql("UPDATE users SET name = 'renamed' WHERE id = 1").then(() => undefined));
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect(await session.get(User, 1, { populateExisting: true })).toBe(ann);
    expect(ann.name).toBe("renamed");
    const locked = await session.get(User, 1, { withForUpdate: true });
    expect(locked).toBe(ann);
    expect(summary(recorder.statements)).toEqual(["SELECT users", "SELECT users"]);
    const lockSql = shapes(recorder.statements)[1] as string;
    if (ctx.engine.dialect.capabilities.rowLocking) expect(lockSql).toMatch(/ FOR UPDATE$/);
    else expect(lockSql).not.toMatch(/FOR UPDATE/);
  });

  it("a wrong-shaped key: InvalidRequestError naming the primary key columns, before any SQL", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    for (const key of [[1, 2], [], null, { name: "ann" }]) {
      // @ts-expect-error wrong-shaped keys are compile errors too (the run-time check is for untyped callers)
      const error = await errorOf(() => session.get(User, key));
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toBe(
        "Incorrect number of values in identifier to formulate primary key for session.get(); primary key columns are 'users.id'",
      );
    }
    expect(recorder.all).toEqual([]);
  });

  it("composite primary keys: get() by array or by attribute object, one instance per key", async () => {
    await composite.reset();
    await using session = composite.openSession();
    session.addAll([
      new Enrollment({ courseId: 1, studentId: 1, grade: "A" }),
      new Enrollment({ courseId: 1, studentId: 2, grade: "B" }),
      new Enrollment({ courseId: 2, studentId: 1, grade: "C" }),
    ]);
    await session.commit();
    const recorder = new StatementRecorder(composite.sessionEngine);
    const byArray = (await session.get(Enrollment, [1, 2])) as Enrollment;
    expect(shapes(recorder.statements)).toEqual([
      'SELECT "enrollments"."course_id", "enrollments"."student_id", "enrollments"."grade" FROM "enrollments" ' +
        'WHERE "enrollments"."course_id" = ? AND "enrollments"."student_id" = ?',
    ]);
    expect(recorder.statements[0]?.params).toEqual([1, 2]);
    expect(byArray.grade).toBe("B");
    recorder.clear();
    expect(await session.get(Enrollment, { courseId: 1, studentId: 2 })).toBe(byArray);
    expect(recorder.all).toEqual([]);
    const all = (await session.execute(select(Enrollment).orderBy(Enrollment.courseId, Enrollment.studentId))).scalars().all();
    expect(all).toHaveLength(3);
    expect(all[1]).toBe(byArray);
    expect(new Set(all).size).toBe(3);
  });

  it("composite primary keys: a single value or a partial object is the wrong shape", async () => {
    await composite.reset();
    await using session = composite.openSession();
    const message =
      "Incorrect number of values in identifier to formulate primary key for session.get(); primary key columns are " +
      "'enrollments.course_id', 'enrollments.student_id'";
    // @ts-expect-error one value for a two-column key (a compile error too)
    await expect(async () => session.get(Enrollment, 1)).rejects.toThrow(message);
    // @ts-expect-error half of the key object
    await expect(async () => session.get(Enrollment, { courseId: 1 })).rejects.toThrow(message);
    await expect(async () => session.get(Enrollment, [1, 2, 3])).rejects.toThrow(message);
    expect(await countRows(composite.engine, "enrollments")).toBe(0);
  });
});
