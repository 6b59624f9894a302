import { beforeEach, expect, it } from "vitest";
import { ArgumentError, InvalidRequestError, StaleDataError, update } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { Base, Member, readMembers, seedMembers, statementsOf } from "./dml-support.ts";

/**
 * ORM bulk UPDATE by primary key (SQLAlchemy's "ORM Bulk UPDATE by Primary Key"):
 * `session.execute(update(Model), [sets])`, each set keyed by attribute and holding the primary
 * key; one `UPDATE … WHERE pk = ?` per set; the identity map's objects with those keys follow.
 */
describeEachSessionKind("ORM bulk UPDATE by primary key", (db) => {
  const ctx = useSessionDatabase(db, "orm_dml_bulk_update", Base.metadata);
  beforeEach(async () => {
    await ctx.reset();
    await seedMembers(ctx.engine, [
      { id: 1, fullName: "ann" },
      { id: 2, fullName: "bo" },
      { id: 3, fullName: "cy" },
    ]);
  });

  it("runs UPDATE … SET (by column name) WHERE pk = ? once per set, with the client-side onupdate", async () => {
    await using session = ctx.openSession();
    const { value: result, sql } = await statementsOf(ctx.sessionEngine, () =>
      session.execute(update(Member), [
        { id: 1, fullName: "ann2" },
        { id: 3, fullName: "cy2", loginCount: 4 },
      ]),
    );
    expect(sql).toHaveLength(2);
    expect(sql[0]).toMatch(/^UPDATE .dml_members. SET .full_name.=\S+, .edited_by.=\S+ WHERE .dml_members.\..id. = \S+$/);
    expect(sql[1]).toMatch(/^UPDATE .dml_members. SET .full_name.=\S+, .login_count.=\S+, .edited_by.=\S+ WHERE .dml_members.\..id. = \S+$/);
    expect(result.rowsAffected).toBe(2);
    await session.commit();
    expect(await readMembers(ctx.engine)).toEqual([
      { id: 1, fullName: "ann2", team: "red", loginCount: 0, editedBy: "orm" },
      { id: 2, fullName: "bo", team: "red", loginCount: 0, editedBy: null },
      { id: 3, fullName: "cy2", team: "red", loginCount: 4, editedBy: "orm" },
    ]);
  });

  it("updates the identity map's objects with those keys in memory; the onupdate attribute is expired", async () => {
    await using session = ctx.openSession();
    const ann = (await session.get(Member, 1)) as Member;
    const bo = (await session.get(Member, 2)) as Member;
    await session.execute(update(Member), [{ id: 1, fullName: "ann2", loginCount: 8 }]);
    const { value: read, sql } = await statementsOf(ctx.sessionEngine, () => Promise.resolve([ann.fullName, ann.loginCount, bo.fullName]));
    expect(read).toEqual(["ann2", 8, "bo"]);
    expect(sql).toEqual([]);
    expect(session.isModified(ann)).toBe(false);
    expect(session.dirty).toEqual([]);
    expect(await ann.awaitableAttrs.editedBy).toBe("orm");
  });

  it("leaves the objects in memory as they are with synchronizeSession: false", async () => {
    await using session = ctx.openSession();
    const ann = (await session.get(Member, 1)) as Member;
    await session.execute(update(Member).executionOptions({ synchronizeSession: false }), [{ id: 1, fullName: "ann2" }]);
    expect(ann.fullName).toBe("ann");
    await session.refresh(ann);
    expect(ann.fullName).toBe("ann2");
  });

  it("refuses a set without the primary key with ArgumentError, before any SQL", async () => {
    await using session = ctx.openSession();
    const { sql } = await statementsOf(ctx.sessionEngine, async () => {
      const run = async () => session.execute(update(Member), [{ id: 1, fullName: "ann2" }, { fullName: "nobody" }]);
      await expect(run).rejects.toThrow(ArgumentError);
      await expect(run).rejects.toThrow(/No primary key value supplied for "id" in parameter set 1/);
    });
    expect(sql).toEqual([]);
    expect((await readMembers(ctx.engine)).map((r) => r.fullName)).toEqual(["ann", "bo", "cy"]);
  });

  it("raises StaleDataError when a key matches no row", async () => {
    await using session = ctx.openSession();
    await expect(async () => session.execute(update(Member), [{ id: 1, fullName: "x" }, { id: 99, fullName: "y" }])).rejects.toThrow(StaleDataError);
  });

  it("refuses synchronizeSession 'fetch', as SQLAlchemy does, before any SQL", async () => {
    await using session = ctx.openSession();
    const { sql } = await statementsOf(ctx.sessionEngine, async () => {
      await expect(async () => session.execute(update(Member).executionOptions({ synchronizeSession: "fetch" }), [{ id: 1, fullName: "x" }])).rejects.toThrow(
        InvalidRequestError,
      );
    });
    expect(sql).toEqual([]);
  });
});
