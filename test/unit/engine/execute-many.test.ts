import { describe, expect, expectTypeOf, it } from "vitest";
import type { AsyncConnection } from "../../../src/core/engine/async-connection.ts";
import type { AsyncEngine } from "../../../src/core/engine/async-engine.ts";
import { prepareMany } from "../../../src/core/engine/execute-many.ts";
import type { Result } from "../../../src/core/engine/result.ts";
import { ArgumentError } from "../../../src/shared/errors.ts";
import { Column, Integer, MetaData, StringType, Table, bindparam, func, insert, text, update } from "../../../src/index.ts";
import { dialects } from "../compiler/compile-for.ts";

/** What `execute(statement, [params, …])` prepares, per dialect, without a database. */
const metadata = new MetaData();
const items = new Table("items", metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(StringType(50)),
  qty: Column(Integer, { default: () => 7 }),
});

describe("prepareMany: insert(table) with a list of parameter sets", () => {
  it("one multi-row INSERT per 1,000 rows, the same on each dialect", () => {
    const rows = Array.from({ length: 2_001 }, (_, i) => ({ name: `n${i}`, qty: i }));
    for (const dialect of Object.values(dialects)) {
      const statements = prepareMany(dialect, insert(items), rows);
      expect(statements.map((s) => s.params.length)).toEqual([2_000, 2_000, 2]);
      expect(statements[2]?.params).toEqual(["n2000", 2_000]);
    }
    const [postgresql] = prepareMany(dialects.postgresql, insert(items), rows.slice(0, 2));
    expect(postgresql?.sql).toBe('INSERT INTO "items" ("name", "qty") VALUES ($1, $2), ($3, $4)');
    const [mysql] = prepareMany(dialects.mysql, insert(items).returning(items.c.id), rows.slice(0, 2));
    expect(mysql?.sql).toBe("INSERT INTO `items` (`name`, `qty`) VALUES (?, ?), (?, ?) RETURNING `items`.`id`");
  });

  it("counts a client-side default in each row's width, and computes it per row", () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({ name: `n${i}` }));
    const statements = prepareMany(dialects.sqlite, insert(items), rows);
    // name + the default of qty: 2 values a row, 1,000 rows a statement.
    expect(statements).toHaveLength(20);
    expect(statements[0]?.sql).toBe('INSERT INTO "items" ("name", "qty") VALUES ' + Array(1_000).fill("(?, ?)").join(", "));
    expect(statements[0]?.params.slice(0, 4)).toEqual(["n0", 7, "n1", 7]);
  });

  it("later batches of the first batch's size reuse its compilation: the same SQL, their own values, each row's default computed anew", () => {
    let next = 0;
    const counted = new Table("counted", new MetaData(), {
      id: Column(Integer, { primaryKey: true }),
      name: Column(StringType(50)),
      seq: Column(Integer, { default: () => ++next }),
    });
    const rows = Array.from({ length: 2_500 }, (_, i) => ({ id: i + 1, name: `n${i}` }));
    const statements = prepareMany(dialects.sqlite, insert(counted), rows);
    expect(statements.map((s) => s.params.length)).toEqual([3_000, 3_000, 1_500]);
    expect(statements[1]?.compiled).toBe(statements[0]?.compiled);
    expect(statements[1]?.params.slice(0, 6)).toEqual([1_001, "n1000", 1_001, 1_002, "n1001", 1_002]);
    // Every row of every batch got its own default, in row order.
    const seqs = statements.flatMap((s) => s.params.filter((_, i) => i % 3 === 2));
    expect(seqs).toEqual(Array.from({ length: 2_500 }, (_, i) => i + 1));
  });

  it("a batch holding a SQL expression as a value is built as its own statement, not filled into the first batch's", () => {
    const rows: Record<string, unknown>[] = Array.from({ length: 2_000 }, (_, i) => ({ name: `n${i}`, qty: i }));
    rows[1_500] = { name: func.upper("x"), qty: 5 };
    const [first, second] = prepareMany(dialects.sqlite, insert(items), rows as never);
    expect(second?.compiled).not.toBe(first?.compiled);
    expect(second?.sql).toContain("(?, ?), (upper(?), ?), (?, ?)");
    expect(second?.params.slice(1_000, 1_002)).toEqual(["x", 5]);
    expect(second?.params.slice(998, 1_000)).toEqual(["n1499", 1_499]);
  });

  it("runs INSERT … DEFAULT VALUES once per set when no set gives a column", () => {
    const bare = new Table("bare", new MetaData(), { id: Column(Integer, { primaryKey: true }) });
    const statements = prepareMany(dialects.sqlite, insert(bare), [{}, {}, {}]);
    expect(statements.map((s) => s.sql)).toEqual(Array(3).fill('INSERT INTO "bare" DEFAULT VALUES'));
  });

  it("refuses an empty list, a set missing a column, a set with one more, and an unknown column", () => {
    expect(() => prepareMany(dialects.sqlite, insert(items), [])).toThrow(ArgumentError);
    expect(() => prepareMany(dialects.sqlite, update(items), [])).toThrow(/empty list of parameter sets/);
    expect(() => prepareMany(dialects.sqlite, insert(items), [{ name: "a", qty: 1 }, { name: "b", qty: undefined }])).toThrow(
      /parameter set 1 has no value for "qty"/,
    );
    expect(() => prepareMany(dialects.sqlite, insert(items), [{ name: "a" }, { name: "b" }, { name: "c", id: 3 }])).toThrow(
      /parameter set 2 gives "id", which parameter set 0 does not/,
    );
    expect(() => prepareMany(dialects.sqlite, insert(items), [{ nam: "a" }])).toThrow(/no column "nam"/);
    // null is a value: the column is given.
    expect(prepareMany(dialects.sqlite, insert(items), [{ name: null }, { name: "b" }])[0]?.params).toEqual([null, 7, "b", 7]);
  });
});

