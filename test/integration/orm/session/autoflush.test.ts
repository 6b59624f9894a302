import { expect, it } from "vitest";
import { func, select, text } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, seedAcme, summary } from "./session-support.ts";

describeEachSessionKind("session: autoflush", (db) => {
  const ctx = useSessionDatabase(db, "session_autoflush", Base.metadata);

  it("a pending object is INSERTed right before an ORM query, which then sees it", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    session.add(new User({ id: 3, name: "cy", email: "cy@example.com", organizationId: 1 }));
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const names = (await session.execute(select(User).orderBy(User.id))).scalars().all().map((u) => u.name);
    expect(summary(recorder.statements)).toEqual(["INSERT users", "SELECT users"]);
    expect(names).toEqual(["ann", "bob", "cy"]);
    expect(session.new).toEqual([]);
  });

  it("a change to a persistent object is UPDATEd before a column query (select(User.name)) and a count", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const ann = (await session.get(User, 1)) as User;
    ann.name = "anne";
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const names = (await session.execute(select(User.name).orderBy(User.name))).scalars().all();
    expect(names).toEqual(["anne", "bob"]);
    session.add(new User({ id: 3, name: "cy", email: "cy@example.com", organizationId: 1 }));
    expect(await session.scalar(select(func.count(User.id)))).toBe(3);
    expect(summary(recorder.statements)).toEqual(["UPDATE users", "SELECT users", "INSERT users", "SELECT users"]);
  });

  it("text() statements do not autoflush (as SQLAlchemy: only ORM-enabled statements do)", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    session.add(new Organization({ id: 2, name: "Pending" }));
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.execute(text("SELECT 1"));
    expect(recorder.statements.map((s) => s.sql)).toEqual(["SELECT 1"]);
    expect(session.new).toHaveLength(1);
  });

  it("autoflush: false: the query runs alone and does not see the pending object; flush() writes it later", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession({ autoflush: false });
    const cy = new User({ id: 3, name: "cy", email: "cy@example.com", organizationId: 1 });
    session.add(cy);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const users = (await session.execute(select(User))).scalars().all();
    expect(users).toHaveLength(2);
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    expect(session.new).toEqual([cy]);
    await session.flush();
    expect(summary(recorder.statements)).toEqual(["SELECT users", "INSERT users"]);
  });

  it("session.autoflush can be switched off and on between queries", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    session.autoflush = false;
    session.add(new Organization({ id: 2, name: "Later" }));
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.execute(select(Organization));
    session.autoflush = true;
    const orgs = (await session.execute(select(Organization))).scalars().all();
    expect(orgs).toHaveLength(2);
    expect(summary(recorder.statements)).toEqual(["SELECT organizations", "INSERT organizations", "SELECT organizations"]);
  });
});
