import { describe, expect, expectTypeOf, it } from "vitest";
import { BooleanType, Integer, declarativeBase, mappedColumn, select } from "../../src/index.ts";
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
