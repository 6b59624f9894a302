import { describe, expect, it } from "vitest";
import { dialectNamed } from "../../../src/core/engine/create-async-engine.ts";
import { Column, ForeignKey, Index, Integer, MetaData, StringType, Table, func, literalColumn } from "../../../src/index.ts";
import type { Operations } from "../../../src/migrations/operations/operations.ts";
import { OfflineTarget } from "../../../src/migrations/runtime/offline-target.ts";
import { VersionTable } from "../../../src/migrations/runtime/version-table.ts";

/** The statements `work` renders offline on a dialect (version table and BEGIN/COMMIT left out). */
async function sqlOf(dialect: "sqlite" | "postgresql" | "mysql", work: (op: Operations) => Promise<void>): Promise<string[]> {
  const d = dialectNamed(dialect);
  let out = "";
  const target = new OfflineTarget(d, new VersionTable(d), (s) => (out += s), []);
  out = "";
  await target.runStep("step", work, []);
  return out
    .replace(/^--.*\n\n/gm, "")
    .split(";\n\n")
    .map((s) => s.trim())
    .filter((s) => s !== "" && !s.startsWith("--") && s !== "BEGIN" && s !== "COMMIT");
}

describe("op renderings", () => {
  it("add, drop and rename columns and tables", async () => {
    const work = async (op: Operations) => {
      await op.addColumn("users", "email", Column(StringType(100), { nullable: false, serverDefault: "" }));
      await op.renameTable("users", "people");
    };
    expect(await sqlOf("postgresql", work)).toEqual([
      `ALTER TABLE "users" ADD COLUMN "email" VARCHAR(100) DEFAULT '' NOT NULL`,
      `ALTER TABLE "users" RENAME TO "people"`,
    ]);
    expect(await sqlOf("mysql", work)).toEqual([
      "ALTER TABLE `users` ADD COLUMN `email` VARCHAR(100) NOT NULL DEFAULT ''",
      "ALTER TABLE `users` RENAME TO `people`",
    ]);
    expect(await sqlOf("postgresql", (op) => op.dropColumn("users", "email"))).toEqual([`ALTER TABLE "users" DROP COLUMN "email"`]);
  });

  it("alterColumn: one ALTER per change on PostgreSQL, MODIFY/CHANGE restating the column on MySQL", async () => {
    const work = (op: Operations) =>
      op.alterColumn("users", "name", { type: StringType(80), nullable: false, serverDefault: literalColumn("'x'"), existingType: StringType(50) });
    expect(await sqlOf("postgresql", work)).toEqual([
      `ALTER TABLE "users" ALTER COLUMN "name" TYPE VARCHAR(80)`,
      `ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL`,
      `ALTER TABLE "users" ALTER COLUMN "name" SET DEFAULT 'x'`,
    ]);
    expect(await sqlOf("mysql", work)).toEqual(["ALTER TABLE `users` MODIFY `name` VARCHAR(80) NOT NULL DEFAULT 'x'"]);
    expect(await sqlOf("mysql", (op) => op.alterColumn("users", "name", { serverDefault: null }))).toEqual([
      "ALTER TABLE `users` ALTER COLUMN `name` DROP DEFAULT",
    ]);
    await expect(sqlOf("mysql", (op) => op.alterColumn("users", "name", { nullable: true }))).rejects.toThrow(/existingType/);
    expect(await sqlOf("sqlite", (op) => op.alterColumn("users", "name", { newColumnName: "full_name" }))).toEqual([
      `ALTER TABLE "users" RENAME COLUMN "name" TO "full_name"`,
    ]);
  });

  it("indexes and constraints", async () => {
    const work = async (op: Operations) => {
      await op.createIndex("ix_users_org", "users", ["org_id"], { unique: true });
      await op.dropIndex("ix_users_org", "users");
      await op.createForeignKey("fk_users_org", "users", "orgs", ["org_id"], ["id"], { ondelete: "CASCADE" });
      await op.createUniqueConstraint("uq_users_email", "users", ["email"]);
      await op.dropConstraint("uq_users_email", "users", { type: "unique" });
      await op.dropConstraint("fk_users_org", "users", { type: "foreignkey" });
    };
    expect(await sqlOf("postgresql", work)).toEqual([
      `CREATE UNIQUE INDEX "ix_users_org" ON "users" ("org_id")`,
      `DROP INDEX "ix_users_org"`,
      `ALTER TABLE "users" ADD CONSTRAINT "fk_users_org" FOREIGN KEY ("org_id") REFERENCES "orgs" ("id") ON DELETE CASCADE`,
      `ALTER TABLE "users" ADD CONSTRAINT "uq_users_email" UNIQUE ("email")`,
      `ALTER TABLE "users" DROP CONSTRAINT "uq_users_email"`,
      `ALTER TABLE "users" DROP CONSTRAINT "fk_users_org"`,
    ]);
    expect(await sqlOf("mysql", work)).toEqual([
      "CREATE UNIQUE INDEX `ix_users_org` ON `users` (`org_id`)",
      "DROP INDEX `ix_users_org` ON `users`",
      "ALTER TABLE `users` ADD CONSTRAINT `fk_users_org` FOREIGN KEY (`org_id`) REFERENCES `orgs` (`id`) ON DELETE CASCADE",
      "ALTER TABLE `users` ADD CONSTRAINT `uq_users_email` UNIQUE (`email`)",
      "ALTER TABLE `users` DROP INDEX `uq_users_email`",
      "ALTER TABLE `users` DROP FOREIGN KEY `fk_users_org`",
    ]);
    await expect(sqlOf("mysql", (op) => op.dropConstraint("x", "users"))).rejects.toThrow(/pass type/);
  });

  it("createTable reuses the dialect's CREATE TABLE; bulkInsert writes literals offline", async () => {
    const sql = await sqlOf("postgresql", async (op) => {
      const t = await op.createTable("users", {
        id: Column(Integer, { primaryKey: true }),
        org_id: Column(Integer, ForeignKey("orgs.id")),
        name: Column(StringType(50), { index: true }),
      });
      await op.bulkInsert(t, [{ id: 1, org_id: null, name: "o'neil" }]);
    });
    expect(sql).toEqual([
      'CREATE TABLE "users" (\n  "id" SERIAL NOT NULL,\n  "org_id" INTEGER,\n  "name" VARCHAR(50),\n  PRIMARY KEY ("id"),\n' +
        '  FOREIGN KEY ("org_id") REFERENCES "orgs" ("id")\n)',
      `CREATE INDEX "ix_users_name" ON "users" ("name")`,
      `INSERT INTO "users" ("id", "org_id", "name") VALUES (1, NULL, 'o''neil')`,
    ]);
  });

  it("SQLite rebuilds the table (copy-and-move) for what ALTER TABLE cannot do", async () => {
    const copyFrom = new Table("users", new MetaData(), {
      id: Column(Integer, { primaryKey: true }),
      name: Column(StringType(50)),
      legacy: Column(Integer, { index: true }),
    });
    const sql = await sqlOf("sqlite", (op) =>
      op.batchAlterTable(
        "users",
        (batch) => {
          batch.alterColumn("name", { type: StringType(80), nullable: false });
          batch.dropColumn("legacy");
          batch.createIndex("ix_users_name", ["name"]);
        },
        { copyFrom },
      ),
    );
    expect(sql).toEqual([
      'CREATE TABLE "_tsa_tmp_users" (\n  "id" INTEGER NOT NULL,\n  "name" VARCHAR(80) NOT NULL,\n  PRIMARY KEY ("id")\n)',
      'INSERT INTO "_tsa_tmp_users" ("id", "name") SELECT "id", CAST("name" AS VARCHAR(80)) FROM "users"',
      'DROP TABLE "users"',
      'ALTER TABLE "_tsa_tmp_users" RENAME TO "users"',
      'CREATE INDEX "ix_users_name" ON "users" ("name")',
    ]);
    await expect(sqlOf("sqlite", (op) => op.dropColumn("users", "legacy"))).rejects.toThrow(/copyFrom/);
  });

  it("a SQLite rebuild recreates a partial or functional index whole (its WHERE and expressions), not only its columns", async () => {
    const copyFrom = new Table(
      "users",
      new MetaData(),
      {
        id: Column(Integer, { primaryKey: true }),
        name: Column(StringType(50)),
        active: Column(Integer),
      },
      (c) => new Index("ix_users_active_name", ["name"], { sqliteWhere: c.active.eq(literalColumn("1") as never) }),
      (c) => new Index("ix_users_lower_name", [func.lower(c.name)]),
    );
    const sql = await sqlOf("sqlite", (op) => op.batchAlterTable("users", (batch) => void batch.alterColumn("name", { type: StringType(80) }), { copyFrom }));
    expect(sql.filter((statement) => statement.startsWith("CREATE INDEX"))).toEqual([
      'CREATE INDEX "ix_users_active_name" ON "users" ("name") WHERE "active" = 1',
      'CREATE INDEX "ix_users_lower_name" ON "users" (lower("name"))',
    ]);
    // A column renamed in the batch: the partial index follows it and keeps its WHERE.
    const renamed = await sqlOf("sqlite", (op) => op.batchAlterTable("users", (batch) => void batch.alterColumn("name", { newColumnName: "full_name" }), { copyFrom, recreate: "always" }));
    expect(renamed.filter((statement) => statement.startsWith("CREATE INDEX"))[0]).toBe('CREATE INDEX "ix_users_active_name" ON "users" ("full_name") WHERE "active" = 1');
  });
});

