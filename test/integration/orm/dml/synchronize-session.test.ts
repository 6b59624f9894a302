import { beforeEach, expect, it } from "vitest";
import { type AsyncSession, InvalidRequestError, delete_, func, select, update } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { Base, Member, readMembers, seedMembers, statementsOf } from "./dml-support.ts";

/**
 * ORM-enabled UPDATE and DELETE with criteria (SQLAlchemy's "ORM UPDATE and DELETE with Custom
 * WHERE Criteria") and what each `synchronizeSession` leaves in the identity map.
 */
describeEachSessionKind("ORM UPDATE/DELETE synchronizeSession", (db) => {
  const ctx = useSessionDatabase(db, "orm_dml_sync", Base.metadata);
  beforeEach(async () => {
    await ctx.reset();
    await seedMembers(ctx.engine, [
      { id: 1, fullName: "ann", team: "red", loginCount: 1 },
      { id: 2, fullName: "bo", team: "blue", loginCount: 2 },
      { id: 3, fullName: "al", team: "red", loginCount: 3 },
    ]);
  });

  async function loadAll(session: AsyncSession): Promise<[Member, Member, Member]> {
    return (await session.scalars(select(Member).orderBy(Member.id))).all() as [Member, Member, Member];
  }

  const caps = () => ctx.engine.dialect.capabilities;

  it("'evaluate' (the default's choice for plain criteria) updates matching objects in memory with one UPDATE", async () => {
    await using session = ctx.openSession();
    const [ann, bo, al] = await loadAll(session);
    const { sql } = await statementsOf(ctx.sessionEngine, () =>
      session.execute(update(Member).where(Member.team.eq("red")).values({ loginCount: Member.loginCount.add(10) })),
    );
    expect(sql).toEqual([expect.stringMatching(/^UPDATE .dml_members. SET .login_count.=\(?.dml_members.\..login_count. \+ \S+\)?, .edited_by.=\S+ WHERE .dml_members.\..team. = \S+$/)]);
    const { value, sql: none } = await statementsOf(ctx.sessionEngine, () => Promise.resolve([ann.loginCount, bo.loginCount, al.loginCount]));
    expect(value).toEqual([11, 2, 13]);
    expect(none).toEqual([]);
    // The client-side onupdate cannot be known in memory: expired on the matched objects only.
    expect(await ann.awaitableAttrs.editedBy).toBe("orm");
    expect(bo.editedBy).toBeNull();
    await session.commit();
    expect((await readMembers(ctx.engine)).map((r) => r.loginCount)).toEqual([11, 2, 13]);
  });

  it("'evaluate' expires a SET value it cannot compute in memory (a SQL function)", async () => {
    await using session = ctx.openSession();
    const [ann] = await loadAll(session);
    await session.execute(update(Member).where(Member.id.eq(1)).values({ fullName: func.upper(Member.fullName) }));
    if (db.session === "async") expect(() => ann.fullName).toThrow(); // expired (under Session the read would load it)
    expect(await ann.awaitableAttrs.fullName).toBe("ANN");
  });

  it("'evaluate' refuses criteria it cannot evaluate, before any SQL", async () => {
    await using session = ctx.openSession();
    await loadAll(session);
    const { sql } = await statementsOf(ctx.sessionEngine, async () => {
      const stmt = update(Member).where(Member.fullName.like("a%")).values({ team: "green" }).executionOptions({ synchronizeSession: "evaluate" });
      await expect(async () => session.execute(stmt)).rejects.toThrow(InvalidRequestError);
    });
    expect(sql).toEqual([]);
  });

  it("'auto' falls back to 'fetch' for criteria it cannot evaluate: RETURNING the keys, or a SELECT of them first", async () => {
    await using session = ctx.openSession();
    const [ann, bo, al] = await loadAll(session);
    const { sql } = await statementsOf(ctx.sessionEngine, () => session.execute(update(Member).where(Member.fullName.like("a%")).values({ team: "green" })));
    if (caps().updateReturning) {
      expect(sql).toEqual([expect.stringMatching(/^UPDATE .dml_members. SET .* WHERE .dml_members.\..full_name. LIKE \S+ RETURNING .dml_members.\..id.$/)]);
    } else {
      expect(sql).toHaveLength(2);
      expect(sql[0]).toMatch(/^SELECT .dml_members.\..id. FROM .dml_members. WHERE .dml_members.\..full_name. LIKE \S+$/);
      expect(sql[1]).toMatch(/^UPDATE .dml_members. SET .* WHERE .dml_members.\..full_name. LIKE \S+$/);
    }
    expect([ann.team, bo.team, al.team]).toEqual(["green", "blue", "green"]);
  });

  it("'fetch' finds the rows the database matched and updates those objects", async () => {
    await using session = ctx.openSession();
    const [ann, bo] = await loadAll(session);
    await session.execute(update(Member).where(Member.id.in([1, 2])).values({ fullName: "same" }).executionOptions({ synchronizeSession: "fetch" }));
    expect([ann.fullName, bo.fullName]).toEqual(["same", "same"]);
  });

  it("false leaves the objects in memory as they were", async () => {
    await using session = ctx.openSession();
    const [ann] = await loadAll(session);
    await session.execute(update(Member).where(Member.id.eq(1)).values({ fullName: "new" }).executionOptions({ synchronizeSession: false }));
    expect(ann.fullName).toBe("ann");
    await session.commit();
    expect((await readMembers(ctx.engine)).map((r) => r.fullName)).toEqual(["new", "bo", "al"]);
  });

  it("autoflushes first, and expires an attribute with an unflushed change rather than overwrite it (autoflush off)", async () => {
    await using session = ctx.openSession();
    const [ann] = await loadAll(session);
    ann.team = "blue";
    const { sql } = await statementsOf(ctx.sessionEngine, () => session.execute(update(Member).where(Member.team.eq("blue")).values({ loginCount: 0 })));
    expect(sql[0]).toMatch(/^UPDATE .dml_members. SET .team./);
    expect(ann.loginCount).toBe(0);

    session.autoflush = false;
    ann.loginCount = 5;
    await session.execute(update(Member).where(Member.id.eq(1)).values({ loginCount: 6 }));
    expect(session.isModified(ann)).toBe(false);
    expect(await ann.awaitableAttrs.loginCount).toBe(6);
  });

  it("delete 'evaluate': matching objects become deleted, leave the session, and are detached at commit", async () => {
    await using session = ctx.openSession();
    const [ann, bo, al] = await loadAll(session);
    const { sql } = await statementsOf(ctx.sessionEngine, () => session.execute(delete_(Member).where(Member.team.eq("red"))));
    expect(sql).toEqual([expect.stringMatching(/^DELETE FROM .dml_members. WHERE .dml_members.\..team. = \S+$/)]);
    expect([session.contains(ann), session.contains(bo), session.contains(al)]).toEqual([false, true, false]);
    expect(await session.get(Member, 1)).toBeNull();
    await session.commit();
    expect((await readMembers(ctx.engine)).map((r) => r.id)).toEqual([2]);
  });

  it("delete 'fetch': RETURNING the keys (or a SELECT of them first) finds the deleted objects", async () => {
    await using session = ctx.openSession();
    const [ann, bo] = await loadAll(session);
    const { sql } = await statementsOf(ctx.sessionEngine, () =>
      session.execute(delete_(Member).where(Member.fullName.like("b%")).executionOptions({ synchronizeSession: "fetch" })),
    );
    if (caps().deleteReturning) expect(sql).toEqual([expect.stringMatching(/^DELETE FROM .dml_members. WHERE .* RETURNING .dml_members.\..id.$/)]);
    else expect(sql.map((s) => s.split(" ")[0])).toEqual(["SELECT", "DELETE"]);
    expect([session.contains(ann), session.contains(bo)]).toEqual([true, false]);
  });

  it("a rolled-back ORM DELETE restores its objects to the session", async () => {
    await using session = ctx.openSession();
    const [ann] = await loadAll(session);
    await session.execute(delete_(Member).where(Member.id.eq(1)));
    expect(session.contains(ann)).toBe(false);
    await session.rollback();
    expect(session.contains(ann)).toBe(true);
    expect(await ann.awaitableAttrs.fullName).toBe("ann");
  });

  it("update(Model).returning(Model) gives the updated instances, the same as those in memory", async ({ skip }) => {
    if (!caps().updateReturning) skip("this database has no UPDATE … RETURNING (MariaDB)");
    await using session = ctx.openSession();
    const [ann] = await loadAll(session);
    const returned = (
      await session.execute(update(Member).where(Member.id.eq(1)).values({ loginCount: Member.loginCount.add(1) }).returning(Member))
    )
      .scalars()
      .all();
    expect(returned).toEqual([ann]);
    expect(returned[0]).toBe(ann);
    expect(ann.loginCount).toBe(2);
    expect(ann.editedBy).toBe("orm");
  });
});
