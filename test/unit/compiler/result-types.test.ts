import { describe, expect, expectTypeOf, it } from "vitest";
import type { Executable } from "../../../src/core/engine/executable.ts";
import { alias, aliased } from "../../../src/core/sql/alias.ts";
import { literal } from "../../../src/core/sql/elements.ts";
import { func } from "../../../src/core/sql/functions.ts";
import { insert } from "../../../src/core/sql/insert.ts";
import { select } from "../../../src/core/sql/select.ts";
import { text } from "../../../src/core/sql/text.ts";
import { update } from "../../../src/core/sql/update.ts";
import { BigInteger, BooleanType, DateTime } from "../../../src/core/types/type-constructors.ts";
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

describe("text().columns() types a textual query's rows", () => {
  it("from table columns or from a record of types; without it, rows are untyped records", () => {
    expectTypeOf(rowOf(text("SELECT id, name FROM users").columns(users.c.id, users.c.name))).toEqualTypeOf<{ id: number; name: string }>();
    const typed = text("SELECT count(*) AS n, 1 = 1 AS ok, now() AS at").columns({ n: BigInteger, ok: BooleanType, at: DateTime() });
    expectTypeOf(rowOf(typed)).toEqualTypeOf<{ n: bigint | null; ok: boolean | null; at: Date | null }>();
    expectTypeOf(rowOf(text("SELECT 1 AS n"))).toEqualTypeOf<Record<string, unknown>>();
    expect(compileFor("postgresql", typed).sql).toBe("SELECT count(*) AS n, 1 = 1 AS ok, now() AS at");
    // @ts-expect-error a record's values must be SQL types
    text("SELECT 1 AS n").columns({ n: "integer" });
    // @ts-expect-error a column the declared columns do not have (a compile-time check: tsc runs it)
    void rowOf(typed)?.missing;
  });
});
