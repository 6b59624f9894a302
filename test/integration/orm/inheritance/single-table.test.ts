import { beforeEach, expect, it } from "vitest";
import { joinedload, listen, remove, select, selectinload } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Boss, Coder, Company, LeadCoder, SingleBase, StaffMember } from "../../../fixtures/inheritance/single-table.ts";
import { classOf, shape } from "./inheritance-support.ts";

const CLASSES = { LeadCoder, Coder, Boss, StaffMember };

describeEachSessionKind("inheritance: single table", (db) => {
  const ctx = useSessionDatabase(db, "inherit_single", SingleBase.metadata);

  beforeEach(async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    session.add(new Company({ id: 1, name: "acme" }));
    session.add(new StaffMember({ id: 1, name: "ann", companyId: 1 }));
    session.add(new Boss({ id: 2, name: "bob", bossName: "big", companyId: 1 }));
    session.add(new Coder({ id: 3, name: "cy", language: "ts", companyId: 1 }));
    session.add(new LeadCoder({ id: 4, name: "di", language: "rust", teamSize: 4 }));
    await session.commit();
  });

  it("DDL: one table holds every class's columns", () => {
    const table = SingleBase.metadata.tables.get("staff");
    expect(Object.keys(table?.c ?? {})).toEqual(["id", "name", "kind", "companyId", "bossName", "language", "teamSize"]);
  });

  it("INSERT writes the discriminator of each class", async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    session.add(new Boss({ id: 10, name: "eve", bossName: "x" }));
    await session.flush();
    expect(recorder.statements.map(shape)).toEqual(["INSERT INTO staff (id, name, kind, boss_name) VALUES (?, ?, ?, ?)"]);
    expect(recorder.statements[0]?.params).toEqual([10, "eve", "boss", "x"]);
    const raw = await session.execute(select(StaffMember.kind).where(StaffMember.id.eq(10)));
    expect(raw.scalar()).toBe("boss");
  });

  it("a query of the base returns each row as the class its discriminator names, in one statement", async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const all = (await session.scalars(select(StaffMember).orderBy(StaffMember.id))).all();
    expect(recorder.statements.map(shape)).toEqual([
      "SELECT staff.id, staff.name, staff.kind, staff.company_id, staff.boss_name, staff.language, staff.team_size FROM staff ORDER BY staff.id",
    ]);
    expect(all.map((e) => classOf(e, CLASSES))).toEqual(["StaffMember", "Boss", "Coder", "LeadCoder"]);
    const [ann, bob, cy, di] = all;
    expect(bob).toBeInstanceOf(StaffMember);
    expect(bob instanceof Boss && bob.bossName).toBe("big");
    expect(cy instanceof Coder && cy.language).toBe("ts");
    expect(di instanceof LeadCoder && di.teamSize).toBe(4);
    expect(di).toBeInstanceOf(Coder);
    expect(ann).not.toBeInstanceOf(Boss);
    // Methods and statics come from the parent.
    expect(bob?.greeting()).toBe("hello, bob");
    expect(Boss.describeAll()).toBe("staff members");
  });

  it("a query of a subclass adds `kind IN (…)` of it and its subclasses", async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const coders = (await session.scalars(select(Coder).orderBy(Coder.id))).all();
    expect(recorder.statements.map(shape)).toEqual([
      "SELECT staff.id, staff.name, staff.kind, staff.company_id, staff.language, staff.team_size FROM staff WHERE staff.kind IN (?, ?) ORDER BY staff.id",
    ]);
    expect(recorder.statements[0]?.params).toEqual(["coder", "lead"]);
    expect(coders.map((e) => classOf(e, CLASSES))).toEqual(["Coder", "LeadCoder"]);
    const bosses = (await session.scalars(select(Boss).where(Boss.bossName.eq("big")))).all();
    expect(bosses.map((b) => b.id)).toEqual([2]);
  });

  it("one identity: the row loaded through the base and through the subclass is one object", async () => {
    await using session = ctx.openSession();
    const all = (await session.scalars(select(StaffMember).orderBy(StaffMember.id))).all();
    const boss = await session.get(Boss, 2);
    expect(boss).toBe(all[1]);
    const again = (await session.scalars(select(Boss))).one();
    expect(again).toBe(boss);
    // The key of a row of another class is no Boss.
    expect(await session.get(Boss, 1)).toBeNull();
    expect(await session.get(Coder, 4)).toBe(all[3]);
  });

  it("UPDATE of a subclass column and DELETE of a subclass row", async () => {
    {
      await using session = ctx.openSession();
      const recorder = new StatementRecorder(ctx.sessionEngine);
      const di = (await session.get(LeadCoder, 4)) as LeadCoder;
      recorder.clear();
      di.teamSize = 9;
      di.name = "dee";
      await session.commit();
      expect(recorder.statements.map(shape)).toEqual(["UPDATE staff SET name=?, team_size=? WHERE staff.id = ?"]);
      const bob = (await session.get(Boss, 2)) as Boss;
      recorder.clear();
      await session.delete(bob);
      await session.commit();
      expect(recorder.statements.map(shape)).toEqual(["DELETE FROM staff WHERE staff.id = ?"]);
    }
    await using session = ctx.openSession();
    const rows = (await session.scalars(select(StaffMember).orderBy(StaffMember.id))).all();
    expect(rows.map((r) => r.id)).toEqual([1, 3, 4]);
    expect((rows[2] as LeadCoder).teamSize).toBe(9);
  });

  it("a relationship to the base class loads subclass instances (selectin, joined)", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    {
      await using session = ctx.openSession();
      const acme = (await session.scalars(select(Company).options(selectinload(Company.staff)))).one();
      expect(recorder.statements).toHaveLength(2);
      expect(shape(recorder.statements[1] as never)).toContain("staff.boss_name, staff.language, staff.team_size FROM staff WHERE staff.company_id IN");
      expect(acme.staff.map((e) => classOf(e, CLASSES)).sort()).toEqual(["Boss", "Coder", "StaffMember"]);
    }
    await using other = ctx.openSession();
    recorder.clear();
    const joined = (await other.scalars(select(Company).options(joinedload(Company.staff)))).unique().one();
    expect(recorder.statements).toHaveLength(1);
    expect(joined.staff.map((e) => classOf(e, CLASSES)).sort()).toEqual(["Boss", "Coder", "StaffMember"]);
    const bob = joined.staff.find((e) => e.id === 2);
    expect(bob instanceof Boss && bob.bossName).toBe("big");
  });

  it("a lazy relationship to the base class loads subclass instances", async () => {
    await using session = ctx.openSession();
    const acme = (await session.get(Company, 1)) as Company;
    const staff = await acme.awaitableAttrs.staff;
    expect(staff.map((e) => classOf(e, CLASSES)).sort()).toEqual(["Boss", "Coder", "StaffMember"]);
    const boss = (await session.scalars(select(Boss))).one();
    expect(await boss.awaitableAttrs.company).toBe(acme);
  });

  it("ofType(subclass) in a join: the discriminator values join the ON clause", async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const found = (await session.scalars(select(Company).join(Company.staff.ofType(Coder)).where(Coder.language.eq("ts")))).all();
    expect(recorder.statements.map(shape)).toEqual([
      "SELECT companies.id, companies.name FROM companies JOIN staff ON staff.company_id = companies.id AND staff.kind IN (?, ?) WHERE staff.language = ?",
    ]);
    expect(recorder.statements[0]?.params).toEqual(["coder", "lead", "ts"]);
    expect(found.map((c) => c.id)).toEqual([1]);
    const none = (await session.scalars(select(Company).join(Company.staff.ofType(LeadCoder)).where(LeadCoder.language.eq("ts")))).all();
    expect(none).toEqual([]);
  });

  it("the load event of the base class fires for each row of a base query, whatever class its discriminator names (regression: polymorphic rows fired none, subclass rows never reached the base's listeners)", async () => {
    const loaded: string[] = [];
    const onLoad = (target: object) => void loaded.push(`${classOf(target, CLASSES)} ${(target as StaffMember).name}`);
    listen(StaffMember, "load", onLoad, { propagate: true });
    try {
      await using session = ctx.openSession();
      const staff = (await session.scalars(select(StaffMember).orderBy(StaffMember.id))).all();
      expect(loaded).toEqual(staff.map((s) => `${classOf(s, CLASSES)} ${s.name}`));
      expect(loaded.some((l) => l.startsWith("Boss ")) && loaded.some((l) => l.startsWith("Coder "))).toBe(true);
    } finally {
      remove(StaffMember, "load", onLoad);
    }
  });

  it("join(SingleTableSubclass) puts the discriminator values in the ON clause (regression: it joined every row of the table)", async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const names = (await session.execute(select(Company.name, Coder.name.label("coder")).join(Coder).orderBy(Coder.id))).all();
    expect(recorder.statements.map(shape)).toEqual([
      "SELECT companies.name, staff.name AS coder FROM companies JOIN staff ON staff.company_id = companies.id AND staff.kind IN (?, ?) ORDER BY staff.id",
    ]);
    expect(recorder.statements[0]?.params).toEqual(["coder", "lead"]);
    const coders = (await session.scalars(select(StaffMember).where(StaffMember.kind.in(["coder", "lead"])))).all();
    expect(names.map((r) => r.coder).sort()).toEqual(coders.filter((c) => c.companyId !== null).map((c) => c.name).sort());
  });

  it("a relationship to a subclass loads only rows of that class (selectin, joined, lazy)", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    {
      await using session = ctx.openSession();
      const acme = (await session.scalars(select(Company).options(selectinload(Company.coders)))).one();
      expect(recorder.statements).toHaveLength(2);
      expect(shape(recorder.statements[1] as never)).toMatch(/WHERE staff.company_id IN \(\?\) AND staff.kind IN \(\?, \?\)/);
      expect(acme.coders.map((c) => c.id)).toEqual([3]);
    }
    {
      await using session = ctx.openSession();
      recorder.clear();
      const acme = (await session.scalars(select(Company).options(joinedload(Company.coders)))).unique().one();
      expect(recorder.statements).toHaveLength(1);
      expect(shape(recorder.statements[0] as never)).toContain("AND staff_1.kind IN (?, ?)");
      expect(acme.coders.map((c) => c.id)).toEqual([3]);
    }
    await using session = ctx.openSession();
    const acme = (await session.get(Company, 1)) as Company;
    expect((await acme.awaitableAttrs.coders).map((c) => classOf(c, CLASSES))).toEqual(["Coder"]);
  });
});
