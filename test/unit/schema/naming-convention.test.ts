import { describe, expect, it } from "vitest";
import { CheckConstraint, Column, ForeignKey, ForeignKeyConstraint, Index, MetaData, Table, UniqueConstraint } from "../../../src/core/schema/index.ts";
import { func } from "../../../src/core/sql/functions.ts";
import { Integer, StringType } from "../../../src/core/types/index.ts";
import { ArgumentError } from "../../../src/shared/errors.ts";
import { mysqlDdl, postgresqlDdl } from "../ddl/ddl-dialects.ts";

/** The convention SQLAlchemy's documentation recommends (and Alembic's autogenerate relies on). */
const RECOMMENDED = {
  ix: "ix_%(column_0_label)s",
  uq: "uq_%(table_name)s_%(column_0_name)s",
  ck: "ck_%(table_name)s_%(constraint_name)s",
  fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
  pk: "pk_%(table_name)s",
};

function schema(metadata: MetaData) {
  new Table("orgs", metadata, { id: Column(Integer, { primaryKey: true }), region: Column(StringType(5), { primaryKey: true }) });
  return new Table(
    "users",
    metadata,
    {
      id: Column(Integer, { primaryKey: true }),
      orgId: Column(Integer, ForeignKey("orgs.id"), { name: "org_id" }),
      orgRegion: Column(StringType(5), { name: "org_region" }),
      email: Column(StringType(50), { unique: true }),
      name: Column(StringType(50), { index: true }),
    },
    new ForeignKeyConstraint(["orgId", "orgRegion"], ["orgs.id", "orgs.region"]),
    new UniqueConstraint(["orgId", "name"]),
    (c) => new CheckConstraint(c.orgId.gt(0), { name: "positive_org" }),
    (c) => new Index(null, [func.lower(c.email)]),
  );
}

