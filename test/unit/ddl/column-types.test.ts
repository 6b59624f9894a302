import { describe, expect, it } from "vitest";
import { ArgumentError } from "../../../src/shared/errors.ts";
import { Column, MetaData, Table } from "../../../src/core/schema/index.ts";
import {
  BigInteger,
  BooleanType,
  DateTime,
  DateType,
  Enum,
  Float,
  Integer,
  Interval,
  Json,
  LargeBinary,
  Numeric,
  SmallInteger,
  StringType,
  Text,
  Time,
  Uuid,
} from "../../../src/core/types/index.ts";
import { mysqlDdl, postgresqlDdl, sqliteDdl } from "./ddl-dialects.ts";

function everyType() {
  return new Table("every_type", new MetaData(), {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    big: Column(BigInteger),
    small: Column(SmallInteger),
    name: Column(StringType(50), { nullable: false }),
    body: Column(Text),
    flag: Column(BooleanType),
    ratio: Column(Float),
    amount: Column(Numeric(10, 2)),
    wide: Column(Numeric(12)),
    plain: Column(Numeric()),
    day: Column(DateType),
    at: Column(DateTime()),
    atTz: Column(DateTime({ timezone: true }), { name: "at_tz" }),
    clock: Column(Time),
    span: Column(Interval),
    doc: Column(Json()),
    uid: Column(Uuid),
    data: Column(LargeBinary),
    status: Column(Enum(["draft", "published"], { name: "status_kind" })),
  });
}

