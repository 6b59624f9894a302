import { describe, expect, it } from "vitest";
import { compileUpdateFromArrays, compileUpdateFromValues, type UpdateFromValuesShape } from "../../../src/core/compiler/update-from-values.ts";
import { ARRAY, DateTime, Enum, Integer, Json, Numeric, StringType } from "../../../src/index.ts";
import { dialects } from "./compile-for.ts";

const shape: UpdateFromValuesShape = {
  table: { name: "users", schema: undefined },
  keys: [{ name: "id", type: Integer }],
  set: [
    { name: "name", type: StringType(30) },
    { name: "seen", type: DateTime({ timezone: true }) },
  ],
  rows: 2,
};

describe("compileUpdateFromValues", () => {
  it("PostgreSQL: a VALUES list of cast parameters, columns named, matched on the key", () => {
    const compiled = compileUpdateFromValues(dialects.postgresql.compiler, shape);
    expect(compiled?.sql).toBe(
      'UPDATE "users" SET "name" = "v"."name", "seen" = "v"."seen" ' +
        "FROM (VALUES ($1::BIGINT, $2::VARCHAR, $3::TIMESTAMP WITH TIME ZONE), ($4::BIGINT, $5::VARCHAR, $6::TIMESTAMP WITH TIME ZONE)) " +
        'AS "v" ("id", "name", "seen") WHERE "users"."id" = "v"."id"',
    );
    // Row by row, key first: the types the bind processors follow.
    expect(compiled?.paramTypes).toEqual([Integer, StringType(30), DateTime({ timezone: true }), Integer, StringType(30), DateTime({ timezone: true })]);
    expect(compiled?.slotOrder).toEqual([0, 1, 2, 3, 4, 5]);
    expect(compiled?.returnsRows).toBe(false);
  });

  it("SQLite: VALUES columns are column1, column2, …", () => {
    const compiled = compileUpdateFromValues(dialects.sqlite.compiler, shape);
    expect(compiled?.sql).toBe(
      'UPDATE "users" SET "name" = "v"."column2", "seen" = "v"."column3" ' +
        'FROM (VALUES (?, ?, ?), (?, ?, ?)) AS "v" WHERE "users"."id" = "v"."column1"',
    );
  });

  it("MySQL has no UPDATE … FROM: no statement", () => {
    expect(compileUpdateFromValues(dialects.mysql.compiler, shape)).toBeUndefined();
  });

  it("qualifies a table in a schema, matches every key column, and names the list apart from a table called v", () => {
    const composite: UpdateFromValuesShape = {
      table: { name: "v", schema: "app" },
      keys: [
        { name: "a", type: StringType(5) },
        { name: "b", type: Integer },
      ],
      set: [
        { name: "amount", type: Numeric(10, 2) },
        { name: "mood", type: Enum(["ok", "bad"], { name: "mood" }) },
        { name: "doc", type: Json() },
      ],
      rows: 1,
    };
    expect(compileUpdateFromValues(dialects.postgresql.compiler, composite)?.sql).toBe(
      'UPDATE "app"."v" SET "amount" = "v_"."amount", "mood" = "v_"."mood", "doc" = "v_"."doc" ' +
        'FROM (VALUES ($1::VARCHAR, $2::BIGINT, $3::NUMERIC, $4::"mood", $5::JSON)) AS "v_" ("a", "b", "amount", "mood", "doc") ' +
        'WHERE "v"."a" = "v_"."a" AND "v"."b" = "v_"."b"',
    );
    expect(compileUpdateFromValues(dialects.sqlite.compiler, composite)?.sql).toBe(
      'UPDATE "app"."v" SET "amount" = "v_"."column3", "mood" = "v_"."column4", "doc" = "v_"."column5" ' +
        'FROM (VALUES (?, ?, ?, ?, ?)) AS "v_" WHERE "v"."a" = "v_"."column1" AND "v"."b" = "v_"."column2"',
    );
  });

  it("compiles each shape once per compiler; another row count is another statement", () => {
    const compiler = dialects.postgresql.compiler;
    const first = compileUpdateFromValues(compiler, shape);
    expect(compileUpdateFromValues(compiler, { ...shape })).toBe(first);
    expect(compileUpdateFromValues(compiler, { ...shape, rows: 3 })).not.toBe(first);
    expect(compileUpdateFromValues(compiler, { ...shape, set: [{ name: "name", type: StringType(30) }] })).not.toBe(first);
  });
});

describe("compileUpdateFromArrays", () => {
  const scalars = { table: shape.table, keys: shape.keys, set: shape.set };

  it("PostgreSQL: one array parameter per column, whatever the number of rows", () => {
    const compiled = compileUpdateFromArrays(dialects.postgresql.compiler, scalars);
    expect(compiled?.sql).toBe(
      'UPDATE "users" SET "name" = "v"."name", "seen" = "v"."seen" ' +
        'FROM unnest($1::BIGINT[], $2::VARCHAR[], $3::TIMESTAMP WITH TIME ZONE[]) AS "v" ("id", "name", "seen") WHERE "users"."id" = "v"."id"',
    );
    // Each parameter is an ARRAY of its column's type, so each element goes through that type's bind processing.
    expect(compiled?.paramTypes).toEqual([ARRAY(Integer), ARRAY(StringType(30)), ARRAY(DateTime({ timezone: true }))]);
    expect(compiled?.slotOrder).toEqual([0, 1, 2]);
  });

  it("none where a value could itself be an array (JSON, ARRAY) or where the dialect has no arrays", () => {
    expect(compileUpdateFromArrays(dialects.postgresql.compiler, { ...scalars, set: [{ name: "doc", type: Json() }] })).toBeUndefined();
    expect(compileUpdateFromArrays(dialects.postgresql.compiler, { ...scalars, set: [{ name: "tags", type: ARRAY(Integer) }] })).toBeUndefined();
    expect(compileUpdateFromArrays(dialects.sqlite.compiler, scalars)).toBeUndefined();
    expect(compileUpdateFromArrays(dialects.mysql.compiler, scalars)).toBeUndefined();
  });
});
