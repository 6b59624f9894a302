import { describe, expect, it } from "vitest";
import { MysqlDialect } from "../../../src/core/dialects/mysql/mysql-dialect.ts";
import { CheckConstraint, Column, Index, MetaData, Table, UniqueConstraint } from "../../../src/core/schema/index.ts";
import { literalColumn } from "../../../src/core/sql/elements.ts";
import { func } from "../../../src/core/sql/functions.ts";
import { Integer, StringType } from "../../../src/core/types/index.ts";
import { declarativeBase } from "../../../src/orm/declarative/declarative-base.ts";
import { mappedColumn } from "../../../src/orm/mapping/mapped-column.ts";
import { NotSupportedFeatureError } from "../../../src/shared/errors.ts";
import { mysqlDdl, postgresqlDdl, sqliteDdl } from "./ddl-dialects.ts";

/** A model with every kind of table argument (SQLAlchemy's `__table_args__`). */
function accountModel() {
  const Base = declarativeBase();
  class Account extends Base.model(
    "accounts",
    {
      id: mappedColumn(Integer, { primaryKey: true }),
      tenantId: mappedColumn(Integer, { name: "tenant_id", nullable: false }),
      email: mappedColumn(StringType(200), { nullable: false, comment: "login, as typed" }),
      balance: mappedColumn(Integer, { nullable: false }),
    },
    {
      tableArgs: [
        new UniqueConstraint(["tenantId", "email"], { name: "uq_accounts_tenant_email" }),
        (c) => new CheckConstraint(c.balance.ge(0), { name: "ck_accounts_balance" }),
        (c) => [
          new Index("ix_accounts_lower_email", [func.lower(c.email)], { unique: true }),
          new Index("ix_accounts_tenant_rich", ["tenantId", "balance"], {
            postgresqlWhere: c.balance.gt(1000),
            sqliteWhere: c.balance.gt(1000),
          }),
        ],
        { comment: "one row per login's account" },
      ],
    },
  ) {}
  return { Base, Account, table: Base.metadata.tables.get("accounts")! };
}