describe("column types", () => {
  it("SQLite: affinities that keep values exact (TEXT for decimals and JSON, INTEGER for booleans)", () => {
    expect(sqliteDdl().createTable(everyType(), new Set())).toEqual([
      `CREATE TABLE "every_type" (
  "id" INTEGER NOT NULL,
  "big" BIGINT,
  "small" SMALLINT,
  "name" VARCHAR(50) NOT NULL,
  "body" TEXT,
  "flag" INTEGER,
  "ratio" FLOAT,
  "amount" TEXT,
  "wide" TEXT,
  "plain" TEXT,
  "day" DATE,
  "at" DATETIME,
  "at_tz" DATETIME,
  "clock" TIME,
  "span" BIGINT,
  "doc" TEXT,
  "uid" CHAR(36),
  "data" BLOB,
  "status" VARCHAR(9) CHECK ("status" IN ('draft', 'published')),
  PRIMARY KEY ("id")
)`,
    ]);
  });

  it("PostgreSQL: native types, the Enum by its type name", () => {
    expect(postgresqlDdl().createTable(everyType(), new Set())).toEqual([
      `CREATE TABLE "every_type" (
  "id" INTEGER NOT NULL,
  "big" BIGINT,
  "small" SMALLINT,
  "name" VARCHAR(50) NOT NULL,
  "body" TEXT,
  "flag" BOOLEAN,
  "ratio" DOUBLE PRECISION,
  "amount" NUMERIC(10, 2),
  "wide" NUMERIC(12),
  "plain" NUMERIC,
  "day" DATE,
  "at" TIMESTAMP,
  "at_tz" TIMESTAMP WITH TIME ZONE,
  "clock" TIME,
  "span" INTERVAL,
  "doc" JSON,
  "uid" UUID,
  "data" BYTEA,
  "status" "status_kind",
  PRIMARY KEY ("id")
)`,
    ]);
  });

  it("MySQL: InnoDB + utf8mb4, microsecond DATETIME/TIME, inline ENUM", () => {
    expect(mysqlDdl().createTable(everyType(), new Set())).toEqual([
      `CREATE TABLE \`every_type\` (
  \`id\` INTEGER NOT NULL,
  \`big\` BIGINT,
  \`small\` SMALLINT,
  \`name\` VARCHAR(50) NOT NULL,
  \`body\` TEXT,
  \`flag\` BOOL,
  \`ratio\` DOUBLE,
  \`amount\` NUMERIC(10, 2),
  \`wide\` NUMERIC(12),
  \`plain\` NUMERIC,
  \`day\` DATE,
  \`at\` DATETIME(6),
  \`at_tz\` DATETIME(6),
  \`clock\` TIME(6),
  \`span\` BIGINT,
  \`doc\` JSON,
  \`uid\` CHAR(36),
  \`data\` LONGBLOB,
  \`status\` ENUM('draft', 'published'),
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
    ]);
  });

  it("VARCHAR without a length: allowed on SQLite and PostgreSQL, an error naming the column on MySQL", () => {
    const table = new Table("notes", new MetaData(), { title: Column(StringType()) });
    expect(sqliteDdl().createTable(table, new Set())[0]).toContain(`"title" VARCHAR\n`);
    expect(postgresqlDdl().createTable(table, new Set())[0]).toContain(`"title" VARCHAR\n`);
    expect(() => mysqlDdl().createTable(table, new Set())).toThrow(ArgumentError);
    expect(() => mysqlDdl().createTable(table, new Set())).toThrow(/notes\.title.*StringType\(n\)/);
  });

  it("rejects lengths, precisions and scales that are not integers", () => {
    const md = new MetaData();
    const bad = new Table("bad", md, { a: Column(StringType(0)) });
    expect(() => postgresqlDdl().createTable(bad, new Set())).toThrow(ArgumentError);
    const badScale = new Table("bad_scale", md, { a: Column(Numeric(10, 1.5)) });
    expect(() => mysqlDdl().createTable(badScale, new Set())).toThrow(ArgumentError);
  });
});

describe("Enum", () => {
  const statusTable = () =>
    new Table("posts", new MetaData(), {
      id: Column(Integer, { primaryKey: true }),
      state: Column(Enum(["draft", "it's", "back\\slash"]), { nullable: false }),
      kind: Column(Enum(["a", "b"], { name: "post_kind" })),
      other: Column(Enum(["a", "b"], { name: "post_kind" })),
    });

  it("SQLite: VARCHAR as long as the longest value, with a CHECK", () => {
    expect(sqliteDdl().createTable(statusTable(), new Set())[0]).toBe(`CREATE TABLE "posts" (
  "id" INTEGER NOT NULL,
  "state" VARCHAR(10) NOT NULL CHECK ("state" IN ('draft', 'it''s', 'back\\slash')),
  "kind" VARCHAR(1) CHECK ("kind" IN ('a', 'b')),
  "other" VARCHAR(1) CHECK ("other" IN ('a', 'b')),
  PRIMARY KEY ("id")
)`);
    expect(sqliteDdl().createTypes(statusTable())).toEqual([]);
  });

  it("PostgreSQL: CREATE TYPE before the table (named <table>_<column>_enum by default, shared types once), DROP TYPE after", () => {
    const ddl = postgresqlDdl();
    const table = statusTable();
    expect(ddl.createTable(table, new Set())[0]).toContain(`"state" "posts_state_enum" NOT NULL,\n  "kind" "post_kind",\n  "other" "post_kind",`);
    expect(ddl.createTypes(table)).toEqual([
      `CREATE TYPE "posts_state_enum" AS ENUM ('draft', 'it''s', 'back\\slash')`,
      `CREATE TYPE "post_kind" AS ENUM ('a', 'b')`,
    ]);
    expect(ddl.dropTypes(table)).toEqual([`DROP TYPE "posts_state_enum"`, `DROP TYPE "post_kind"`]);
    expect(ddl.namedTypes(table).map((t) => t.existsQuery)).toEqual([
      {
        sql:
          "SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace " +
          "WHERE t.typname = $1 AND n.nspname = coalesce($2, current_schema())",
        params: ["posts_state_enum", null],
      },
      expect.objectContaining({ params: ["post_kind", null] }),
    ]);
  });

  it("PostgreSQL: a table in a schema creates its types in that schema", () => {
    const table = new Table("posts", new MetaData({ schema: "blog" }), { state: Column(Enum(["a"], { name: "state" })) });
    const [type] = postgresqlDdl().namedTypes(table);
    expect(type?.create).toBe(`CREATE TYPE "blog"."state" AS ENUM ('a')`);
    expect(type?.existsQuery.params).toEqual(["state", "blog"]);
    expect(postgresqlDdl().createTable(table, new Set())[0]).toContain(`"state" "blog"."state"`);
  });

  it("MySQL: inline ENUM with quotes doubled and backslashes escaped", () => {
    expect(mysqlDdl().createTable(statusTable(), new Set())[0]).toContain(
      "`state` ENUM('draft', 'it''s', 'back\\\\slash') NOT NULL,\n  `kind` ENUM('a', 'b'),",
    );
    expect(mysqlDdl().createTypes(statusTable())).toEqual([]);
  });

  it("an Enum without values is an error", () => {
    const table = new Table("t", new MetaData(), { e: Column(Enum([])) });
    for (const ddl of [sqliteDdl(), postgresqlDdl(), mysqlDdl()]) {
      expect(() => [...ddl.createTypes(table), ...ddl.createTable(table, new Set())]).toThrow(/at least one value/);
    }
  });
});
