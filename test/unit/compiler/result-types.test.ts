import { describe, expect, expectTypeOf, it } from "vitest";
import type { Executable } from "../../../src/core/engine/executable.ts";
import { alias, aliased } from "../../../src/core/sql/alias.ts";
import { literal } from "../../../src/core/sql/elements.ts";
import { func } from "../../../src/core/sql/functions.ts";
import { insert } from "../../../src/core/sql/insert.ts";
import { select } from "../../../src/core/sql/select.ts";
import { update } from "../../../src/core/sql/update.ts";
import { compileFor } from "./compile-for.ts";
import { users } from "./fixture.ts";

/** The row type a statement yields (never called: the types are the test). */
function rowOf<R>(_statement: Executable<R>): R {
  return undefined as R;
}

describe("result columns carry their TypeScript types", () => {
  it("select of columns: keys from the column keys, types from the SQL types, null where nullable", () => {
    expectTypeOf(rowOf(select(users.c.id, users.c.name))).toEqualTypeOf<{ id: number; name: string }>();
    expectTypeOf(rowOf(select(users.c.email))).toEqualTypeOf<{ email: string | null }>();
    expectTypeOf(rowOf(select(users.c.active, users.c.createdAt))).toEqualTypeOf<{ active: boolean | null; createdAt: Date | null }>();
    expectTypeOf(rowOf(select(users.c.id, users.c.name))).not.toHaveProperty("email");
    // Misuse that must not compile (never run: the function is only type-checked).
    const misuse = (row: ReturnType<typeof rowOf<{ id: number; name: string }>>) => {
      // @ts-expect-error a column the select does not have
      return row.email;
    };
    expect(typeof misuse).toBe("function");
  });

  it("labels rename the key; functions and literals have their own types", () => {
    expectTypeOf(rowOf(select(users.c.name.label("who"), func.count().label("n")))).toMatchTypeOf<{ who: string; n: number }>();
    expectTypeOf(rowOf(select(literal("x").label("v")))).toEqualTypeOf<{ v: string }>();
  });

  it("RETURNING types the rows of insert and update", () => {
    expectTypeOf(rowOf(insert(users).values({ name: "a" }).returning(users.c.id))).toEqualTypeOf<{ id: number }>();
    expectTypeOf(rowOf(update(users).values({ name: "b" }).returning(users.c.id, users.c.name))).toEqualTypeOf<{ id: number; name: string }>();
    // @ts-expect-error a value of the wrong type for the column
    insert(users).values({ name: 5 });
  });

  it("aliased() is alias(): the same SQL, and the alias's columns keep their types", () => {
    const a = alias(users, "u2");
    const b = aliased(users, "u2");
    expectTypeOf(rowOf(select(b.c.id))).toEqualTypeOf<{ id: number }>();
    expect(compileFor("postgresql", select(a.c.id))).toEqual(compileFor("postgresql", select(b.c.id)));
    expect(compileFor("postgresql", select(b.c.id)).sql).toBe('SELECT "u2"."id" FROM "users" AS "u2"');
  });
});
