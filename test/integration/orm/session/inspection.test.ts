/**
 * The session surface that goes with the write path: inspect(obj) (status, identity, unloaded
 * attributes, per-attribute history) and getHistory, getOne, noAutoflush, isActive.
 */
import { beforeEach, expect, it } from "vitest";
import { IntegrityError, NoResultFound, getHistory, inspect, select } from "../../../../src/index.ts";
import { GraphBase, Organization, User } from "../../../fixtures/uow-models/graph.ts";
import { asSync, describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { resetGraph } from "../unit-of-work/uow-support.ts";

describeEachSessionKind("inspect, getOne, noAutoflush, isActive", (db) => {
  const ctx = useSessionDatabase(db, "session_inspection", GraphBase.metadata);

  beforeEach(async () => {
    await resetGraph(ctx);
    await using setup = ctx.openSession();
    setup.add(new Organization({ id: 1, name: "Acme" }));
    await setup.flush();
    setup.add(new User({ id: 3, name: "cid", organizationId: 1 }));
    await setup.commit();
  });

  it("inspect() follows an object through transient, pending, persistent, deleted and detached", async () => {
    const user = new User({ id: 9, name: "ivy" });
    expect(inspect(user).status).toBe("transient");
    expect(inspect(user).identity).toBeUndefined();
    await using session = ctx.openSession();
    session.add(user);
    expect(inspect(user).pending).toBe(true);
    await session.flush();
    expect(inspect(user).persistent).toBe(true);
    expect(inspect(user).identity).toEqual([9]);
    await session.delete(user);
    await session.flush();
    expect(inspect(user).deleted).toBe(true);
    await session.commit();
    expect(inspect(user).detached).toBe(true);
  });

  it("inspect().attrs and getHistory: scalar and collection history, unloaded attributes after commit", async () => {
    await using session = ctx.openSession();
    const cid = await session.getOne(User, 3);
    expect(getHistory(cid, "name")).toEqual({ added: [], unchanged: ["cid"], deleted: [] });
    cid.name = "cyd";
    expect(getHistory(cid, "name")).toEqual({ added: ["cyd"], unchanged: [], deleted: ["cid"] });
    expect(inspect(cid).modified).toBe(true);
    expect(inspect(cid).unloaded).toEqual(new Set(["organization", "posts"]));

    const acme = await session.getOne(Organization, 1);
    const users = await acme.awaitableAttrs.users;
    const newcomer = new User({ id: 4, name: "dee" });
    users.push(newcomer);
    expect(inspect(acme).history("users")).toEqual({ added: [newcomer], unchanged: [cid], deleted: [] });

    await session.commit();
    expect(inspect(cid).attrs["name"]).toEqual({ key: "name", loaded: false, loadedValue: undefined, history: { added: [], unchanged: [], deleted: [] } });
    expect(inspect(cid).unloaded.has("name")).toBe(true);
  });

  it("getOne returns the object, or raises NoResultFound naming the key", async () => {
    await using session = ctx.openSession();
    expect((await session.getOne(User, 3)).name).toBe("cid");
    await expect(async () => session.getOne(User, 404)).rejects.toThrow(NoResultFound);
    await expect(async () => session.getOne(User, 404)).rejects.toThrow(/No row was found when one was required: User\(404\)/);
  });

  it("noAutoflush runs its block without autoflushing, then restores autoflush", async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    session.add(new User({ id: 5, name: "eve" }));
    // Session.noAutoflush(work) takes a synchronous function; AsyncSession's an async one.
    const count =
      db.session === "sync"
        ? asSync(session).noAutoflush(() => asSync(session).scalars(select(User)).all().length)
        : await session.noAutoflush(async () => (await session.scalars(select(User))).all().length);
    expect(count).toBe(1); // the pending user was not flushed before the query
    expect(recorder.sql.some((sql) => sql.startsWith("INSERT"))).toBe(false);
    expect(session.autoflush).toBe(true);
    expect((await session.scalars(select(User))).all()).toHaveLength(2);
    expect(recorder.sql.filter((sql) => sql.startsWith("INSERT"))).toHaveLength(1);
    recorder.stop();
  });

  it("isActive is false after a failed flush until rollback()", async () => {
    await using session = ctx.openSession();
    expect(session.isActive).toBe(true);
    session.add(new User({ id: 3, name: "duplicate" }));
    await expect(async () => session.flush()).rejects.toThrow(IntegrityError);
    expect(session.isActive).toBe(false);
    await session.rollback();
    expect(session.isActive).toBe(true);
  });
});
