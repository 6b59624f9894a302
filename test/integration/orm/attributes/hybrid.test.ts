/**
 * Issue 15: `hybridProperty` and `hybridMethod` on every database — a TypeScript value on
 * instances, an SQL expression on the class, in WHERE, ORDER BY and the columns of a select.
 */
import { beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { Integer, InvalidRequestError, StringType, aliased, declarativeBase, func, hybridProperty, mappedColumn, select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { AttributesBase, Author } from "../../../fixtures/attribute-models/library.ts";
import { AUTHOR_COLUMNS, recorded, seedLibrary } from "./attributes-support.ts";

describeEachSessionKind("computed attributes: hybrids", (db) => {
  const ctx = useSessionDatabase(db, "attrs_hybrid", AttributesBase.metadata);
  beforeAll(() => seedLibrary(ctx.engine));

  it("hybridProperty with an expression: WHERE and ORDER BY use the SQL, instances compute the value", async () => {
    await using session = ctx.openSession();
    const { value, sql, params } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Author).where(Author.shout.ne("LEE")).orderBy(Author.shout.desc()))).all(),
    );
    expect(sql).toEqual([`SELECT ${AUTHOR_COLUMNS} FROM "authors" WHERE upper("authors"."last_name") <> ? ORDER BY upper("authors"."last_name") DESC`]);
    expect(params).toEqual([["LEE"]]);
    expect(value.map((a) => a.shout)).toEqual(["MARSH", "ADAMS"]);
    expectTypeOf(value[0]!.shout).toEqualTypeOf<string>();
  });

  it("selected as a column: its row key is the attribute's name, the value computed by the database", async () => {
    await using session = ctx.openSession();
    const { value, sql } = await recorded(ctx.sessionEngine, async () => (await session.execute(select(Author.id, Author.shout).orderBy(Author.id))).mappings().all());
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/^SELECT "authors"."id", upper\("authors"."last_name"\) AS "\w+" FROM "authors" ORDER BY "authors"."id"$/);
    expect(value.map((r) => (r as Record<string, unknown>)["shout"])).toEqual(["LEE", "MARSH", "ADAMS"]);
    const scalars = (await session.execute(select(Author.shout).orderBy(Author.id))).scalars().all();
    expectTypeOf(scalars).toEqualTypeOf<string[]>();
    expect(scalars).toEqual(["LEE", "MARSH", "ADAMS"]);
  });

  it("hybridProperty without an expression runs its function with the class", async () => {
    await using session = ctx.openSession();
    const { value, sql } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Author).where(Author.display.eq("AnnLee")))).all(),
    );
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/ WHERE \(?("authors"."first_name" \|\| "authors"."last_name"|concat\("authors"."first_name", "authors"."last_name"\))\)? = \?$/);
    expect(value.map((a) => a.id)).toEqual([1]);
    expect(value[0]?.display).toBe("AnnLee");
  });

  it("the setter writes the columns it names, and the flush updates them", async () => {
    await using session = ctx.openSession();
    const bob = (await session.get(Author, 2)) as Author;
    bob.shout = "MARSHALL";
    expect(bob.lastName).toBe("marshall");
    const { sql } = await recorded(ctx.sessionEngine, () => session.flush());
    expect(sql).toEqual(['UPDATE "authors" SET "last_name"=? WHERE "authors"."id" = ?']);
    const shouts = (await session.execute(select(Author.shout).where(Author.id.eq(2)))).scalars().all();
    expect(shouts).toEqual(["MARSHALL"]);
    await session.rollback();
  });

  it("a hybrid without a setter rejects assignment", () => {
    const author = new Author({ firstName: "A", lastName: "B" });
    expect(() => {
      (author as { display: string }).display = "x";
    }).toThrow(InvalidRequestError);
  });

  it("hybridMethod: a method on instances, an expression builder on the class", async () => {
    await using session = ctx.openSession();
    const { value, sql, params } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Author).where(Author.firstNameStartsWith("B")).orderBy(Author.id))).all(),
    );
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/WHERE "authors"."first_name" LIKE .* ORDER BY "authors"."id"$/);
    expect(params[0]).toContain("B%");
    expect(value.map((a) => a.id)).toEqual([2]);
    expect(value[0]?.firstNameStartsWith("B")).toBe(true);
    expect(value[0]?.firstNameStartsWith("A")).toBe(false);
  });
});

describeEachSessionKind("computed attributes: hybrids on an alias", (db) => {
  const ctx = useSessionDatabase(db, "attrs_hybrid_alias", AttributesBase.metadata);
  beforeAll(() => seedLibrary(ctx.engine));

  it("aliased(Author).shout and a hybrid method render on the alias", async () => {
    const Other = aliased(Author, { name: "other" });
    await using session = ctx.openSession();
    const { value, sql } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Other).where(Other.shout.eq("MARSH")).where(Other.firstNameStartsWith("B")))).all(),
    );
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(/ FROM "authors" AS "other" WHERE upper\("other"."last_name"\) = \? AND "other"."first_name" LIKE /);
    expect(value.map((a) => a.id)).toEqual([2]);
  });
});

describe("computed attributes: before the class is registered", () => {
  it("a class-level hybrid throws with the fix until the class is registered, then works", () => {
    const Base = declarativeBase();
    class Tag extends Base.model("tags", { id: mappedColumn(Integer, { primaryKey: true }), label: mappedColumn(StringType(20), { nullable: false }) }) {
      declare readonly loud: string;
      static readonly loud = hybridProperty((t: Tag) => t.label.toUpperCase(), { expression: () => func.upper(Tag.label) });
    }
    expect(() => Tag.loud.eq("X")).toThrow(/used at class level before its model class was registered.*Base\.register\(Model\)/);
    Base.register(Tag);
    expect(select(Tag.id).where(Tag.loud.eq("X")).compile().sql).toContain('upper("tags"."label") =');
    expect(new Tag({ label: "a" }).loud).toBe("A");
  });
});
