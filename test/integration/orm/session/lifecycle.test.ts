import { expect, it } from "vitest";
import { InvalidRequestError, select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, countRows, seedAcme, shapes, statusOf, summary } from "./session-support.ts";

describeEachSessionKind("session: object lifecycle", (db) => {
  const ctx = useSessionDatabase(db, "session_lifecycle", Base.metadata);

  it("transient → pending (add, no SQL) → persistent (flush: one INSERT per row) → detached (close)", async () => {
    await ctx.reset();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const session = ctx.openSession();
    const org = new Organization({ id: 1, name: "Acme" });
    const ann = new User({ name: "ann", email: "ann@example.com", organization: org });
    expect(statusOf(ann)).toBe("transient");
    expect(session.contains(ann)).toBe(false);

    session.add(ann);
    expect(statusOf(ann)).toBe("pending");
    expect(statusOf(org)).toBe("pending"); // save-update cascade along ann.organization
    expect(session.contains(ann) && session.contains(org)).toBe(true);
    expect(session.new).toEqual([ann, org]);
    expect(recorder.all).toEqual([]);

    await session.flush();
    expect(summary(recorder.statements)).toEqual(["INSERT organizations", "INSERT users"]);
    expect(shapes(recorder.statements)[0]).toBe('INSERT INTO "organizations" ("id", "name") VALUES (?, ?)');
    expect(statusOf(ann)).toBe("persistent");
    expect(ann.id).toEqual(expect.any(Number));
    expect(ann.organizationId).toBe(1);
    expect(session.new).toEqual([]);
    expect(session.contains(ann)).toBe(true);

    await session.close();
    expect(statusOf(ann)).toBe("detached");
    expect(session.contains(ann)).toBe(false);
    expect(ann.name).toBe("ann"); // loaded values stay readable after close
    expect(await countRows(ctx.engine, "users")).toBe(0); // close() rolled the flush back
  });

  it("dirty and isModified follow attribute writes; a flush UPDATEs only the changed column and clears them", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const ann = (await session.get(User, 1)) as User;
    expect(session.dirty).toEqual([]);
    expect(session.isModified(ann)).toBe(false);
    ann.name = "anne";
    expect(session.dirty).toEqual([ann]);
    expect(session.isModified(ann)).toBe(true);
    ann.name = "ann"; // back to the loaded value: no net change
    expect(session.isModified(ann)).toBe(false);
    ann.email = "anne@example.com";
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.flush();
    expect(shapes(recorder.statements)).toEqual(['UPDATE "users" SET "email"=? WHERE "users"."id" = ?']);
    expect(recorder.statements[0]?.params).toEqual(["anne@example.com", 1]);
    expect(session.dirty).toEqual([]);
    expect(session.isModified(ann)).toBe(false);
  });

  it("delete(): in the deleted view with no SQL, DELETEd at flush (status deleted), detached after commit", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession({ expireOnCommit: false });
    const bob = (await session.get(User, 2)) as User;
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.delete(bob);
    expect(recorder.statements).toEqual([]);
    expect(session.deleted).toEqual([bob]);
    await session.flush();
    expect(shapes(recorder.statements)).toEqual(['DELETE FROM "users" WHERE "users"."id" = ?']);
    expect(statusOf(bob)).toBe("deleted");
    expect(session.deleted).toEqual([]);
    expect(session.contains(bob)).toBe(false);
    await session.commit();
    expect(statusOf(bob)).toBe("detached");
    expect(await countRows(ctx.engine, "users")).toBe(1);
  });

  it("delete() of a pending object just expunges it: nothing is written", async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    const org = new Organization({ id: 7, name: "Temp" });
    session.add(org);
    await session.delete(org);
    expect(statusOf(org)).toBe("transient");
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.flush();
    expect(recorder.statements).toEqual([]);
  });

  it("expunge(): a persistent object becomes detached and a later get() loads a new instance", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const ann = (await session.get(User, 1)) as User;
    session.expunge(ann);
    expect(statusOf(ann)).toBe("detached");
    expect(session.contains(ann)).toBe(false);
    expect(ann.name).toBe("ann");
    ann.name = "changed while detached";
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const again = (await session.get(User, 1)) as User;
    expect(summary(recorder.statements)).toEqual(["SELECT users"]); // not flushed, not in the map
    expect(again).not.toBe(ann);
    expect(again.name).toBe("ann");
  });

  it("expunge() of a pending object makes it transient: it is never INSERTed", async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    const org = new Organization({ id: 3, name: "Gone" });
    const kept = new Organization({ id: 4, name: "Kept" });
    session.addAll([org, kept]);
    session.expunge(org);
    expect(statusOf(org)).toBe("transient");
    expect(session.new).toEqual([kept]);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.commit();
    expect(summary(recorder.statements)).toEqual(["INSERT organizations"]);
    expect(recorder.statements[0]?.params).toEqual([4, "Kept"]);
  });

  it("expunge() of an object the session does not hold: InvalidRequestError naming it", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const stranger = new Organization({ id: 9, name: "Elsewhere" });
    expect(() => session.expunge(stranger)).toThrow(InvalidRequestError);
    expect(() => session.expunge(stranger)).toThrow(/Organization\(id=9\).*not present in this Session/);
  });

  it("expungeAll(): every object (pending and persistent) leaves the session; the next flush writes nothing", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const users = (await session.execute(select(User).orderBy(User.id))).scalars().all();
    const [ann, bob] = users as [User, User];
    ann.name = "unsaved";
    const org = new Organization({ id: 5, name: "New" });
    session.add(org);
    session.expungeAll();
    expect([statusOf(ann), statusOf(bob), statusOf(org)]).toEqual(["detached", "detached", "transient"]);
    expect(session.new).toEqual([]);
    expect(session.dirty).toEqual([]);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.commit();
    expect(recorder.statements).toEqual([]);
    expect(await countRows(ctx.engine, "organizations")).toBe(1);
    expect((await session.get(User, 1))?.name).toBe("ann");
  });

  it("add() of a detached object makes it persistent again in this session, with its changes flushed", async () => {
    await seedAcme(ctx);
    const first = ctx.openSession();
    const ann = (await first.get(User, 1)) as User;
    await first.close();
    ann.name = "anne";
    await using second = ctx.openSession();
    second.add(ann);
    expect(statusOf(ann)).toBe("persistent");
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect(await second.get(User, 1)).toBe(ann);
    expect(recorder.statements).toEqual([]);
    await second.commit();
    expect(shapes(recorder.statements)).toEqual(['UPDATE "users" SET "name"=? WHERE "users"."id" = ?']);
  });
});
