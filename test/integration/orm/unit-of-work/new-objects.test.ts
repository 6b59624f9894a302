import { expect, it } from "vitest";
import { UnsetValueError, inspect } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { DefaultsBase, Gadget, Sku } from "../../../fixtures/uow-models/defaults.ts";
import { thrown } from "../../loading/loading-support.ts";

/**
 * A new object's columns before and after its INSERT. The types call a primary key and a NOT NULL
 * column `T` (no null), so a new object without a value for one raises `UnsetValueError` on read
 * rather than answering null (SQLAlchemy's None); nullable columns read null as in SQLAlchemy.
 */
describeEachSessionKind("unit of work: reading a new object's columns", (db) => {
  const ctx = useSessionDatabase(db, "uow_new_objects", DefaultsBase.metadata);

  it("a generated key and a NOT NULL server default raise UnsetValueError before the flush, naming the fix; nullable columns read null", async () => {
    await ctx.reset();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const gadget = new Gadget({ name: "lamp" });
    for (const phase of ["transient", "pending"] as const) {
      if (phase === "pending") session.add(gadget);
      expect(inspect(gadget)[phase]).toBe(true);
      const idError = thrown(() => gadget.id);
      expect(idError).toBeInstanceOf(UnsetValueError);
      expect(idError.message).toMatch(/^Gadget\.id has no value yet: the database generates it when the object is inserted\. .*read it after await session\.flush\(\)/);
      const statusError = thrown(() => gadget.status);
      expect(statusError).toBeInstanceOf(UnsetValueError);
      expect(statusError.message).toMatch(/^Gadget\.status has no value yet: the database generates it/);
      expect(gadget.createdBy).toBeNull(); // nullable, client default applied at flush
      expect(gadget.rank).toBeNull(); // nullable, server default
      expect(gadget.name).toBe("lamp");
    }
    expect(recorder.statements).toEqual([]);
    await session.flush();
    expect(typeof gadget.id).toBe("number");
    expect(gadget.createdBy).toBe("system");
    expect(await gadget.awaitableAttrs.status).toBe("new");
  });

  it("an assigned key reads as given; a NOT NULL server default raises until the INSERT", async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    const sku = new Sku({ code: "B-1", label: "bolt" });
    expect(sku.code).toBe("B-1");
    expect(thrown(() => sku.stock).message).toMatch(/^Sku\.stock has no value yet/);
    session.add(sku);
    await session.flush();
    expect(await sku.awaitableAttrs.stock).toBe(0);
  });

  it("assigning the column makes it readable before the flush", async () => {
    await using session = ctx.openSession();
    const gadget = new Gadget({ name: "fan", status: "old" });
    gadget.id = 41;
    session.add(gadget);
    expect([gadget.id, gadget.status]).toEqual([41, "old"]);
  });
});
