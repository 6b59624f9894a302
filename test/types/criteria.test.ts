import { describe, expect, expectTypeOf, it } from "vitest";
import { BooleanType, Column, Integer, MetaData, Table, declarativeBase, delete_, mappedColumn, select, update } from "../../src/index.ts";
import { type Row, typeOnly } from "./support.ts";

const CriteriaBase = declarativeBase();

class Flagged extends CriteriaBase.model("criteria_flagged", {
  id: mappedColumn(Integer, { primaryKey: true }),
  active: mappedColumn(BooleanType),
  archived: mappedColumn(BooleanType, { nullable: false }),
  count: mappedColumn(Integer),
}) {}

/** ORM `where()` criteria: booleans, nullable booleans too (NULL keeps no row, as in SQL). */
describe("types: where() criteria of an ORM select", () => {
  it("a nullable boolean column is a criterion, and compiles as the column", () => {
    expectTypeOf<Flagged["active"]>().toEqualTypeOf<boolean | null>();
    const nullable = select(Flagged).where(Flagged.active);
    const compared = select(Flagged).where(Flagged.archived, Flagged.active.eq(true));
    expect(nullable.compile().sql).toContain('WHERE "criteria_flagged"."active"');
    expect(compared.compile().sql).toMatch(/"criteria_flagged"."archived" AND "criteria_flagged"."active" = /);
  });

  it("where() keeps the row type", () => {
    const stmt = select(Flagged).where(Flagged.active);
    expectTypeOf<Row<typeof stmt>>().toEqualTypeOf<[Flagged]>();
  });

  it("values that are not booleans are refused", () => {
    typeOnly(() => {
      // @ts-expect-error an integer column is not a criterion
      select(Flagged).where(Flagged.count);
      // @ts-expect-error nor a plain string
      select(Flagged).where("active = 1");
      // @ts-expect-error nor a JavaScript boolean
      select(Flagged).where(true);
    });
  });
});

/** Core statements take nullable booleans as criteria too: `select()`, `having()`, `update()`, `delete_()`. */
describe("types: where() criteria of Core statements", () => {
  const flagged = new Table("criteria_flagged", new MetaData(), {
    id: Column(Integer, { primaryKey: true }),
    active: Column(BooleanType),
    count: Column(Integer),
  });

  it("a nullable boolean column is a criterion of select/having/update/delete", () => {
    expect(select(flagged.c.id).where(flagged.c.active).compile().sql).toContain('WHERE "criteria_flagged"."active"');
    expect(select(flagged.c.active).groupBy(flagged.c.active).having(flagged.c.active).compile().sql).toContain('HAVING "criteria_flagged"."active"');
    expect(update(flagged).values({ count: 1 }).where(flagged.c.active).compile().sql).toContain('WHERE "criteria_flagged"."active"');
    expect(delete_(flagged).where(flagged.c.active).compile().sql).toContain('WHERE "criteria_flagged"."active"');
  });

  it("non-boolean values are still refused", () => {
    typeOnly(() => {
      // @ts-expect-error an integer column is not a criterion
      select(flagged.c.id).where(flagged.c.count);
      // @ts-expect-error nor in update()
      update(flagged).values({ count: 1 }).where(flagged.c.count);
      // @ts-expect-error nor in delete_()
      delete_(flagged).where(flagged.c.count);
    });
  });
});