describe("MetaData naming conventions", () => {
  it("default (SQLAlchemy's DEFAULT_NAMING_CONVENTION): only indexes are named, ix_<table>_<column>; the rest is left to the database", () => {
    const users = schema(new MetaData());
    expect(users.indexes.map((i) => i.name)).toEqual(["ix_users_name", "ix_users_email"]);
    expect(users.uniqueConstraints.map((u) => u.name)).toEqual([undefined, undefined]);
    expect(users.foreignKeys.map((f) => f.name)).toEqual([undefined, undefined]);
    expect(users.primaryKeyConstraint?.name).toBeUndefined();
    expect(users.checkConstraints.map((c) => c.name)).toEqual(["positive_org"]);
  });

  it("the recommended convention names every kind; %(constraint_name)s wraps a given name", () => {
    const users = schema(new MetaData({ namingConvention: RECOMMENDED }));
    expect(users.primaryKeyConstraint?.name).toBe("pk_users");
    expect(users.foreignKeys.map((f) => f.name)).toEqual(["fk_users_org_id_orgs", "fk_users_org_id_orgs"]);
    expect(users.uniqueConstraints.map((u) => u.name)).toEqual(["uq_users_email", "uq_users_org_id"]);
    expect(users.checkConstraints.map((c) => c.name)).toEqual(["ck_users_positive_org"]);
    expect(users.indexes.map((i) => i.name)).toEqual(["ix_users_name", "ix_users_email"]);
    expect(postgresqlDdl().createTable(users, new Set())[0]).toBe(`CREATE TABLE "users" (
  "id" SERIAL NOT NULL,
  "org_id" INTEGER,
  "org_region" VARCHAR(5),
  "email" VARCHAR(50),
  "name" VARCHAR(50),
  CONSTRAINT "pk_users" PRIMARY KEY ("id"),
  CONSTRAINT "uq_users_email" UNIQUE ("email"),
  CONSTRAINT "uq_users_org_id" UNIQUE ("org_id", "name"),
  CONSTRAINT "ck_users_positive_org" CHECK ("org_id" > 0),
  CONSTRAINT "fk_users_org_id_orgs" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id"),
  CONSTRAINT "fk_users_org_id_orgs" FOREIGN KEY ("org_id", "org_region") REFERENCES "orgs" ("id", "region")
)`);
    expect(postgresqlDdl().createIndexes(users)).toEqual([
      `CREATE INDEX "ix_users_name" ON "users" ("name")`,
      `CREATE INDEX "ix_users_email" ON "users" (lower("email"))`,
    ]);
  });

  it("multi-column tokens: column_0N_name joins, column_0_N_name joins with _, referred_column_0_N_name, key and label", () => {
    const md = new MetaData({
      namingConvention: {
        uq: "uq_%(table_name)s_%(column_0N_name)s",
        fk: "fk_%(column_0_N_key)s__%(referred_table_name)s_%(referred_column_0_N_name)s",
        ix: "ix_%(column_0_N_label)s",
        pk: "pk_%(table_name)s_%(column_1_name)s_%(column_5_name)s",
      },
    });
    const users = schema(md);
    expect(users.uniqueConstraints.map((u) => u.name)).toEqual(["uq_users_email", "uq_users_org_idname"]);
    expect(users.foreignKeys.map((f) => f.name)).toEqual(["fk_orgId__orgs_id", "fk_orgId_orgRegion__orgs_id_region"]);
    expect(users.indexes.map((i) => i.name)).toEqual(["ix_users_name", "ix_users_email"]);
    // An index past the constraint's columns is "" (as in SQLAlchemy).
    expect(md.tables.get("orgs")?.primaryKeyConstraint?.name).toBe("pk_orgs_region_");
  });

  it("custom tokens are functions of the constraint and table; a schema goes into labels", () => {
    const md = new MetaData({
      schema: "app",
      namingConvention: { ix: "%(prefix)s_%(column_0_label)s", tokens: { prefix: (c) => (c.kind === "index" ? "idx" : "x") } },
    });
    const t = new Table("t", md, { a: Column(Integer, { index: true }) });
    expect(t.indexes[0]?.name).toBe("idx_app_t_a");
  });

  it("an explicit name wins unless the template uses %(constraint_name)s; an unnamed constraint under that template is an error", () => {
    const md = new MetaData({ namingConvention: { ck: "ck_%(table_name)s_%(constraint_name)s", uq: "uq_%(table_name)s_%(column_0_name)s" } });
    const t = new Table("t", md, { a: Column(Integer) }, new UniqueConstraint(["a"], { name: "mine" }));
    expect(t.uniqueConstraints[0]?.name).toBe("mine");
    expect(() => new Table("u", md, { a: Column(Integer) }, (c) => new CheckConstraint(c.a.gt(1)))).toThrow(ArgumentError);
    expect(() => new Table("v", md, { a: Column(Integer) }, (c) => new CheckConstraint(c.a.gt(1)))).toThrow(/%\(constraint_name\)s/);
  });

  it("an unknown token is an error naming it; long names are shortened with a hash within 63 characters", () => {
    expect(() => new Table("t", new MetaData({ namingConvention: { uq: "uq_%(nope)s" } }), { a: Column(Integer, { unique: true }) })).toThrow(
      /%\(nope\)s/,
    );
    const long = "a_table_name_long_enough_to_need_shortening_for_sure";
    const t = new Table(long, new MetaData(), { a_column_with_a_long_name_too: Column(Integer, { index: true }) });
    expect(t.indexes[0]?.name).toHaveLength(63);
    expect(t.indexes[0]?.name).toMatch(/^ix_a_table_name_long_enough_to_need_shortening_for_sur_[0-9a-f]{8}$/);
  });

  it("a convention without ix leaves index: true columns unnamed, and CREATE INDEX refuses them (as SQLAlchemy does)", () => {
    const t = new Table("t", new MetaData({ namingConvention: { uq: "uq_%(table_name)s_%(column_0_name)s" } }), { a: Column(Integer, { index: true }) });
    expect(t.indexes[0]?.name).toBeUndefined();
    expect(() => mysqlDdl().createIndexes(t)).toThrow(/no "ix" template/);
  });
});
