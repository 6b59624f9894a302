/**
 * Issue 15: `validates()` on every database — runs in the constructor and on assignment,
 * transforms or rejects, and the flush writes what it returned; loading does not run it.
 */
import { beforeAll, expect, it } from "vitest";
import { select, update } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { AttributesBase, Author } from "../../../fixtures/attribute-models/library.ts";
import { recorded, seedLibrary } from "./attributes-support.ts";

describeEachSessionKind("computed attributes: validates", (db) => {
  const ctx = useSessionDatabase(db, "attrs_validates", AttributesBase.metadata);
  beforeAll(() => seedLibrary(ctx.engine));

  it("the constructor runs the validator: the value is transformed before the INSERT", async () => {
    await using session = ctx.openSession();
    const dee = new Author({ id: 10, firstName: "Dee", lastName: "Ng", email: "DEE@Example.COM" });
    expect(dee.email).toBe("dee@example.com");
    session.add(dee);
    const { params } = await recorded(ctx.sessionEngine, () => session.flush());
    expect(params).toEqual([[10, "Dee", "Ng", "dee@example.com"]]);
    await session.rollback();
  });

  it("assignment runs the validator; a rejected value leaves the attribute and the flush unchanged", async () => {
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(Author).where(Author.id.eq(1)))).one();
    expect(() => {
      ann.email = "not-an-address";
    }).toThrow("not an email address: not-an-address");
    expect(ann.email).toBe("ann@example.com");
    ann.email = "ANN@ELSEWHERE.ORG";
    expect(ann.email).toBe("ann@elsewhere.org");
    const { sql, params } = await recorded(ctx.sessionEngine, () => session.flush());
    expect(sql).toEqual(['UPDATE "authors" SET "email"=? WHERE "authors"."id" = ?']);
    expect(params).toEqual([["ann@elsewhere.org", 1]]);
    await session.rollback();
  });

  it("one validator for several keys runs for each of them", () => {
    const author = new Author({ firstName: "  Dee ", lastName: " Ng" });
    expect([author.firstName, author.lastName]).toEqual(["Dee", "Ng"]);
    author.surname = " Lo ";
    expect(author.lastName).toBe("Lo");
  });

  it("a rejected value in the constructor throws there", () => {
    expect(() => new Author({ firstName: "X", lastName: "Y", email: "nope" })).toThrow("not an email address: nope");
  });

  it("rows loaded from the database are not validated", async () => {
    await ctx.engine.begin((conn) => conn.execute(update(Author).values({ email: "CY@EXAMPLE.COM" }).where(Author.id.eq(3))));
    {
      await using session = ctx.openSession();
      const cy = (await session.scalars(select(Author).where(Author.id.eq(3)))).one();
      expect(cy.email).toBe("CY@EXAMPLE.COM");
    }
    await ctx.engine.begin((conn) => conn.execute(update(Author).values({ email: "cy@example.com" }).where(Author.id.eq(3))));
  });
});
