import { describe, expect, it } from "vitest";
import { ArgumentError } from "../../../src/shared/errors.ts";
import { CheckConstraint, Column, MetaData, Table } from "../../../src/core/schema/index.ts";
import { and, bindparam, exists, literal, literalColumn } from "../../../src/core/sql/elements.ts";
import { ColumnRef } from "../../../src/core/sql/from-clause.ts";
import { func } from "../../../src/core/sql/functions.ts";
import { select } from "../../../src/core/sql/select.ts";
import { BooleanType, DateTime, Integer, Float, StringType, Text } from "../../../src/core/types/index.ts";
import { mysqlDdl, postgresqlDdl, sqliteDdl } from "./ddl-dialects.ts";

const defaults = () =>
  new Table("defaults", new MetaData(), {
    quoted: Column(StringType(40), { serverDefault: "O'Brien" }),
    backslash: Column(StringType(40), { serverDefault: "C:\\temp\\" }),
    injection: Column(Text, { serverDefault: "'); DROP TABLE users; --" }),
    count: Column(Integer, { serverDefault: 0, nullable: false }),
    ratio: Column(Float, { serverDefault: -1.5 }),
    active: Column(BooleanType, { serverDefault: true }),
    shouted: Column(StringType(40), { serverDefault: func.upper("it's") }),
    created: Column(DateTime(), { serverDefault: literalColumn("CURRENT_TIMESTAMP") }),
  });

describe("server defaults", () => {
  it("SQLite: literals escaped by doubling quotes, booleans as 1/0, function defaults in parentheses", () => {
    expect(sqliteDdl().createTable(defaults(), new Set())[0]).toBe(`CREATE TABLE "defaults" (
  "quoted" VARCHAR(40) DEFAULT 'O''Brien',
  "backslash" VARCHAR(40) DEFAULT 'C:\\temp\\',
  "injection" TEXT DEFAULT '''); DROP TABLE users; --',
  "count" INTEGER DEFAULT 0 NOT NULL,
  "ratio" FLOAT DEFAULT -1.5,
  "active" INTEGER DEFAULT 1,
  "shouted" VARCHAR(40) DEFAULT (upper('it''s')),
  "created" DATETIME DEFAULT CURRENT_TIMESTAMP
)`);
  });

  it("PostgreSQL: backslashes are plain characters (standard_conforming_strings), expressions bare", () => {
    expect(postgresqlDdl().createTable(defaults(), new Set())[0]).toBe(`CREATE TABLE "defaults" (
  "quoted" VARCHAR(40) DEFAULT 'O''Brien',
  "backslash" VARCHAR(40) DEFAULT 'C:\\temp\\',
  "injection" TEXT DEFAULT '''); DROP TABLE users; --',
  "count" INTEGER DEFAULT 0 NOT NULL,
  "ratio" DOUBLE PRECISION DEFAULT -1.5,
  "active" BOOLEAN DEFAULT true,
  "shouted" VARCHAR(40) DEFAULT upper('it''s'),
  "created" TIMESTAMP DEFAULT CURRENT_TIMESTAMP
)`);
  });

  it("MySQL: backslashes doubled as well, NOT NULL before DEFAULT, function defaults in parentheses", () => {
    expect(mysqlDdl().createTable(defaults(), new Set())[0]).toBe(`CREATE TABLE \`defaults\` (
  \`quoted\` VARCHAR(40) DEFAULT 'O''Brien',
  \`backslash\` VARCHAR(40) DEFAULT 'C:\\\\temp\\\\',
  \`injection\` TEXT DEFAULT '''); DROP TABLE users; --',
  \`count\` INTEGER NOT NULL DEFAULT 0,
  \`ratio\` DOUBLE DEFAULT -1.5,
  \`active\` BOOL DEFAULT true,
  \`shouted\` VARCHAR(40) DEFAULT (upper('it''s')),
  \`created\` DATETIME(6) DEFAULT CURRENT_TIMESTAMP
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  });

  it("SQLite parenthesises SQL text defaults that are not a single word or literal", () => {
    const table = new Table("t", new MetaData(), {
      a: Column(Integer, { serverDefault: literalColumn("1 + 2") }),
      b: Column(StringType(5), { serverDefault: literalColumn("'x'") }),
    });
    expect(sqliteDdl().createTable(table, new Set())[0]).toBe(`CREATE TABLE "t" (\n  "a" INTEGER DEFAULT (1 + 2),\n  "b" VARCHAR(5) DEFAULT 'x'\n)`);
  });

  it("a client-side default is not DDL", () => {
    const table = new Table("t", new MetaData(), { a: Column(Integer, { default: 5 }) });
    expect(postgresqlDdl().createTable(table, new Set())[0]).toBe(`CREATE TABLE "t" (\n  "a" INTEGER\n)`);
  });
});

describe("values in DDL", () => {
  it("literal() renders each JSON-ish scalar for its dialect and refuses everything else", () => {
    const pg = postgresqlDdl();
    expect(pg.literal("a'b\\c")).toBe("'a''b\\c'");
    expect(mysqlDdl().literal("a'b\\c")).toBe("'a''b\\\\c'");
    expect(pg.literal(12345678901234567890n)).toBe("12345678901234567890");
    expect(pg.literal(-0.25)).toBe("-0.25");
    expect(pg.literal(null)).toBe("NULL");
    expect(pg.literal(false)).toBe("false");
    expect(sqliteDdl().literal(false)).toBe("0");
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, undefined, new Date(0), new Uint8Array(1), {}, []]) {
      expect(() => pg.literal(bad)).toThrow(ArgumentError);
    }
  });

  it("expression() renders bound values as literals and columns without their table", () => {
    const md = new MetaData();
    const users = new Table("users", md, { name: Column(StringType(20)), age: Column(Integer) });
    const expr = and(users.c.name.in(["a'", "b"]), users.c.age.ge(18));
    expect(postgresqlDdl().expression(expr)).toBe(`"name" IN ('a''', 'b') AND "age" >= 18`);
    expect(mysqlDdl().expression(users.c.name.eq(literal("x\\")))).toBe("`name` = 'x\\\\'");
  });

  it("refuses parameters without a value, subqueries and non-literal values in CHECK and DEFAULT", () => {
    const md = new MetaData();
    const other = new Table("other", md, { id: Column(Integer) });
    const age = new ColumnRef("age", "age", Integer, undefined);
    const cases = [
      new Table("a", md, { x: Column(Integer) }, new CheckConstraint(age.eq(bindparam("limit", Integer)))),
      new Table("b", md, { x: Column(Integer) }, new CheckConstraint(exists(select(other.c.id)))),
      new Table("c", md, { x: Column(DateTime(), { serverDefault: literal(new Date(0)) }) }),
      new Table("d", md, { x: Column(Float, { serverDefault: Number.NaN }) }),
    ];
    for (const table of cases) {
      for (const ddl of [sqliteDdl(), postgresqlDdl(), mysqlDdl()]) {
        expect(() => ddl.createTable(table, new Set())).toThrow(ArgumentError);
      }
    }
  });
});
