import { beforeEach, expect, it } from "vitest";
import { StaleDataError, update } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Invoice, VersionedBase } from "../../../fixtures/inheritance/versioned-joined.ts";
import { shape } from "./inheritance-support.ts";

describeEachSessionKind("inheritance: a version counter on a joined-table hierarchy", (db) => {
  const ctx = useSessionDatabase(db, "inherit_versioned", VersionedBase.metadata);

  beforeEach(async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    session.add(new Invoice({ id: 1, title: "a", amount: 10 }));
    await session.commit();
  });

  it("a change in the subclass table bumps the base row's version, checking the loaded one", async () => {
    await using session = ctx.openSession();
    const invoice = (await session.get(Invoice, 1)) as Invoice;
    expect(invoice.version).toBe(1);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    invoice.amount = 20;
    await session.flush();
    expect(recorder.statements.map(shape)).toEqual([
      "UPDATE documents SET version=? WHERE documents.id = ? AND documents.version = ?",
      "UPDATE invoices SET amount=? WHERE invoices.id = ?",
    ]);
    expect(invoice.version).toBe(2);
  });

  it("a row changed by someone else since it was loaded: StaleDataError, nothing written", async () => {
    await using session = ctx.openSession();
    const invoice = (await session.get(Invoice, 1)) as Invoice;
    // Someone else's write, behind the object's back (a Core UPDATE of the table).
    const documents = VersionedBase.metadata.tables.get("documents");
    await session.execute(update(documents as never).values({ version: 5 } as never));
    invoice.amount = 30;
    await expect(async () => session.flush()).rejects.toThrow(StaleDataError);
  });
});
