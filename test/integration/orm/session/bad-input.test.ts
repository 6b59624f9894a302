import { expect, it } from "vitest";
import { ArgumentError, InvalidRequestError, UnmappedError } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, countRows, seedAcme } from "./session-support.ts";

class NotAModel {
  name = "plain";
}

describeEachSessionKind("session: bad input", (db) => {
  const ctx = useSessionDatabase(db, "session_bad_input", Base.metadata);

  it("add() of an instance of an unmapped class: UnmappedError naming the class; nothing written", async () => {
    await seedAcme(ctx);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    expect(() => session.add(new NotAModel())).toThrow(UnmappedError);
    expect(() => session.add(new NotAModel())).toThrow("session.add() needs a mapped object; got an instance of NotAModel");
    expect(() => session.addAll([new Organization({ id: 2, name: "ok" }), { id: 3 }])).toThrow(/got an instance of Object/);
    await expect(async () => session.delete(new NotAModel())).rejects.toThrow(UnmappedError);
    expect(() => session.isModified(new NotAModel())).toThrow(UnmappedError);
    await expect(async () => session.get(NotAModel, 1)).rejects.toThrow("Class 'NotAModel' is not mapped");
    expect(recorder.all).toEqual([]);
  });

  it("delete() of a transient object: InvalidRequestError naming it, no SQL", async () => {
    await seedAcme(ctx);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const transient = new Organization({ id: 5, name: "Nowhere" });
    await expect(async () => session.delete(transient)).rejects.toThrow(InvalidRequestError);
    await expect(async () => session.delete(transient)).rejects.toThrow("Instance 'Organization(id=5)' is not persisted");
    expect(recorder.all).toEqual([]);
  });

  it("assigning a value of the wrong type: ArgumentError naming class and attribute, value unchanged", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const ann = (await session.get(User, 1)) as User;
    expect(() => {
      (ann as { name: unknown }).name = 42;
    }).toThrow(ArgumentError);
    expect(() => {
      (ann as { name: unknown }).name = 42;
    }).toThrow("User.name takes a string, got number 42");
    expect(() => {
      (ann as { organizationId: unknown }).organizationId = "1";
    }).toThrow('User.organizationId takes an integer number, got the string "1"');
    expect(() => {
      (ann as { organizationId: unknown }).organizationId = 1.5;
    }).toThrow("User.organizationId takes an integer number, got number 1.5");
    expect(() => new User({ name: 7 as never, email: "ann@example.com" })).toThrow("User.name takes a string, got number 7");
    expect(ann.name).toBe("ann");
    expect(session.dirty).toEqual([]);
  });

  it("a constructor given an attribute the model does not map: ArgumentError naming both", () => {
    expect(() => new User({ nickname: "x" } as never)).toThrow('User has no mapped attribute "nickname"');
  });

  it("expire() / refresh() of an attribute the model does not have: InvalidRequestError naming it", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const ann = (await session.get(User, 1)) as User;
    // @ts-expect-error not an attribute of User (caught at compile time too)
    expect(() => session.expire(ann, ["nickname"])).toThrow("User has no attribute 'nickname'");
    // @ts-expect-error not an attribute of User (caught at compile time too)
    await expect(async () => session.refresh(ann, ["nickname"])).rejects.toThrow("User has no attribute 'nickname'");
    expect(ann.name).toBe("ann");
  });

  it("add() of an object that belongs to another session: InvalidRequestError; the other session keeps it", async () => {
    await seedAcme(ctx);
    await using first = ctx.openSession({ expireOnCommit: false });
    const ann = (await first.get(User, 1)) as User;
    await first.commit(); // SQLite/PGlite: one connection, so release it before the second session
    await using second = ctx.openSession();
    expect(() => second.add(ann)).toThrow(InvalidRequestError);
    expect(() => second.add(ann)).toThrow(/User\(id=1\).*already attached to another session/);
    expect(first.contains(ann)).toBe(true);
    expect(second.contains(ann)).toBe(false);
    expect(await countRows(ctx.engine, "users")).toBe(2);
  });
});