describe("table arguments on models (SQLAlchemy's __table_args__)", () => {
  it("PostgreSQL: composite UNIQUE and CHECK inline; functional and partial indexes; COMMENT ON TABLE / COLUMN", () => {
    const { table } = accountModel();
    const ddl = postgresqlDdl();
    expect(ddl.createTable(table, new Set())).toEqual([
      `CREATE TABLE "accounts" (
  "id" SERIAL NOT NULL,
  "tenant_id" INTEGER NOT NULL,
  "email" VARCHAR(200) NOT NULL,
  "balance" INTEGER NOT NULL,
  PRIMARY KEY ("id"),
  CONSTRAINT "uq_accounts_tenant_email" UNIQUE ("tenant_id", "email"),
  CONSTRAINT "ck_accounts_balance" CHECK ("balance" >= 0)
)`,
      `COMMENT ON TABLE "accounts" IS 'one row per login''s account'`,
      `COMMENT ON COLUMN "accounts"."email" IS 'login, as typed'`,
    ]);
    expect(ddl.createIndexes(table)).toEqual([
      `CREATE UNIQUE INDEX "ix_accounts_lower_email" ON "accounts" (lower("email"))`,
      `CREATE INDEX "ix_accounts_tenant_rich" ON "accounts" ("tenant_id", "balance") WHERE "balance" > 1000`,
    ]);
  });

  it("SQLite: the same DDL without comments (SQLite keeps none); sqliteWhere makes the partial index", () => {
    const { table } = accountModel();
    const ddl = sqliteDdl();
    const [create, ...rest] = ddl.createTable(table, new Set());
    expect(rest).toEqual([]);
    expect(create).toContain(`  CONSTRAINT "uq_accounts_tenant_email" UNIQUE ("tenant_id", "email"),\n  CONSTRAINT "ck_accounts_balance" CHECK ("balance" >= 0)\n)`);
    expect(ddl.createIndexes(table)).toEqual([
      `CREATE UNIQUE INDEX "ix_accounts_lower_email" ON "accounts" (lower("email"))`,
      `CREATE INDEX "ix_accounts_tenant_rich" ON "accounts" ("tenant_id", "balance") WHERE "balance" > 1000`,
    ]);
  });

  it("MySQL 8: inline COMMENT on columns and the table; functional key parts in parentheses; no partial indexes", () => {
    const { table } = accountModel();
    const ddl = new MysqlDialect({ variant: "mysql" }).ddlCompiler;
    expect(ddl.createTable(table, new Set())).toEqual([
      "CREATE TABLE `accounts` (\n" +
        "  `id` INTEGER NOT NULL AUTO_INCREMENT,\n" +
        "  `tenant_id` INTEGER NOT NULL,\n" +
        "  `email` VARCHAR(200) NOT NULL COMMENT 'login, as typed',\n" +
        "  `balance` INTEGER NOT NULL,\n" +
        "  PRIMARY KEY (`id`),\n" +
        "  CONSTRAINT `uq_accounts_tenant_email` UNIQUE (`tenant_id`, `email`),\n" +
        "  CONSTRAINT `ck_accounts_balance` CHECK (`balance` >= 0)\n" +
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='one row per login''s account'",
    ]);
    expect(ddl.createIndexes(table)).toEqual([
      "CREATE UNIQUE INDEX `ix_accounts_lower_email` ON `accounts` ((lower(`email`)))",
      "CREATE INDEX `ix_accounts_tenant_rich` ON `accounts` (`tenant_id`, `balance`)",
    ]);
  });

  it("MariaDB: an index over an expression is refused with the way out (a Computed column)", () => {
    const { table } = accountModel();
    expect(() => mysqlDdl().createIndexes(table)).toThrow(NotSupportedFeatureError);
    expect(() => mysqlDdl().createIndexes(table)).toThrow(/generated column/);
  });

  it("Core: the same arguments on new Table(…), with a non-function expression wrapped in parentheses and USING on PostgreSQL", () => {
    const md = new MetaData();
    const docs = new Table(
      "docs",
      md,
      { id: Column(Integer, { primaryKey: true }), a: Column(Integer), b: Column(Integer), title: Column(StringType(50), { comment: "shown" }) },
      (c) => new Index("ix_docs_sum", [c.a.add(c.b)]),
      new Index("ix_docs_title", ["title"], { postgresqlUsing: "hash" }),
      new Index("ix_docs_recent", ["id"], { postgresqlWhere: literalColumn("a IS NOT NULL") }),
      { comment: "documents" },
    );
    expect(docs.comment).toBe("documents");
    expect(docs.c.title.comment).toBe("shown");
    expect(postgresqlDdl().createIndexes(docs)).toEqual([
      `CREATE INDEX "ix_docs_sum" ON "docs" (("a" + "b"))`,
      `CREATE INDEX "ix_docs_title" ON "docs" USING hash ("title")`,
      `CREATE INDEX "ix_docs_recent" ON "docs" ("id") WHERE a IS NOT NULL`,
    ]);
    // sqliteWhere was not given: on SQLite the PostgreSQL predicate does not apply.
    expect(sqliteDdl().createIndexes(docs)[2]).toBe(`CREATE INDEX "ix_docs_recent" ON "docs" ("id")`);
  });

  it("values in a partial index predicate are literals, escaped; an index method must be a plain name", () => {
    const md = new MetaData();
    const t = new Table(
      "t",
      md,
      { id: Column(Integer, { primaryKey: true }), s: Column(StringType(10)) },
      (c) => new Index("ix_t_s", ["s"], { postgresqlWhere: c.s.ne("it's"), postgresqlUsing: "btree; DROP TABLE t" }),
    );
    expect(() => postgresqlDdl().createIndexes(t)).toThrow(/not an index method name/);
    const u = new Table("u", md, { s: Column(StringType(10)) }, (c) => new Index("ix_u_s", ["s"], { postgresqlWhere: c.s.ne("it's") }));
    expect(postgresqlDdl().createIndexes(u)).toEqual([`CREATE INDEX "ix_u_s" ON "u" ("s") WHERE "s" <> 'it''s'`]);
  });

  it("a column both unique and indexed gets only a unique index; unique alone an unnamed UNIQUE", () => {
    const t = new Table("people", new MetaData(), {
      id: Column(Integer, { primaryKey: true }),
      email: Column(StringType(50), { unique: true, index: true }),
      handle: Column(StringType(50), { unique: true }),
    });
    expect(t.uniqueConstraints.map((u) => [u.columns, u.name])).toEqual([[["handle"], undefined]]);
    expect(t.indexes.map((i) => [i.name, i.unique])).toEqual([["ix_people_email", true]]);
    expect(sqliteDdl().createTable(t, new Set())[0]).toContain(`  PRIMARY KEY ("id"),\n  UNIQUE ("handle")\n)`);
  });
});
