/**
 * Issue 15: `synonym()` on every database — another name for a column or a relationship, at class
 * level (WHERE, ORDER BY, loader options) and on instances (read, write, constructor).
 */
import { beforeAll, expect, expectTypeOf, it } from "vitest";
import { select, selectinload } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { AttributesBase, Author, type Post } from "../../../fixtures/attribute-models/library.ts";
import { AUTHOR_COLUMNS, recorded, seedLibrary } from "./attributes-support.ts";

describeEachSessionKind("computed attributes: synonym", (db) => {
  const ctx = useSessionDatabase(db, "attrs_synonym", AttributesBase.metadata);
  beforeAll(() => seedLibrary(ctx.engine));

  it("at class level it is the column: WHERE, ORDER BY and a selected column render the column", async () => {
    expect(Author.surname).toBe(Author.lastName);
    await using session = ctx.openSession();
    const { value, sql, params } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Author).where(Author.surname.ne("Lee")).orderBy(Author.surname))).all(),
    );
    expect(sql).toEqual([`SELECT ${AUTHOR_COLUMNS} FROM "authors" WHERE "authors"."last_name" <> ? ORDER BY "authors"."last_name"`]);
    expect(params).toEqual([["Lee"]]);
    expect(value.map((a) => a.surname)).toEqual(["Adams", "Marsh"]);
    expectTypeOf(value[0]!.surname).toEqualTypeOf<string>();
    const names = (await session.execute(select(Author.surname).orderBy(Author.id))).scalars().all();
    expect(names).toEqual(["Lee", "Marsh", "Adams"]);
  });

  it("on instances it reads and writes the attribute, the constructor included; the flush updates the column", async () => {
    expect(new Author({ firstName: "A", surname: "Bee" }).lastName).toBe("Bee");
    await using session = ctx.openSession();
    const cy = (await session.get(Author, 3)) as Author;
    cy.surname = "Adamson";
    expect(cy.lastName).toBe("Adamson");
    const { sql, params } = await recorded(ctx.sessionEngine, () => session.flush());
    expect(sql).toEqual(['UPDATE "authors" SET "last_name"=? WHERE "authors"."id" = ?']);
    expect(params).toEqual([["Adamson", 3]]);
    await session.rollback();
  });

  it("a synonym of a relationship is the relationship: loader options and any() take it", async () => {
    expect(Author.writings).toBe(Author.posts);
    await using session = ctx.openSession();
    const { value, sql } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Author).where(Author.writings.any()).options(selectinload(Author.writings)).orderBy(Author.id))).all(),
    );
    expect(sql).toHaveLength(2);
    expect(sql[0]).toContain("WHERE EXISTS (SELECT 1 FROM \"posts\" WHERE \"authors\".\"id\" = \"posts\".\"author_id\")");
    expect(value.map((a) => (a.writings as Post[]).length)).toEqual([2, 1]);
  });
});
