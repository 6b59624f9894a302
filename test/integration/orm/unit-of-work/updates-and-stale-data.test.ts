import { afterEach, expect, it } from "vitest";
import { PendingRollbackError, StaleDataError, select } from "../../../../src/index.ts";
import { describeEachSessionKind, errorOf, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { DefaultsBase, Gadget, Sku } from "../../../fixtures/uow-models/defaults.ts";
import { rawRows, shapes } from "./uow-support.ts";

describeEachSessionKind("unit of work: UPDATE and stale rows", (db) => {
  const ctx = useSessionDatabase(db, "uow_updates", DefaultsBase.metadata);
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(w.message);
  afterEach(() => {
    process.off("warning", onWarning);
    warnings.length = 0;
  });

  async function seed(): Promise<void> {
    await ctx.reset();
    await using session = ctx.openSession();
    session.addAll([new Sku({ code: "B", label: "b" }), new Sku({ code: "A", label: "a" }), new Sku({ code: "C", label: "c" })]);
    await session.commit();
  }

  it("updates only the changed columns, only for changed objects, in primary key order", async () => {
    await seed();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const skus = (await session.scalars(select(Sku).orderBy(Sku.code.desc()))).all();
    const [c, b, a] = skus as [Sku, Sku, Sku];
    c.label = "C!";
    a.stock = 5;
    a.label = "A!";
    b.label = "b"; // the value it already has: not a change
    const { statements } = await recorder.during(() => session.flush());
    expect(shapes(statements)).toEqual([
      'UPDATE "skus" SET "label"=?, "stock"=? WHERE "skus"."code" = ?',
      'UPDATE "skus" SET "label"=? WHERE "skus"."code" = ?',
    ]);
    expect(statements.map((s) => s.params)).toEqual([
      ["A!", 5, "A"],
      ["C!", "C"],
    ]);
    // Nothing changed since: a second flush runs nothing.
    expect((await recorder.during(() => session.flush())).statements).toEqual([]);
    await session.commit();
    const rows = await rawRows(ctx.engine, "SELECT code, label, stock FROM skus ORDER BY code");
    expect(rows.map(([code, label, stock]) => [code, label, Number(stock)])).toEqual([
      ["A", "A!", 5],
      ["B", "b", 0],
      ["C", "C!", 0],
    ]);
  });

  it("a change set back to the loaded value is not an UPDATE", async () => {
    await seed();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const a = (await session.get(Sku, "A")) as Sku;
    a.label = "changed";
    a.label = "a";
    expect(session.isModified(a)).toBe(false);
    expect((await recorder.during(() => session.flush())).statements).toEqual([]);
  });

  it("adds the onupdate column to an UPDATE that changes something", async () => {
    await ctx.reset();
    await using session = ctx.openSession({ expireOnCommit: false });
    const gadget = new Gadget({ name: "g" });
    session.add(gadget);
    await session.flush();
    expect(gadget.revision).toBeNull();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    gadget.name = "renamed";
    const { statements } = await recorder.during(() => session.flush());
    expect(shapes(statements)).toEqual(['UPDATE "gadgets" SET "name"=?, "revision"=? WHERE "gadgets"."id" = ?']);
    expect(statements[0]?.params).toEqual(["renamed", "edited", gadget.id]);
    expect(gadget.revision).toBe("edited");
    await session.commit();
  });

  it("raises StaleDataError when the UPDATE matches no row (deleted behind the session's back)", async () => {
    await seed();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const a = (await session.get(Sku, "A")) as Sku;
    const b = (await session.get(Sku, "B")) as Sku;
    // Deleted with plain SQL on the session's own connection: the ORM does not know.
    await (await session.connection()).execDriverSql("DELETE FROM skus WHERE code = 'A'");
    b.label = "b2";
    a.label = "gone";
    recorder.clear();
    const error = await errorOf(() => session.flush());
    expect(error).toBeInstanceOf(StaleDataError);
    if (ctx.engine.dialect.name === "mysql") {
      expect((error as Error).message).toBe("UPDATE statement on table 'skus' expected to update 1 row(s); 0 were matched (Sku(code=\"A\")).");
      // Primary key order: A's UPDATE ran first and failed; the transaction was rolled back.
      expect(shapes(recorder.statements)).toEqual(['UPDATE "skus" SET "label"=? WHERE "skus"."code" = ?']);
    } else {
      // A and B change the same column: one UPDATE for both, which matched one row of two.
      expect((error as Error).message).toBe("UPDATE statement on table 'skus' expected to update 2 row(s); 1 were matched.");
      expect(recorder.statements).toHaveLength(1);
    }
    expect(recorder.all.map((s) => s.sql)).toContain("ROLLBACK");
    await expect(async () => session.execute(select(Sku))).rejects.toBeInstanceOf(PendingRollbackError);
    await session.rollback();
    // The whole transaction was rolled back (the stray DELETE with it): nothing half-written.
    expect(await rawRows(ctx.engine, "SELECT code, label FROM skus ORDER BY code")).toEqual([
      ["A", "a"],
      ["B", "b"],
      ["C", "c"],
    ]);
  });

  it("warns (as SQLAlchemy does without a version counter) when a DELETE matches no row", async () => {
    await seed();
    process.on("warning", onWarning);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const c = (await session.get(Sku, "C")) as Sku;
    await (await session.connection()).execDriverSql("DELETE FROM skus WHERE code = 'C'");
    await session.delete(c);
    const { statements } = await recorder.during(() => session.flush());
    expect(shapes(statements)).toEqual(['DELETE FROM "skus" WHERE "skus"."code" = ?']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual(["DELETE statement on table 'skus' expected to delete 1 row(s); 0 were matched (Sku(code=\"C\"))."]);
    await session.commit();
  });
});
