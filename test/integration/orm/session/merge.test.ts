import { expect, it } from "vitest";
import { joinedload, select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, rawRows, seedAcme, shapes, statusOf, summary } from "./session-support.ts";

describeEachSessionKind("session: merge", (db) => {
  const ctx = useSessionDatabase(db, "session_merge", Base.metadata);

  it("merge(detached): one SELECT by primary key, state copied onto the persistent instance it returns; only the change is UPDATEd", async () => {
    await seedAcme(ctx);
    const loader = ctx.openSession();
    const detached = (await loader.get(User, 1)) as User;
    await loader.close();
    detached.name = "anne";

    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const merged = await session.merge(detached);
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    expect(merged).not.toBe(detached);
    expect(merged).toBeInstanceOf(User);
    expect(statusOf(merged)).toBe("persistent");
    expect(statusOf(detached)).toBe("detached");
    expect(merged.name).toBe("anne");
    expect(session.dirty).toEqual([merged]);
    recorder.clear();
    // A repeat merge: the same instance and no SELECT (identity map); like SQLAlchemy's merge it
    // autoflushes first, so the pending change is written now and commit has nothing left.
    expect(await session.merge(detached)).toBe(merged);
    expect(shapes(recorder.statements)).toEqual(['UPDATE "users" SET "name"=? WHERE "users"."id" = ?']);
    recorder.clear();
    await session.commit();
    expect(summary(recorder.statements)).toEqual([]);
    expect(await rawRows(ctx.engine, "SELECT name FROM users WHERE id = 1")).toEqual([["anne"]]);
  });

  it("merge() of an object whose key is already in the identity map: no SQL, that instance returned", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const ann = (await session.get(User, 1)) as User;
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const merged = await session.merge(new User({ id: 1, name: "from elsewhere", email: "ann@example.com", organizationId: 1 }));
    expect(merged).toBe(ann);
    expect(ann.name).toBe("from elsewhere");
    expect(recorder.statements).toEqual([]);
  });

  it("merge() of a transient object with no row: a new pending instance, INSERTed at flush", async () => {
    await seedAcme(ctx);
    await using session = ctx.openSession();
    const source = new Organization({ id: 2, name: "Merged" });
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const merged = await session.merge(source);
    expect(merged).not.toBe(source);
    expect(statusOf(merged)).toBe("pending");
    expect(statusOf(source)).toBe("transient");
    await session.flush();
    expect(summary(recorder.statements)).toEqual(["SELECT organizations", "INSERT organizations"]);
    expect(recorder.statements[1]?.params).toEqual([2, "Merged"]);
  });

  it("merge cascades along loaded relationships: a detached graph comes back as persistent instances, one SELECT per object not in the map", async () => {
    await seedAcme(ctx);
    const loader = ctx.openSession();
    const detached = (await loader.scalars(select(User).options(joinedload(User.organization)).where(User.id.eq(1)))).one();
    await loader.close();
    const organization = detached.organization as Organization;
    organization.name = "Acme Corp";

    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const merged = await session.merge(detached);
    expect(summary(recorder.statements)).toEqual(["SELECT users", "SELECT organizations"]);
    const mergedOrganization = merged.organization as Organization;
    expect(mergedOrganization).not.toBe(organization);
    expect(statusOf(mergedOrganization)).toBe("persistent");
    expect(mergedOrganization.name).toBe("Acme Corp");
    expect(session.dirty).toContain(mergedOrganization);
    recorder.clear();
    await session.commit();
    // The user's relationship was set to the organization it already referenced: no UPDATE of users.
    expect(shapes(recorder.statements)).toEqual(['UPDATE "organizations" SET "name"=? WHERE "organizations"."id" = ?']);
    expect(await rawRows(ctx.engine, "SELECT name FROM organizations WHERE id = 1")).toEqual([["Acme Corp"]]);
  });
});
