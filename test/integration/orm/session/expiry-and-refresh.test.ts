import { expect, it } from "vitest";
import { AsyncSession, InvalidRequestError, MissingGreenlet, select } from "../../../../src/index.ts";
import { describeEachDatabase } from "../../../support/databases.ts";
import { useIsolatedDatabase } from "../../../support/isolated-database.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, seedAcme, shapes, summary } from "./session-support.ts";

const USER_BY_ID = 'SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id" FROM "users" WHERE "users"."id" = ?';

describeEachDatabase("session: expiry and refresh", (db) => {
  const ctx = useIsolatedDatabase(db, "session_expiry", Base.metadata);

  it("expireOnCommit (default): reading after commit raises MissingGreenlet naming class, key, attribute, cause and fixes; no SQL", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    const user = (await session.get(User, 1)) as User;
    user.name = "anne";
    await session.commit();
    const recorder = new StatementRecorder(ctx.engine);
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
    await using session = new AsyncSession(ctx.engine);
    const user = (await session.get(User, 1)) as User;
    user.name = "anne";
    await session.commit();
    const recorder = new StatementRecorder(ctx.engine);
    await session.refresh(user);
    expect(shapes(recorder.statements)).toEqual([USER_BY_ID]);
    expect(recorder.statements[0]?.params).toEqual([1]);
    expect([user.id, user.name, user.email]).toEqual([1, "anne", "ann@example.com"]);
    expect(recorder.statements).toHaveLength(1);
  });

  it("awaitableAttrs after commit: one SELECT loading every expired column", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    const user = (await session.get(User, 1)) as User;
    await session.commit();
    const recorder = new StatementRecorder(ctx.engine);
    expect(await user.awaitableAttrs.name).toBe("ann");
    expect(user.email).toBe("ann@example.com");
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    expect(shapes(recorder.statements)[0]).toMatch(/^SELECT "users"\."id", "users"\."name", "users"\."email", "users"\."organization_id" FROM "users" WHERE/);
  });

  it("expireOnCommit: false keeps every value readable after commit, with no SQL", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine, { expireOnCommit: false });
    const user = (await session.get(User, 1)) as User;
    user.name = "anne";
    await session.commit();
    const recorder = new StatementRecorder(ctx.engine);
    expect([user.id, user.name, user.email, user.organizationId]).toEqual([1, "anne", "ann@example.com", 1]);
    expect(recorder.all).toEqual([]);
  });

  it("a nested (savepoint) commit does not expire", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    const user = (await session.get(User, 1)) as User;
    const savepoint = await session.beginNested();
    user.name = "anne";
    await savepoint.commit();
    expect(user.name).toBe("anne");
    await session.rollback();
  });

  it("expire(obj, names) unloads only those attributes and keeps other unflushed changes", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    const user = (await session.get(User, 1)) as User;
    user.name = "anne";
    user.email = "discarded@example.com";
    session.expire(user, ["email"]);
    expect(() => user.email).toThrow(/User\(id=1\)\.email is not loaded: it was expired/);
    expect(user.name).toBe("anne");
    expect(session.dirty).toEqual([user]);
    const recorder = new StatementRecorder(ctx.engine);
    await session.flush();
    expect(shapes(recorder.statements)).toEqual(['UPDATE "users" SET "name"=? WHERE "users"."id" = ?']);
    expect(recorder.statements[0]?.params).toEqual(["anne", 1]);
  });

  it("expire(obj) discards every unflushed change; the next refresh is one SELECT", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    const user = (await session.get(User, 1)) as User;
    user.name = "discarded";
    session.expire(user);
    expect(session.dirty).toEqual([]);
    expect(() => user.name).toThrow(MissingGreenlet);
    const recorder = new StatementRecorder(ctx.engine);
    await session.flush();
    expect(recorder.statements).toEqual([]);
    await session.refresh(user);
    expect(user.name).toBe("ann");
    expect(shapes(recorder.statements)).toEqual([USER_BY_ID]);
  });

  it("expireAll() expires every instance in the identity map", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    const users = (await session.execute(select(User).orderBy(User.id))).scalars().all();
    const org = (await session.get(Organization, 1)) as Organization;
    session.expireAll();
    for (const object of [...users, org]) expect(() => (object as { name: string }).name).toThrow(MissingGreenlet);
    const recorder = new StatementRecorder(ctx.engine);
    const again = (await session.execute(select(User).orderBy(User.id))).scalars().all();
    expect(again).toEqual(users);
    expect((users[0] as User).name).toBe("ann"); // the re-select filled the expired attributes
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
  });

  it("refresh(obj, names): one SELECT of just those columns; other attributes and their changes are untouched", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine, { autoflush: false });
    const user = (await session.get(User, 1)) as User;
    user.name = "discarded";
    user.email = "kept@example.com";
    const recorder = new StatementRecorder(ctx.engine);
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
    await using session = new AsyncSession(ctx.engine);
    const org = (await session.get(Organization, 1)) as Organization;
    const recorder = new StatementRecorder(ctx.engine);
    await session.refresh(org, ["users"]);
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    expect((org.users as User[]).map((u) => u.name).sort()).toEqual(["ann", "bob"]);
  });

  it("refresh() of a transient object, or of a row that is gone: InvalidRequestError naming it", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine, { expireOnCommit: false });
    const stranger = new Organization({ id: 5, name: "New" });
    await expect(session.refresh(stranger)).rejects.toThrow(InvalidRequestError);
    await expect(session.refresh(stranger)).rejects.toThrow("Instance 'Organization(id=5)' is not persistent within this Session");
    const bob = (await session.get(User, 2)) as User;
    await session.commit();
    await ctx.engine.begin((conn) => conn.execDriverSql("DELETE FROM users WHERE id = 2").then(() => undefined));
    await expect(session.refresh(bob)).rejects.toThrow("Could not refresh instance 'User(id=2)'");
    await expect(session.refresh(bob, ["name"])).rejects.toThrow("Could not refresh instance 'User(id=2)'");
  });
});