describe("prepareMany: other statements run once per set", () => {
  it("UPDATE with bindparam()s, insert().values() with bindparam()s, text()", () => {
    const stmt = update(items).where(items.c.id.eq(bindparam("id", Integer))).values({ name: bindparam("name", StringType(50)) });
    const updates = prepareMany(dialects.postgresql, stmt, [
      { id: 1, name: "a" },
      { id: 2, name: "b" },
    ]);
    expect(updates.map((s) => [s.sql, s.params])).toEqual([
      ['UPDATE "items" SET "name"=$1 WHERE "items"."id" = $2', ["a", 1]],
      ['UPDATE "items" SET "name"=$1 WHERE "items"."id" = $2', ["b", 2]],
    ]);
    const valued = prepareMany(dialects.sqlite, insert(items).values({ name: bindparam("n", StringType(50)) }), [{ n: "x" }, { n: "y" }]);
    expect(valued.map((s) => s.params)).toEqual([
      ["x", 7],
      ["y", 7],
    ]);
    const texts = prepareMany(dialects.mysql, text("DELETE FROM items WHERE id = :id"), [{ id: 1 }, { id: 2 }]);
    expect(texts.map((s) => [s.sql, s.params])).toEqual([
      ["DELETE FROM items WHERE id = ?", [1]],
      ["DELETE FROM items WHERE id = ?", [2]],
    ]);
  });

  it("a set missing a bindparam fails before anything is prepared to run", () => {
    expect(() => prepareMany(dialects.sqlite, text("DELETE FROM items WHERE id = :id"), [{ id: 1 }, {}])).toThrow(
      /A value is required for bind parameter "id"/,
    );
  });
});

describe("execute() overloads (types)", () => {
  it("takes one parameter set or a list of them, and keeps the row type", () => {
    const conn = {} as AsyncConnection;
    const engine = {} as AsyncEngine;
    const withReturning = insert(items).returning(items.c.id);
    expectTypeOf(() => conn.execute(withReturning, [{ name: "a" }])).returns.toEqualTypeOf<Promise<Result<{ id: number }>>>();
    expectTypeOf(() => engine.execute(insert(items), [{ name: "a" }, { name: "b" }])).returns.toEqualTypeOf<Promise<Result<never>>>();
    expectTypeOf(() => conn.execute(text("SELECT 1"), { a: 1 })).returns.toEqualTypeOf<Promise<Result<Record<string, unknown>>>>();
    // @ts-expect-error a list of parameter sets holds objects, not values
    void (() => conn.execute(insert(items), [1, 2]));
    // @ts-expect-error nor a list of lists
    void (() => engine.execute(insert(items), [["a"]]));
  });
});
