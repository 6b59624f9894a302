import { expect, expectTypeOf, it } from "vitest";
import { InvalidRequestError, MultipleResultsFound, NoResultFound, joinedload, select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, seedAcme, summary } from "./session-support.ts";

describeEachSessionKind("session: ORM results", (db) => {
  const ctx = useSessionDatabase(db, "session_results", Base.metadata);

  it("select(User): rows are [User] tuples; scalars() gives the instances", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const rows = (await session.execute(select(User).orderBy(User.id))).all();
    expect(rows).toHaveLength(2);
    expect(rows[0]?.[0]).toBeInstanceOf(User);
    expect(rows[0]?.[0].label).toBe("ann <ann@example.com>"); // the model's own getter
    const users = (await session.scalars(select(User).orderBy(User.id))).all();
    expectTypeOf(users).toEqualTypeOf<User[]>();
    expect(users).toEqual(rows.map((r) => r[0]));
    expect(summary(recorder.statements)).toEqual(["SELECT users", "SELECT users"]);
  });

  it("select(User, Organization).join(Organization): typed tuples in one SELECT with a JOIN", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const rows = (await session.execute(select(User, Organization).join(Organization).orderBy(User.id))).all();
    expectTypeOf(rows).toEqualTypeOf<[User, Organization][]>();
    expect(rows.map(([u, o]) => [u.name, o.name])).toEqual([
      ["ann", "Acme"],
      ["bob", "Acme"],
    ]);
    expect(rows[0]?.[1]).toBe(rows[1]?.[1]); // one Organization instance for both rows
    expect(recorder.statements).toHaveLength(1);
    expect(recorder.statements[0]?.sql.replace(/`/g, '"')).toMatch(/FROM "users" JOIN "organizations" ON "users"\."organization_id" = "organizations"\."id"/);
  });

  it("scalars().first() / .one() / .oneOrNone() / .all() with 0, 1 and 2 rows", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const none = select(User).where(User.id.eq(99));
    const one = select(User).where(User.id.eq(1));
    const two = select(User).orderBy(User.id);
    expect((await session.scalars(none)).first()).toBeNull();
    expect((await session.scalars(none)).oneOrNone()).toBeNull();
    expect((await session.scalars(none)).all()).toEqual([]);
    await expect((async () => (await session.scalars(none)).one())()).rejects.toThrow(NoResultFound);
    await expect((async () => (await session.scalars(none)).one())()).rejects.toThrow("No row was found when one was required");
    const ann = (await session.scalars(one)).one();
    expect(ann.name).toBe("ann");
    expect((await session.scalars(one)).oneOrNone()).toBe(ann);
    expect((await session.scalars(two)).first()).toBe(ann);
    await expect((async () => (await session.scalars(two)).one())()).rejects.toThrow(MultipleResultsFound);
    await expect((async () => (await session.scalars(two)).oneOrNone())()).rejects.toThrow(
      "Multiple rows were found when one or none was required",
    );
    expect(await session.scalar(two)).toBe(ann);
  });

  it("unique(): joined collection rows need it (InvalidRequestError without); with it each parent once", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const statement = select(Organization).options(joinedload(Organization.users));
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const result = await session.execute(statement);
    expect(() => result.all()).toThrow(InvalidRequestError);
    expect(() => result.all()).toThrow(/The unique\(\) method must be invoked on this Result/);
    const orgs = (await session.execute(statement)).scalars().unique().all();
    expect(orgs).toHaveLength(1);
    expect((orgs[0]?.users as User[]).map((u) => u.name).sort()).toEqual(["ann", "bob"]);
    expect((await session.execute(statement)).unique().all()).toHaveLength(1);
    expect(summary(recorder.statements)).toEqual(["SELECT organizations", "SELECT organizations", "SELECT organizations"]);
  });

  it("unique() on plain tuples: by entity identity, keeping the first of each", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const orgs = (await session.execute(select(Organization).join(User).orderBy(User.id))).scalars();
    const unique = orgs.unique().all();
    expect(unique).toHaveLength(1);
    expect(unique[0]).toBeInstanceOf(Organization);
  });

  // Under Session the result is a SyncResult: for await reads a synchronous iterable too.
  it("stream(): a result read with for await, and awaited fetches; streamScalars() the instances", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const names: string[] = [];
    for await (const [user] of await session.stream(select(User).orderBy(User.id))) names.push(user.name);
    expect(names).toEqual(["ann", "bob"]);
    const users: User[] = [];
    for await (const user of await session.streamScalars(select(User).orderBy(User.id))) users.push(user);
    expect(users.map((u) => u.name)).toEqual(["ann", "bob"]);
    expect(await (await session.streamScalars(select(User).where(User.id.eq(2)))).one()).toBe(users[1]);
    expect(await (await session.stream(select(User).orderBy(User.id))).first()).toEqual([users[0]]);
    const partitions: number[] = [];
    for await (const part of (await session.streamScalars(select(User))).partitions(1)) partitions.push(part.length);
    expect(partitions).toEqual([1, 1]);
    expect(summary(recorder.statements)).toEqual(Array(5).fill("SELECT users"));
  });

  it("stream() runs the query's eager loads before it resolves, and unique() works on it", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const result = await session.stream(select(Organization).options(joinedload(Organization.users)));
    const orgs = await result.scalars().unique().all();
    expect(recorder.statements).toHaveLength(1);
    expect((orgs[0]?.users as User[]).length).toBe(2);
  });
});
