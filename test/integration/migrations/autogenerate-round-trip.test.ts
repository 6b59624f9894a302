import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { dialectNamed } from "../../../src/core/engine/create-async-engine.ts";
import { Column, ForeignKey, Index, Integer, MetaData, StringType, Table, UniqueConstraint, inspect } from "../../../src/index.ts";
import { autogenerateChanges } from "../../../src/migrations/autogenerate/autogenerate.ts";
import type { SchemaChange } from "../../../src/migrations/autogenerate/compare-metadata.ts";
import { MigrationCommands } from "../../../src/migrations/migration-commands.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";

const src = fileURLToPath(new URL("../../../src/", import.meta.url));
const modules = { core: join(src, "index.ts"), migrations: join(src, "migrations/index.ts") };

/** The first models: organizations and users. */
function modelsV1(): MetaData {
  const metadata = new MetaData();
  new Table("organizations", metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(StringType(50), { nullable: false }),
  });
  new Table("users", metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(StringType(50), { nullable: false }),
    organization_id: Column(Integer, ForeignKey("organizations.id")),
    team_id: Column(Integer),
    legacy: Column(Integer),
  });
  return metadata;
}

/** The change: add `email` (indexed, unique), drop `legacy`, widen `name`, a foreign key on `team_id`. */
function modelsV2(): MetaData {
  const metadata = new MetaData();
  new Table("organizations", metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(StringType(50), { nullable: false }),
  });
  new Table(
    "users",
    metadata,
    {
      id: Column(Integer, { primaryKey: true }),
      name: Column(StringType(80), { nullable: false }),
      organization_id: Column(Integer, ForeignKey("organizations.id")),
      team_id: Column(Integer, ForeignKey("organizations.id", { name: "fk_users_team" })),
      email: Column(StringType(100)),
    },
    new Index("ix_users_email", ["email"]),
    new UniqueConstraint(["email"], { name: "uq_users_email" }),
  );
  return metadata;
}

describeEachDatabase("migrations: autogenerate round trip", (db) => {
  const ctx = useIsolatedDatabase(db, "migrations_round_trip", new MetaData());
  let folder: string;
  let models = modelsV1();
  let output = "";
  const commands = () =>
    new MigrationCommands(
      { url: db.url, migrations: folder, metadata: async () => models, modules },
      { createEngine: () => ctx.engine, keepEngines: true, dialectNamed, write: (t) => (output += t) },
    );
  // Known gap: MySQL/MariaDB create an index for a foreign key added by ALTER TABLE and keep it when
  // the key is dropped, so after `downgrade -1` the index "fk_users_team" is left over there.
  const leftOverFkIndex = (c: SchemaChange): boolean => c.upgrade.kind === "drop-index" && c.upgrade.name === "fk_users_team";
  const diff = async (metadata: MetaData) =>
    (await autogenerateChanges(ctx.engine, metadata, { versionTable: "tsalchemy_version" })).filter((c) => !leftOverFkIndex(c)).map((c) => c.upgrade.kind);

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "tsa-migrations-"));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("models → revision --autogenerate → upgrade head → check clean", async () => {
    const path = await commands().revision("create organizations and users", { autogenerate: true });
    const text = await readFile(path, "utf8");
    if (process.env.DEBUG_MIGRATIONS) console.log(text);
    expect(text).toContain('export const downRevision: string | string[] | null = null;');
    expect(text).toContain('await op.createTable(\n    "organizations"');
    expect(text).toContain('await op.dropTable("organizations");');
    const steps = await commands().upgrade("head");
    expect(steps.map((s) => s.direction)).toEqual(["upgrade"]);
    await commands().check();
    expect(await commands().current()).toEqual(await commands().heads());
  });

  it("a change to the models autogenerates exactly those operations", async () => {
    models = modelsV2();
    if (process.env.DEBUG_MIGRATIONS) console.log(await autogenerateChanges(ctx.engine, models, { versionTable: "tsalchemy_version" }));
    expect((await diff(models)).sort()).toEqual(
      ["add-column", "alter-column", "create-foreign-key", "create-index", "create-unique-constraint", "drop-column"].sort(),
    );
    await expect(commands().check()).rejects.toThrow(/New upgrade operations detected/);
    const path = await commands().revision("users email", { autogenerate: true });
    const text = await readFile(path, "utf8");
    expect(text).toContain('"email"');
    expect(text).toContain("ix_users_email");
    expect(text).toContain("uq_users_email");
    expect(text).toContain("fk_users_team");
    expect(text).toMatch(/dropColumn\(("users", )?"legacy"\)/);
  });

  it("upgrade, downgrade -1, upgrade leave the database equal to the models", async () => {
    await commands().upgrade("head");
    expect(await diff(modelsV2())).toEqual([]);
    await commands().downgrade("-1");
    expect(await diff(modelsV1())).toEqual([]);
    await commands().upgrade("head");
    expect(await diff(modelsV2())).toEqual([]);
    await commands().check();
    expect(await commands().history()).toHaveLength(2);
  });

  it("stamp and downgrade base", async () => {
    const heads = await commands().heads();
    await commands().stamp("base");
    expect(await commands().current()).toEqual([]);
    await commands().stamp("head");
    expect(await commands().current()).toEqual(heads);
    await commands().downgrade("base");
    expect(await commands().current()).toEqual([]);
    expect(await inspect(ctx.engine).getTableNames()).toEqual(["tsalchemy_version"]);
  });

  it("--sql prints the migrations instead of running them", async () => {
    output = "";
    if (!ctx.engine.dialect.capabilities.alterAddForeignKey) {
      // SQLite's table rebuild reads the table; offline it needs batchAlterTable's copyFrom (as Alembic's copy_from).
      await expect(commands().upgrade("head", { sql: true })).rejects.toThrow(/copyFrom/);
      output = "";
    }
    await commands().upgrade(ctx.engine.dialect.capabilities.alterAddForeignKey ? "head" : "base+1", { sql: true });
    expect(output).toContain("CREATE TABLE IF NOT EXISTS");
    expect(output).toMatch(/CREATE TABLE .users./);
    expect(output).toMatch(/INSERT INTO .tsalchemy_version. \(.version_num.\) VALUES \('/);
    expect(await inspect(ctx.engine).getTableNames()).toEqual(["tsalchemy_version"]);
  });
});
