import { expect, it } from "vitest";
import { AsyncSession } from "../../../../src/index.ts";
import { describeEachDatabase } from "../../../support/databases.ts";
import { useIsolatedDatabase } from "../../../support/isolated-database.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, rawRows, seedAcme, shapes, statusOf, summary } from "./session-support.ts";

describeEachDatabase("session: merge", (db) => {
  const ctx = useIsolatedDatabase(db, "session_merge", Base.metadata);

  it("merge(detached): one SELECT by primary key, state copied onto the persistent instance it returns; only the change is UPDATEd", async () => {
    await seedAcme(ctx);
    const loader = new AsyncSession(ctx.engine);
    const detached = (await loader.get(User, 1)) as User;
    await loader.close();
    detached.name = "anne";

    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const merged = await session.merge(detached);
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    expect(merged).not.toBe(detached);
    expect(merged).toBeInstanceOf(User);
    expect(statusOf(merged)).toBe("persistent");
    expect(statusOf(detached)).toBe("detached");
    expect(merged.name).toBe("anne");
    expect(session.dirty).toEqual([merged]);
    recorder.clear();
    expect(await session.merge(detached)).toBe(merged); // a repeat merge: the same instance, no SELECT
    expect(recorder.statements).toEqual([]);
    await session.commit();
    expect(shapes(recorder.statements)).toEqual(['UPDATE "users" SET "name"=? WHERE "users"."id" = ?']);
    expect(await rawRows(ctx.engine, "SELECT name FROM users WHERE id = 1")).toEqual([["anne"]]);
  });

  it("merge() of an object whose key is already in the identity map: no SQL, that instance returned", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    const ann = (await session.get(User, 1)) as User;
    const recorder = new StatementRecorder(ctx.engine);
    const merged = await session.merge(new User({ id: 1, name: "from elsewhere", email: "ann@example.com", organizationId: 1 }));
    expect(merged).toBe(ann);
    expect(ann.name).toBe("from elsewhere");
    expect(recorder.statements).toEqual([]);
  });

  it("merge() of a transient object with no row: a new pending instance, INSERTed at flush", async () => {
    await seedAcme(ctx);
    await using session = new AsyncSession(ctx.engine);
    const source = new Organization({ id: 2, name: "Merged" });
    const recorder = new StatementRecorder(ctx.engine);
    const merged = await session.merge(source);
    expect(merged).not.toBe(source);
    expect(statusOf(merged)).toBe("pending");
    expect(statusOf(source)).toBe("transient");
    await session.flush();
    expect(summary(recorder.statements)).toEqual(["SELECT organizations", "INSERT organizations"]);
    expect(recorder.statements[1]?.params).toEqual([2, "Merged"]);
  });
});
