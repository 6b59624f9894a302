import { beforeEach, expect, it } from "vitest";
import { select, withPolymorphic } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Chef, ConcreteBase, Pilot, Worker } from "../../../fixtures/inheritance/concrete-table.ts";
import { classOf, shape } from "./inheritance-support.ts";

const CLASSES = { Chef, Pilot, Worker };

describeEachSessionKind("inheritance: concrete table", (db) => {
  const ctx = useSessionDatabase(db, "inherit_concrete", ConcreteBase.metadata);

  beforeEach(async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    session.add(new Worker({ id: 1, name: "ann" }));
    session.add(new Chef({ id: 1, name: "bob", dish: "soup" }));
    session.add(new Pilot({ id: 2, name: "cy", hours: 900 }));
    await session.commit();
  });

  it("DDL: each class a complete table", () => {
    expect(Object.keys(ConcreteBase.metadata.tables.get("chefs")?.c ?? {})).toEqual(["id", "name", "type", "dish"]);
    expect(ConcreteBase.metadata.tables.get("chefs")?.foreignKeys).toEqual([]);
  });

  it("INSERT, UPDATE and DELETE touch the class's own table only", async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    session.add(new Chef({ id: 5, name: "dee", dish: "pie" }));
    await session.flush();
    expect(recorder.statements.map(shape)).toEqual(["INSERT INTO chefs (id, name, type, dish) VALUES (?, ?, ?, ?)"]);
    expect(recorder.statements[0]?.params).toEqual([5, "dee", "chef", "pie"]);
    const bob = (await session.get(Chef, 1)) as Chef;
    recorder.clear();
    bob.dish = "stew";
    await session.flush();
    expect(recorder.statements.map(shape)).toEqual(["UPDATE chefs SET dish=? WHERE chefs.id = ?"]);
    recorder.clear();
    await session.delete(bob);
    await session.flush();
    expect(recorder.statements.map(shape)).toEqual(["DELETE FROM chefs WHERE chefs.id = ?"]);
  });

  it("each class queries its own table; the same key in two tables is two objects", async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const chefs = (await session.scalars(select(Chef))).all();
    expect(recorder.statements.map(shape)).toEqual(["SELECT chefs.id, chefs.name, chefs.type, chefs.dish FROM chefs"]);
    const ann = (await session.get(Worker, 1)) as Worker;
    expect(ann).not.toBe(chefs[0]);
    expect(classOf(ann, CLASSES)).toBe("Worker");
    expect(chefs[0]?.shout()).toBe("BOB");
    expect(chefs[0]).toBeInstanceOf(Worker);
  });

  it("withPolymorphic over concrete classes: one UNION ALL of their tables, each row of its class", async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const all = (await session.scalars(select(withPolymorphic(Worker, [Chef, Pilot])))).all();
    // The CAST's type name is the dialect's (VARCHAR(30) / CHAR(30), INTEGER / SIGNED).
    expect(recorder.statements.map((s) => shape(s).replace(/CAST\(NULL AS [A-Z]+(\(\d+\))?\)/g, "CAST(NULL AS <type>)"))).toEqual([
      "SELECT pjoin.id, pjoin.name, pjoin.type, pjoin.dish, pjoin.hours FROM (" +
        "SELECT workers.id AS id, workers.name AS name, workers.type AS type, CAST(NULL AS <type>) AS dish, CAST(NULL AS <type>) AS hours FROM workers " +
        "UNION ALL SELECT chefs.id AS id, chefs.name AS name, chefs.type AS type, chefs.dish AS dish, CAST(NULL AS <type>) AS hours FROM chefs " +
        "UNION ALL SELECT pilots.id AS id, pilots.name AS name, pilots.type AS type, CAST(NULL AS <type>) AS dish, pilots.hours AS hours FROM pilots) AS pjoin",
    ]);
    const byClass = all.map((w) => [classOf(w, CLASSES), w.id]).sort();
    expect(byClass).toEqual([["Chef", 1], ["Pilot", 2], ["Worker", 1]]);
    const chef = all.find((w) => w instanceof Chef) as Chef;
    expect(chef.dish).toBe("soup");
    expect((all.find((w) => w instanceof Pilot) as Pilot).hours).toBe(900);
    // The union's objects are the ones the class queries give.
    expect(await session.get(Chef, 1)).toBe(chef);
  });

  it("criteria on the union name its columns: withPolymorphic(...).name", async () => {
    await using session = ctx.openSession();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const workers = withPolymorphic(Worker, [Chef, Pilot]);
    const found = (await session.scalars(select(workers).where(workers.name.ne("ann")).orderBy(workers.name))).all();
    expect(shape(recorder.statements[0] as never)).toMatch(/\) AS pjoin WHERE pjoin.name (!=|<>) \? ORDER BY pjoin.name$/);
    expect(found.map((w) => classOf(w, CLASSES))).toEqual(["Chef", "Pilot"]);
  });
});
