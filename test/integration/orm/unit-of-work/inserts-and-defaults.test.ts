import { expect, it } from "vitest";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { DefaultsBase, Gadget, Sku } from "../../../fixtures/uow-models/defaults.ts";
import { rawRows, shapes } from "./uow-support.ts";

describeEachSessionKind("unit of work: INSERT batching, keys and defaults", (db) => {
  const ctx = useSessionDatabase(db, "uow_inserts", DefaultsBase.metadata);

  it("inserts rows with known primary keys in one multi-row INSERT", async () => {
    await ctx.reset();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const skus = [new Sku({ code: "A-1", label: "one" }), new Sku({ code: "A-2", label: "two" }), new Sku({ code: "A-3", label: "three" })];
    session.addAll(skus);
    const { statements } = await recorder.during(() => session.flush());

    const returning = ctx.engine.dialect.capabilities.insertReturning;
    expect(shapes(statements)).toEqual([
      'INSERT INTO "skus" ("code", "label") VALUES (?, ?), (?, ?), (?, ?)' +
        (returning ? ' RETURNING "skus"."code", "skus"."stock"' : ""),
    ]);
    expect(statements[0]?.params).toEqual(["A-1", "one", "A-2", "two", "A-3", "three"]);
    // The server default came back with the keys (matched by key), where RETURNING exists.
    if (returning) expect(skus.map((s) => s.stock)).toEqual([0, 0, 0]);
    await session.commit();
    const rows = await rawRows(ctx.engine, "SELECT code, stock FROM skus ORDER BY code");
    expect(rows.map(([code, stock]) => [code, Number(stock)])).toEqual([
      ["A-1", 0],
      ["A-2", 0],
      ["A-3", 0],
    ]);
  });

  it("fetches generated keys and server defaults back, and applies client defaults", async () => {
    await ctx.reset();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const first = new Gadget({ name: "first" });
    const second = new Gadget({ name: "second", createdBy: "ann", status: "used" });
    session.addAll([first, second]);
    const { statements } = await recorder.during(() => session.flush());

    if (ctx.engine.dialect.capabilities.insertReturning) {
      // Different column lists (second sets status), so two statements; keys come back by RETURNING.
      expect(shapes(statements)).toEqual([
        'INSERT INTO "gadgets" ("name", "created_by", "serial") VALUES (?, ?, ?) RETURNING "gadgets"."id", "gadgets"."status", "gadgets"."rank"',
        'INSERT INTO "gadgets" ("name", "created_by", "serial", "status") VALUES (?, ?, ?, ?) RETURNING "gadgets"."id", "gadgets"."rank"',
      ]);
      expect([first.status, first.rank, second.status, second.rank]).toEqual(["new", 7, "used", 7]);
    } else {
      expect(shapes(statements)).toEqual([
        'INSERT INTO "gadgets" ("name", "created_by", "serial") VALUES (?, ?, ?)',
        'INSERT INTO "gadgets" ("name", "created_by", "serial", "status") VALUES (?, ?, ?, ?)',
      ]);
    }
    // Keys from RETURNING or lastInsertId; client defaults kept on the objects.
    expect(first.id).toEqual(expect.any(Number));
    expect(second.id).toBeGreaterThan(first.id);
    expect([first.createdBy, second.createdBy]).toEqual(["system", "ann"]);
    expect(second.serial).toBe((first.serial as number) + 1);
    expect(statements[0]?.params).toEqual(["first", "system", first.serial]);
    await session.commit();
  });

  it("batches new rows needing generated keys when RETURNING gives them back, in row order", async () => {
    await ctx.reset();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const gadgets = ["g1", "g2", "g3", "g4"].map((name) => new Gadget({ name }));
    session.addAll(gadgets);
    const { statements } = await recorder.during(() => session.flush());
    if (ctx.engine.dialect.capabilities.insertReturning) {
      expect(shapes(statements)).toEqual([
        'INSERT INTO "gadgets" ("name", "created_by", "serial") VALUES (?, ?, ?), (?, ?, ?), (?, ?, ?), (?, ?, ?) ' +
          'RETURNING "gadgets"."id", "gadgets"."status", "gadgets"."rank"',
      ]);
    } else {
      expect(statements.length).toBe(4);
    }
    const ids = gadgets.map((g) => g.id);
    expect(new Set(ids).size).toBe(4);
    await session.commit();
    // Each object got the key of its own row.
    const rows = await rawRows(ctx.engine, "SELECT id, name FROM gadgets ORDER BY id");
    expect(rows.map(([id, name]) => [Number(id), name])).toEqual(ids.map((id, i) => [id, `g${i + 1}`]));
  });
});
