import { describe, expect, it } from "vitest";
import { ArgumentError } from "../../../src/shared/errors.ts";
import {
  CheckConstraint,
  Column,
  ForeignKey,
  ForeignKeyConstraint,
  Index,
  MetaData,
  PrimaryKeyConstraint,
  Table,
  UniqueConstraint,
} from "../../../src/core/schema/index.ts";
import { and } from "../../../src/core/sql/elements.ts";
import { ColumnRef } from "../../../src/core/sql/from-clause.ts";
import { BigInteger, Integer, StringType } from "../../../src/core/types/index.ts";
import { mysqlDdl, postgresqlDdl, sqliteDdl } from "./ddl-dialects.ts";

/** A bare column for CHECK expressions written before the table exists. */
const price = new ColumnRef("price", "price", Integer, undefined);
const code = new ColumnRef("code", "code", StringType(10), undefined);

describe("primary keys and autoincrement", () => {
  const tables = () => {
    const md = new MetaData();
    return {
      counters: new Table("counters", md, { id: Column(Integer, { primaryKey: true }), n: Column(Integer) }),
      events: new Table("events", md, { id: Column(BigInteger, { primaryKey: true }) }),
      manual: new Table("manual", md, { id: Column(Integer, { primaryKey: true, autoincrement: false }) }),
      pairs: new Table(
        "pairs",
        md,
        { left: Column(Integer), right: Column(StringType(10)), note: Column(StringType(10)) },
        new PrimaryKeyConstraint(["left", "right"]),
      ),
      tagged: new Table("tagged", md, {
        tag: Column(StringType(10), { primaryKey: true }),
        seq: Column(Integer, { primaryKey: true, autoincrement: true }),
      }),
    };
  };

  it("SQLite: the generated key is INTEGER (a rowid alias) even for BigInteger; composite keys are never generated", () => {
    const t = tables();
    const ddl = sqliteDdl();
    expect(ddl.createTable(t.counters, new Set())[0]).toBe(`CREATE TABLE "counters" (
  "id" INTEGER NOT NULL,
  "n" INTEGER,
  PRIMARY KEY ("id")
)`);
    expect(ddl.createTable(t.events, new Set())[0]).toBe(`CREATE TABLE "events" (\n  "id" INTEGER NOT NULL,\n  PRIMARY KEY ("id")\n)`);
    expect(ddl.createTable(t.pairs, new Set())[0]).toBe(`CREATE TABLE "pairs" (
  "left" INTEGER NOT NULL,
  "right" VARCHAR(10) NOT NULL,
  "note" VARCHAR(10),
  PRIMARY KEY ("left", "right")
)`);
    expect(ddl.createTable(t.tagged, new Set())[0]).toBe(
      `CREATE TABLE "tagged" (\n  "tag" VARCHAR(10) NOT NULL,\n  "seq" INTEGER NOT NULL,\n  PRIMARY KEY ("tag", "seq")\n)`,
    );
  });

  it("PostgreSQL: SERIAL / BIGSERIAL, also for an explicit autoincrement column of a composite key", () => {
    const t = tables();
    const ddl = postgresqlDdl();
    expect(ddl.createTable(t.counters, new Set())[0]).toBe(`CREATE TABLE "counters" (
  "id" SERIAL NOT NULL,
  "n" INTEGER,
  PRIMARY KEY ("id")
)`);
    expect(ddl.createTable(t.events, new Set())[0]).toBe(`CREATE TABLE "events" (\n  "id" BIGSERIAL NOT NULL,\n  PRIMARY KEY ("id")\n)`);
    expect(ddl.createTable(t.manual, new Set())[0]).toBe(`CREATE TABLE "manual" (\n  "id" INTEGER NOT NULL,\n  PRIMARY KEY ("id")\n)`);
    expect(ddl.createTable(t.pairs, new Set())[0]).toContain(`PRIMARY KEY ("left", "right")`);
    expect(ddl.createTable(t.tagged, new Set())[0]).toBe(
      `CREATE TABLE "tagged" (\n  "tag" VARCHAR(10) NOT NULL,\n  "seq" SERIAL NOT NULL,\n  PRIMARY KEY ("tag", "seq")\n)`,
    );
  });

  it("MySQL: AUTO_INCREMENT, moved to the front of a composite primary key", () => {
    const t = tables();
    const ddl = mysqlDdl();
    expect(ddl.createTable(t.counters, new Set())[0]).toBe(`CREATE TABLE \`counters\` (
  \`id\` INTEGER NOT NULL AUTO_INCREMENT,
  \`n\` INTEGER,
  PRIMARY KEY (\`id\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    expect(ddl.createTable(t.events, new Set())[0]).toContain("`id` BIGINT NOT NULL AUTO_INCREMENT,");
    expect(ddl.createTable(t.manual, new Set())[0]).toContain("`id` INTEGER NOT NULL,");
    expect(ddl.createTable(t.tagged, new Set())[0]).toBe(`CREATE TABLE \`tagged\` (
  \`tag\` VARCHAR(10) NOT NULL,
  \`seq\` INTEGER NOT NULL AUTO_INCREMENT,
  PRIMARY KEY (\`seq\`, \`tag\`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  });
});

describe("foreign keys", () => {
  const schema = () => {
    const md = new MetaData();
    const orgs = new Table("orgs", md, {
      id: Column(Integer, { primaryKey: true }),
      region: Column(StringType(10), { primaryKey: true }),
    });
    const users = new Table(
      "users",
      md,
      {
        id: Column(Integer, { primaryKey: true }),
        orgId: Column(Integer, ForeignKey("orgs.id", { ondelete: "CASCADE", onupdate: "SET NULL" }), { name: "org_id" }),
        orgRegion: Column(StringType(10), { name: "org_region" }),
      },
      new ForeignKeyConstraint(["orgId", "orgRegion"], ["orgs.id", "orgs.region"], { name: "fk_users_org", ondelete: "RESTRICT" }),
    );
    return { orgs, users };
  };

  it("are declared inline in CREATE TABLE with ON DELETE / ON UPDATE, unnamed unless named (SQLAlchemy's default convention names only indexes)", () => {
    const { users } = schema();
    expect(postgresqlDdl().createTable(users, new Set())[0]).toBe(`CREATE TABLE "users" (
  "id" SERIAL NOT NULL,
  "org_id" INTEGER,
  "org_region" VARCHAR(10),
  PRIMARY KEY ("id"),
  FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON DELETE CASCADE ON UPDATE SET NULL,
  CONSTRAINT "fk_users_org" FOREIGN KEY ("org_id", "org_region") REFERENCES "orgs" ("id", "region") ON DELETE RESTRICT
)`);
    expect(sqliteDdl().createTable(users, new Set())[0]).toContain(
      `  FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON DELETE CASCADE ON UPDATE SET NULL,\n`,
    );
    expect(mysqlDdl().createTable(users, new Set())[0]).toContain(
      "  CONSTRAINT `fk_users_org` FOREIGN KEY (`org_id`, `org_region`) REFERENCES `orgs` (`id`, `region`) ON DELETE RESTRICT\n) ENGINE=InnoDB",
    );
  });

  it("refer to tables in a schema with the schema", () => {
    const md = new MetaData({ schema: "app" });
    new Table("a", md, { id: Column(Integer, { primaryKey: true }) });
    const b = new Table("b", md, { aId: Column(Integer, ForeignKey("a.id"), { name: "a_id" }) });
    expect(postgresqlDdl().createTable(b, new Set())[0]).toBe(`CREATE TABLE "app"."b" (
  "a_id" INTEGER,
  FOREIGN KEY ("a_id") REFERENCES "app"."a" ("id")
)`);
  });

  it("an unknown referential action (from untyped code) is refused, never spliced", () => {
    const md = new MetaData();
    new Table("p", md, { id: Column(Integer, { primaryKey: true }) });
    const c = new Table("c", md, {
      pId: Column(Integer, ForeignKey("p.id", { ondelete: "CASCADE; DROP TABLE p" as "CASCADE" })),
    });
    expect(() => postgresqlDdl().createTable(c, new Set())).toThrow(ArgumentError);
  });
});

describe("unique, check and index", () => {
  const products = () =>
    new Table(
      "products",
      new MetaData(),
      {
        id: Column(Integer, { primaryKey: true }),
        code: Column(StringType(10), { unique: true }),
        sku: Column(StringType(10), { unique: true, index: true }),
        price: Column(Integer, { index: true }),
      },
      new UniqueConstraint(["code", "price"], { name: "uq_products_code_price" }),
      new CheckConstraint(and(price.gt(0), price.lt(1_000_000)), { name: "ck_products_price" }),
      new CheckConstraint(code.ne("O'Brien \\ '; DROP TABLE products; --")),
      new Index("ix_products_code_price", ["code", "price"]),
    );

  it("PostgreSQL: constraints after the columns, CHECK values as escaped literals, indexes after the table", () => {
    const ddl = postgresqlDdl();
    const table = products();
    expect(ddl.createTable(table, new Set())).toEqual([
      `CREATE TABLE "products" (
  "id" SERIAL NOT NULL,
  "code" VARCHAR(10),
  "sku" VARCHAR(10),
  "price" INTEGER,
  PRIMARY KEY ("id"),
  UNIQUE ("code"),
  CONSTRAINT "uq_products_code_price" UNIQUE ("code", "price"),
  CONSTRAINT "ck_products_price" CHECK ("price" > 0 AND "price" < 1000000),
  CHECK ("code" <> 'O''Brien \\ ''; DROP TABLE products; --')
)`,
    ]);
    expect(ddl.createIndexes(table)).toEqual([
      `CREATE UNIQUE INDEX "ix_products_sku" ON "products" ("sku")`,
      `CREATE INDEX "ix_products_price" ON "products" ("price")`,
      `CREATE INDEX "ix_products_code_price" ON "products" ("code", "price")`,
    ]);
  });

  it("SQLite: the same, with the schema on the index name; column_0_label carries the schema, as in SQLAlchemy", () => {
    const table = products();
    expect(sqliteDdl().createTable(table, new Set())[0]).toContain(
      `  CONSTRAINT "ck_products_price" CHECK ("price" > 0 AND "price" < 1000000),\n  CHECK ("code" <> 'O''Brien \\ ''; DROP TABLE products; --')\n)`,
    );
    const inSchema = new Table("t", new MetaData({ schema: "aux" }), { a: Column(Integer, { index: true }) });
    expect(sqliteDdl().createIndexes(inSchema)).toEqual([`CREATE INDEX "aux"."ix_aux_t_a" ON "t" ("a")`]);
    expect(postgresqlDdl().createIndexes(inSchema)).toEqual([`CREATE INDEX "ix_aux_t_a" ON "aux"."t" ("a")`]);
  });

  it("MySQL: backslashes in CHECK literals are escaped too", () => {
    const ddl = mysqlDdl();
    const table = products();
    expect(ddl.createTable(table, new Set())[0]).toContain(
      "  CONSTRAINT `ck_products_price` CHECK (`price` > 0 AND `price` < 1000000),\n  CHECK (`code` <> 'O''Brien \\\\ ''; DROP TABLE products; --')\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    );
    expect(ddl.createIndexes(table)).toEqual([
      "CREATE UNIQUE INDEX `ix_products_sku` ON `products` (`sku`)",
      "CREATE INDEX `ix_products_price` ON `products` (`price`)",
      "CREATE INDEX `ix_products_code_price` ON `products` (`code`, `price`)",
    ]);
  });
});
