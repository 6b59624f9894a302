import { describe, expectTypeOf, it } from "vitest";
import { CheckConstraint, Column, Index, MetaData, Table, type TableColumn } from "../../../src/core/schema/index.ts";
import type { ColumnElement, JsonElement } from "../../../src/core/sql/column-element.ts";
import { any_ } from "../../../src/core/sql/elements.ts";
import { ARRAY, Integer, Json, StringType, Text, TypeDecorator } from "../../../src/core/types/index.ts";
import { declarativeBase } from "../../../src/orm/declarative/declarative-base.ts";
import { mappedColumn } from "../../../src/orm/mapping/mapped-column.ts";

describe("schema feature types", () => {
  it("a tableArgs function sees the model's columns by attribute key, typed; unknown keys do not compile", () => {
    const Base = declarativeBase();
    Base.model(
      "typed_args",
      { id: mappedColumn(Integer, { primaryKey: true }), balance: mappedColumn(Integer, { nullable: false }) },
      {
        tableArgs: [
          (c) => {
            expectTypeOf(c.balance).toEqualTypeOf<TableColumn<number, "balance">>();
            // @ts-expect-error: no such column
            void c.nope;
            return new CheckConstraint(c.balance.ge(0));
          },
          { comment: "typed" },
        ],
      },
    );
    // @ts-expect-error: a table option is an object of known keys
    new Table("t", new MetaData(), { a: Column(Integer) }, { coment: "typo" });
  });

  it("ARRAY values nest by dimensions; getItem and any_ give the element types; JSON items are JsonElement", () => {
    const t = new Table("arr_types", new MetaData(), {
      tags: Column(ARRAY(Text)),
      grid: Column(ARRAY(Integer, { dimensions: 2 })),
      data: Column(Json<unknown>()),
      at: Column(TypeDecorator<{ x: number }, string>({ impl: StringType(10) })),
    });
    expectTypeOf(t.c.tags.getItem(1)).toEqualTypeOf<ColumnElement<string>>();
    expectTypeOf(t.c.grid.getItem(1)).toEqualTypeOf<ColumnElement<number[]>>();
    expectTypeOf(any_(t.c.grid)).toEqualTypeOf<ColumnElement<number>>();
    expectTypeOf(t.c.data.item("k")).toEqualTypeOf<JsonElement>();
    expectTypeOf(t.c.data.item("k").asInteger()).toEqualTypeOf<ColumnElement<number>>();
    // @ts-expect-error: a custom type's values are its own type, not the impl's
    t.c.at.eq("1,2");
    // @ts-expect-error: an index over columns takes keys or expressions
    new Index("ix", [42]);
  });
});
