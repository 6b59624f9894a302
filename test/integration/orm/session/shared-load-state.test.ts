/**
 * ADR 0016 stage 3: the rows of a plain load hold the state their load shares instead of one each,
 * and get their own on first need. Each row must still behave as an object of its own: touching,
 * expunging or expiring one leaves the others as they were, and closing the session detaches all.
 */
import { expect, it } from "vitest";
import { InvalidRequestError, inspect, joinedload, loadOnly, select, selectinload } from "../../../../src/index.ts";
import { InstanceState, STATE } from "../../../../src/orm/state/instance-state.ts";
import { SharedLoadState } from "../../../../src/orm/state/shared-load-state.ts";
import { describeEachSessionKind, errorOf, expectUnloaded, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, seedAcme, shapes, statusOf, summary } from "./session-support.ts";

/** What the instance holds under `STATE`, without making its own state (as `stateOf` would). */
function held(object: object): unknown {
  return (object as { [STATE]?: unknown })[STATE];
}

describeEachSessionKind("session: rows sharing their load's state", (db) => {
  const ctx = useSessionDatabase(db, "session_shared_state", Base.metadata);

  it("a plain load's rows share one state until one is touched, which then has its own", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const [ann, bob] = (await session.scalars(select(User).orderBy(User.id))).all() as [User, User];
    expect(held(ann)).toBeInstanceOf(SharedLoadState);
    expect(held(ann)).toBe(held(bob));
    expect([ann.name, bob.email]).toEqual(["ann", "bob@example.com"]);
    expect(held(ann)).toBeInstanceOf(SharedLoadState); // reading loaded values makes no state

    ann.name = "ann 2";
    expect(held(ann)).toBeInstanceOf(InstanceState);
    expect(held(bob)).toBeInstanceOf(SharedLoadState);
    expect(session.dirty).toEqual([ann]);
    expect(inspect(bob).modified).toBe(false);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.flush();
    expect(shapes(recorder.statements)).toEqual(['UPDATE "users" SET "name"=? WHERE "users"."id" = ?']);
    expect(recorder.statements[0]?.params).toEqual(["ann 2", 1]);
    await session.rollback();
  });

  it("the identity map hands back the same objects; get() of a shared row runs no SQL", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const users = (await session.scalars(select(User).orderBy(User.id))).all();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect(await session.get(User, 2)).toBe(users[1]);
    expect(recorder.all).toEqual([]);
    expect((await session.scalars(select(User).orderBy(User.id))).all()).toEqual(users);
    expect(session.identityMap.size).toBe(2);
  });

  it("expunging one row detaches it alone; closing the session detaches the rest", async () => {
    await seedAcme(ctx);
    const session = ctx.openSession();
    const [ann, bob] = (await session.scalars(select(User).orderBy(User.id))).all() as [User, User];
    session.expunge(bob);
    expect(statusOf(bob)).toBe("detached");
    expect(held(ann)).toBeInstanceOf(SharedLoadState);
    expect(session.identityMap.size).toBe(1);
    await session.close();
    // Closing changed the shared state, not each row: ann has no state of its own until asked.
    expect(held(ann)).toBeInstanceOf(SharedLoadState);
    expect(inspect(ann).detached).toBe(true);
    expect(held(ann)).toBeInstanceOf(InstanceState);
    expect(ann.name).toBe("ann"); // closing expires nothing

    // A detached row joins another session, as any detached object does, and its change is flushed.
    await using other = ctx.openSession();
    other.add(ann);
    expect(inspect(ann).persistent).toBe(true);
    ann.email = "ann@other.example";
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await other.commit();
    expect(summary(recorder.statements)).toEqual(["UPDATE users"]);
  });

  it("a row that made its own state after loading is detached with the rest when the session closes", async () => {
    await seedAcme(ctx);
    const session = ctx.openSession();
    const [ann, bob] = (await session.scalars(select(User).orderBy(User.id))).all() as [User, User];
    expect(inspect(bob).persistent).toBe(true);
    expect(held(bob)).toBeInstanceOf(InstanceState);
    expect(held(ann)).toBeInstanceOf(SharedLoadState);
    await session.close();
    expect(statusOf(bob)).toBe("detached");
    expect(inspect(bob).detached).toBe(true);
    expect(statusOf(ann)).toBe("detached");
  });

  it("a row still owned by an open session cannot be added to another", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).where(User.id.eq(1)))).one();
    await using other = ctx.openSession();
    expect(await errorOf(() => other.add(ann))).toBeInstanceOf(InvalidRequestError);
    expect(other.new).toEqual([]);
    expect(session.identityMap.size).toBe(1);
    await session.close();
    other.add(ann);
    expect(statusOf(ann)).toBe("persistent");
    expect(other.identityMap.size).toBe(1);
  });

  it("an unloaded relationship of a shared row reads as for any row: MissingGreenlet under async, a load under sync", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).where(User.id.eq(1)))).one();
    expect(held(ann)).toBeInstanceOf(SharedLoadState);
    expectUnloaded(db, ann, "organization", { readLoads: true });
    expect(await ann.awaitableAttrs.organization).toBeInstanceOf(Organization);
  });

  it("commit expires every shared row, each keeping its own identity for the reload", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const [ann, bob] = (await session.scalars(select(User).orderBy(User.id))).all() as [User, User];
    await session.commit();
    expectUnloaded(db, bob, "name");
    await session.refresh(ann);
    await session.refresh(bob);
    expect([ann.name, bob.name]).toEqual(["ann", "bob"]);
  });

  it("rows with a joined many-to-one share theirs, the joined object set on each", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const [ann, bob] = (await session.scalars(select(User).options(joinedload(User.organization)).orderBy(User.id))).all();
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    expect(held(ann as User)).toBeInstanceOf(SharedLoadState);
    expect(held(bob as User)).toBe(held(ann as User));
    expect(ann?.organization.name).toBe("Acme");
    expect(bob?.organization).toBe(ann?.organization);
    expect(recorder.statements).toHaveLength(1);
  });

  it("a joined many-to-one met again on later rows keeps sharing its state; one missing a column this load selects is filled", async () => {
    await seedAcme(ctx);
    {
      await using session = ctx.openSession();
      const [ann, bob] = (await session.scalars(select(User).options(joinedload(User.organization)).orderBy(User.id))).all() as [User, User];
      expect(bob.organization).toBe(ann.organization);
      expect(held(ann.organization)).toBeInstanceOf(SharedLoadState);
    }
    await using session = ctx.openSession();
    const acme = (await session.scalars(select(Organization).options(loadOnly(Organization.id)))).one();
    expect(held(acme)).toBeInstanceOf(SharedLoadState);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const [ann] = (await session.scalars(select(User).options(joinedload(User.organization)).orderBy(User.id))).all() as [User, User];
    expect(ann.organization).toBe(acme);
    expect(acme.name).toBe("Acme");
    expect(recorder.statements).toHaveLength(1);
  });

  it("rows of a load with eager loaders keep states of their own; the children loaded by selectin share theirs", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const acme = (await session.scalars(select(Organization).options(selectinload(Organization.users)))).one();
    expect(held(acme)).toBeInstanceOf(InstanceState);
    const users = acme.users;
    expect(users.map((u) => u.name).sort()).toEqual(["ann", "bob"]);
    expect(held(users[0] as User)).toBeInstanceOf(SharedLoadState);
    // The collection is tracked through the parent's own state: a change is flushed.
    users.pop();
    expect(inspect(acme).modified).toBe(true);
  });
});
