import { expect, it } from "vitest";
import { InvalidRequestError, MissingGreenlet, select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, seedAcme, shapes, summary } from "./session-support.ts";

const USER_BY_ID = 'SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id" FROM "users" WHERE "users"."id" = ?';

describeEachSessionKind("session: expiry and refresh", (db) => {
  const ctx = useSessionDatabase(db, "session_expiry", Base.metadata);

  it("expireOnCommit (default): reading after commit raises MissingGreenlet naming class, key, attribute, cause and fixes; no SQL", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const user = (await session.get(User, 1)) as User;
    user.name = "anne";
    await session.commit();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    if (db.session === "sync") {
      // Under Session the read is the load: one SELECT of every expired column, then no more SQL.
      expect(user.name).toBe("anne");
      expect([user.id, user.email]).toEqual([1, "ann@example.com"]);
      expect(shapes(recorder.statements)).toEqual([USER_BY_ID]);
      return;
    }
    let error: unknown;
    try {
      void user.name;
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingGreenlet);
    const message = (error as Error).message;
    expect(message).toContain("User(id=1).name");
    expect(message).toContain("expired by commit");
    expect(message).toContain("await session.refresh(user)");
    expect(message).toContain("expireOnCommit: false");
    expect(message).toContain("await user.awaitableAttrs.name");
    expect((error as MissingGreenlet).code).toBe("xd2s");
    // The primary key is expired too, and so is the relationship.
    expect(() => user.id).toThrow(/User\(id=1\)\.id is not loaded: it was expired by commit/);
    expect(() => user.organization).toThrow(MissingGreenlet);
    expect(recorder.all).toEqual([]);
  });

  it("refresh(obj) after commit: one SELECT of every column, then the values read without SQL", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const user = (await session.get(User, 1)) as User;
    user.name = "anne";
    await session.commit();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.refresh(user);
    expect(shapes(recorder.statements)).toEqual([USER_BY_ID]);
    expect(recorder.statements[0]?.params).toEqual([1]);
    expect([user.id, user.name, user.email]).toEqual([1, "anne", "ann@example.com"]);
    expect(recorder.statements).toHaveLength(1);
  });

  it("awaitableAttrs after commit: one SELECT loading every expired column", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const user = (await session.get(User, 1)) as User;
    await session.commit();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect(await user.awaitableAttrs.name).toBe("ann");
    expect(user.email).toBe("ann@example.com");
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    expect(shapes(recorder.statements)[0]).toMatch(/^SELECT "users"\."id", "users"\."name", "users"\."email", "users"\."organization_id" FROM "users" WHERE/);
  });

  it("expireOnCommit: false keeps every value readable after commit, with no SQL", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession({ expireOnCommit: false });
    const user = (await session.get(User, 1)) as User;
    user.name = "anne";
    await session.commit();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect([user.id, user.name, user.email, user.organizationId]).toEqual([1, "anne", "ann@example.com", 1]);
    expect(recorder.all).toEqual([]);
  });

  it("a nested (savepoint) commit does not expire", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const user = (await session.get(User, 1)) as User;
    const savepoint = await session.beginNested();
    user.name = "anne";
    await savepoint.commit();
    expect(user.name).toBe("anne");
    await session.rollback();
  });

  it("expire(obj, names) unloads only those attributes and keeps other unflushed changes", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const user = (await session.get(User, 1)) as User;
    user.name = "anne";
    user.email = "discarded@example.com";
    session.expire(user, ["email"]);
    // Under Session the read would load it (autoflushing the name first): read at the end instead.
    if (db.session === "async") expect(() => user.email).toThrow(/User\(id=1\)\.email is not loaded: it was expired/);
    expect(user.name).toBe("anne");
    expect(session.dirty).toEqual([user]);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.flush();
    expect(shapes(recorder.statements)).toEqual(['UPDATE "users" SET "name"=? WHERE "users"."id" = ?']);
    expect(recorder.statements[0]?.params).toEqual(["anne", 1]);
    if (db.session === "sync") expect(user.email).toBe("ann@example.com"); // loaded on read: the unflushed change was discarded
  });

  it("expire(obj) discards every unflushed change; the next refresh is one SELECT", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const user = (await session.get(User, 1)) as User;
    user.name = "discarded";
    session.expire(user);
    expect(session.dirty).toEqual([]);
    if (db.session === "async") expect(() => user.name).toThrow(MissingGreenlet);
    else expect(user.name).toBe("ann"); // Session loads it: the change was discarded
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.flush();
    expect(recorder.statements).toEqual([]);
    await session.refresh(user);
    expect(user.name).toBe("ann");
    expect(shapes(recorder.statements)).toEqual([USER_BY_ID]);
  });

  it("expireAll() expires every instance in the identity map", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const users = (await session.execute(select(User).orderBy(User.id))).scalars().all();
    const org = (await session.get(Organization, 1)) as Organization;
    session.expireAll();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    if (db.session === "async") for (const object of [...users, org]) expect(() => (object as { name: string }).name).toThrow(MissingGreenlet);
    const again = (await session.execute(select(User).orderBy(User.id))).scalars().all();
    expect(again).toEqual(users);
    expect((users[0] as User).name).toBe("ann"); // the re-select filled the expired attributes
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
  });

  it("refresh(obj, names): one SELECT of just those columns; other attributes and their changes are untouched", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession({ autoflush: false });
    const user = (await session.get(User, 1)) as User;
    user.name = "discarded";
    user.email = "kept@example.com";
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.refresh(user, ["name"]);
    expect(shapes(recorder.statements)).toEqual(['SELECT "users"."name" FROM "users" WHERE "users"."id" = ?']);
    expect(recorder.statements[0]?.params).toEqual([1]);
    expect(user.name).toBe("ann");
    expect(user.email).toBe("kept@example.com");
    expect(session.isModified(user)).toBe(true);
    recorder.clear();
    await session.flush();
    expect(shapes(recorder.statements)).toEqual(['UPDATE "users" SET "email"=? WHERE "users"."id" = ?']);
  });

  it("refresh(obj, [relationship]) loads a lazy relationship (2.0 behaviour) with its own SELECT", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const org = (await session.get(Organization, 1)) as Organization;
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.refresh(org, ["users"]);
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    expect((org.users as User[]).map((u) => u.name).sort()).toEqual(["ann", "bob"]);
  });

  it("refresh() of a transient object, or of a row that is gone: InvalidRequestError naming it", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession({ expireOnCommit: false });
    const stranger = new Organization({ id: 5, name: "New" });
    await expect(async () => session.refresh(stranger)).rejects.toThrow(InvalidRequestError);
    await expect(async () => session.refresh(stranger)).rejects.toThrow("Instance 'Organization(id=5)' is not persistent within this Session");
    const bob = (await session.get(User, 2)) as User;
    await session.commit();
    await ctx.engine.begin((conn) => conn.execDriverSql("DELETE FROM users WHERE id = 2").then(() => undefined));
    await expect(async () => session.refresh(bob)).rejects.toThrow("Could not refresh instance 'User(id=2)'");
    await expect(async () => session.refresh(bob, ["name"])).rejects.toThrow("Could not refresh instance 'User(id=2)'");
  });
});
