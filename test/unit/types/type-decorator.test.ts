import { describe, expect, it } from "vitest";
import { PostgresqlDialect } from "../../../src/core/dialects/postgresql/postgresql-dialect.ts";
import { SqliteDialect } from "../../../src/core/dialects/sqlite/sqlite-dialect.ts";
import { prepareStatement } from "../../../src/core/engine/prepared-statement.ts";
import { Column, MetaData, Table } from "../../../src/core/schema/index.ts";
import type { ColumnElement } from "../../../src/core/sql/column-element.ts";
import { func } from "../../../src/core/sql/functions.ts";
import { select } from "../../../src/core/sql/select.ts";
import { BigInteger, Integer, StringType, TypeDecorator } from "../../../src/core/types/index.ts";
import { postgresqlDdl } from "../ddl/ddl-dialects.ts";

const Upper = TypeDecorator<string, string>({ name: "Upper", impl: StringType(10), processBindParam: (s) => s.toUpperCase() });
const Lower = TypeDecorator<string, string>({ name: "Lower", impl: StringType(10), processBindParam: (s) => s.toLowerCase() });

describe("TypeDecorator", () => {
  it("takes its impl's DDL and kind", () => {
    const t = new Table("t", new MetaData(), { id: Column(Integer, { primaryKey: true }), code: Column(Upper) });
    expect(postgresqlDdl().createTable(t, new Set())[0]).toContain(`"code" VARCHAR(10),`);
    expect(Upper.kind).toBe("string");
  });

  it("two custom types over one impl are told apart by the statement cache, each with its own conversion", () => {
    const md = new MetaData();
    const a = new Table("a", md, { v: Column(Upper) });
    const b = new Table("b", md, { v: Column(Lower) });
    expect(Upper.cacheKey).not.toBe(Lower.cacheKey);
    const dialect = new SqliteDialect();
    // Same shape of statement over two tables would differ anyway: compare one column under both types.
    expect(prepareStatement(dialect, select(a.c.v).where(a.c.v.eq("MiXed")).node).params).toEqual(["MIXED"]);
    expect(prepareStatement(dialect, select(b.c.v).where(b.c.v.eq("MiXed")).node).params).toEqual(["mixed"]);
  });

  it("runs before the impl's own bind processing and after its result processing (PostgreSQL BIGINT travels as text)", () => {
    const Doubled = TypeDecorator<number, bigint>({
      impl: BigInteger,
      processBindParam: (n) => BigInt(n * 2),
      processResultValue: (b) => Number(b) / 2,
    });
    const types = new PostgresqlDialect().types;
    expect(types.bind(Doubled)?.(21)).toBe("42");
    expect(types.result(Doubled)?.("42")).toBe(21);
    // A conversion to NULL binds NULL without reaching the impl's processor.
    const Blank = TypeDecorator<string, bigint | null>({ impl: BigInteger, processBindParam: () => null });
    expect(types.bind(Blank)?.("x")).toBeNull();
  });

  it("compare (SQLAlchemy's comparator_factory) redefines comparisons; inside it comparisons are plain; undefined keeps the default", () => {
    const CaseInsensitive = TypeDecorator<string, string>({
      name: "CaseInsensitive",
      impl: StringType(100),
      compare: (op, left: ColumnElement<string>, right: ColumnElement<string>) =>
        op === "=" || op === "<>" ? (op === "=" ? func.lower(left).eq(func.lower(right)) : left.ne(right)) : undefined,
    });
    const users = new Table("ci_users", new MetaData(), { email: Column(CaseInsensitive) });
    const sql = (where: ColumnElement<boolean>) => prepareStatement(new SqliteDialect(), select(users.c.email).where(where).node).sql;
    expect(sql(users.c.email.eq("Ann@Example.com"))).toBe(`SELECT "ci_users"."email" FROM "ci_users" WHERE lower("ci_users"."email") = lower(?)`);
    expect(sql(users.c.email.ne("x"))).toBe(`SELECT "ci_users"."email" FROM "ci_users" WHERE "ci_users"."email" <> ?`);
    expect(sql(users.c.email.lt("x"))).toBe(`SELECT "ci_users"."email" FROM "ci_users" WHERE "ci_users"."email" < ?`);
    const Broken = TypeDecorator<string, string>({ impl: StringType(5), compare: () => "oops" });
    const t = new Table("broken", new MetaData(), { v: Column(Broken) });
    expect(() => t.c.v.eq("x")).toThrow(/returned no SQL expression/);
  });
});
