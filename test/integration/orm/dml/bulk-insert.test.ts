import { beforeEach, expect, expectTypeOf, it } from "vitest";
import { ArgumentError, insert, update } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { Base, Member, readMembers, statementsOf } from "./dml-support.ts";

/**
 * ORM bulk INSERT (SQLAlchemy's "ORM Bulk INSERT Statements"): `session.execute(insert(Model), [sets])`
 * with sets keyed by attribute, client-side defaults applied, run as multi-row INSERTs; with
 * `returning(Model)`, identity-mapped instances. Rows are read back on a connection of their own.
 */
describeEachSessionKind("ORM bulk INSERT", (db) => {
  const ctx = useSessionDatabase(db, "orm_dml_bulk_insert", Base.metadata);
  beforeEach(() => ctx.reset());

  it("takes sets keyed by attribute (not column name), applies client defaults, and runs one multi-row INSERT", async () => {
    await using session = ctx.openSession();
    const { value: result, sql } = await statementsOf(ctx.sessionEngine, () =>
      session.execute(insert(Member), [
        { id: 1, fullName: "ann", loginCount: 5 },
        { id: 2, fullName: "bo", loginCount: 7 },
        { id: 3, fullName: "cy", loginCount: 9 },
      ]),
    );
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/^INSERT INTO .dml_members. \(.id., .full_name., .login_count., .team.\) VALUES \(.+\), \(.+\), \(.+\)$/);
    expect(result.rowsAffected).toBe(3);
    // Not added to the session, and the identity map is left alone.
    expect(session.new).toEqual([]);
    expect(session.identityMap.size).toBe(0);
    await session.commit();
    expect(await readMembers(ctx.engine)).toEqual([
      { id: 1, fullName: "ann", team: "red", loginCount: 5, editedBy: null },
      { id: 2, fullName: "bo", team: "red", loginCount: 7, editedBy: null },
      { id: 3, fullName: "cy", team: "red", loginCount: 9, editedBy: null },
    ]);
  });

  it("refuses a set naming what is not a column attribute, before any SQL", async () => {
    await using session = ctx.openSession();
    const { sql } = await statementsOf(ctx.sessionEngine, async () => {
      await expect(async () => session.execute(insert(Member), [{ fullName: "ann", full_name: "x" } as never])).rejects.toThrow(ArgumentError);
    });
    expect(sql).toEqual([]);
  });

  it("runs sets naming different attributes as one INSERT per run of sets naming the same", async () => {
    await using session = ctx.openSession();
    const { sql } = await statementsOf(ctx.sessionEngine, () =>
      session.execute(insert(Member), [
        { id: 1, fullName: "ann" },
        { id: 2, fullName: "bo" },
        { id: 3, fullName: "cy", team: "blue" },
      ]),
    );
    expect(sql).toHaveLength(2);
    expect(sql[0]).toMatch(/\(.id., .full_name., .team., .login_count.\) VALUES \(.+\), \(.+\)$/);
    expect(sql[1]).toMatch(/\(.id., .full_name., .team., .login_count.\) VALUES \([^)]+\)$/);
    await session.commit();
    expect((await readMembers(ctx.engine)).map((r) => r.team)).toEqual(["red", "red", "blue"]);
  });

  it("returning(Model) gives identity-mapped instances in parameter order, not added as pending", async ({ skip }) => {
    if (!ctx.engine.dialect.capabilities.insertReturning) skip("this database has no INSERT … RETURNING");
    await using session = ctx.openSession();
    const { value: result, sql } = await statementsOf(ctx.sessionEngine, () =>
      session.execute(insert(Member).returning(Member), [
        { fullName: "ann", team: "red" },
        { fullName: "bo", team: "blue" },
      ]),
    );
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/^INSERT INTO .dml_members. .* RETURNING .dml_members.\..id., .dml_members.\..full_name., /);
    const members = result.scalars().all();
    expectTypeOf(members).toEqualTypeOf<Member[]>();
    expect(members.map((m) => [m.fullName, m.team, m.loginCount])).toEqual([
      ["ann", "red", 0],
      ["bo", "blue", 0],
    ]);
    expect(members.every((m) => m instanceof Member && session.contains(m))).toBe(true);
    expect(session.new).toEqual([]);
    // In the identity map: get() finds each with no SQL.
    const { value: again, sql: none } = await statementsOf(ctx.sessionEngine, () => session.get(Member, (members[1] as Member).id));
    expect(again).toBe(members[1]);
    expect(none).toEqual([]);
    await session.commit();
    expect((await readMembers(ctx.engine)).map((r) => r.fullName)).toEqual(["ann", "bo"]);
  });

  it("returning(column, Model) gives tuples of values and instances", async ({ skip }) => {
    if (!ctx.engine.dialect.capabilities.insertReturning) skip("this database has no INSERT … RETURNING");
    await using session = ctx.openSession();
    const rows = (await session.execute(insert(Member).returning(Member.fullName, Member), [{ id: 7, fullName: "ann" }])).all();
    expectTypeOf(rows).toEqualTypeOf<[string, Member][]>();
    expect(rows).toHaveLength(1);
    const [name, member] = rows[0] as [string, Member];
    expect(name).toBe("ann");
    expect(member.id).toBe(7);
    expect(session.contains(member)).toBe(true);
  });

  it("types the values of insert(Model) and update(Model) by attribute", () => {
    expectTypeOf(update(Member).values({ fullName: "x" })).not.toBeNever();
    // Type checks only: these would throw if run.
    const misuse = (): void => {
      // @ts-expect-error a string attribute takes a string
      update(Member).values({ fullName: 1 });
      // @ts-expect-error the column's name is not an attribute
      update(Member).values({ full_name: "x" });
      // @ts-expect-error the model has no such attribute
      insert(Member).values({ nope: 1 });
    };
    expect(misuse).toBeTypeOf("function");
  });
});
