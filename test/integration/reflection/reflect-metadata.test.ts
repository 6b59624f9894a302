import { beforeAll, expect, it } from "vitest";
import {
  type AsyncEngine,
  BooleanType,
  CheckConstraint,
  Column,
  DateTime,
  ForeignKey,
  Index,
  Integer,
  MetaData,
  NoSuchTableError,
  Numeric,
  PrimaryKeyConstraint,
  String,
  Table,
  Text,
  insert,
  inspect,
  literalColumn,
  select,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";

/** Tables made by our DDL: composite key, foreign keys, unique, check, index, server defaults. */
function declaredMetadata(): MetaData {
  const metadata = new MetaData();
  new Table("organizations", metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(String(50), { nullable: false, unique: true }),
    created: Column(DateTime(), { serverDefault: literalColumn("CURRENT_TIMESTAMP") }),
  });
  new Table(
    "users",
    metadata,
    {
      id: Column(Integer, { primaryKey: true }),
      organization_id: Column(Integer, ForeignKey("organizations.id", { ondelete: "CASCADE" }), { nullable: false }),
      email: Column(String(100), { nullable: false, unique: true, index: true }),
      score: Column(Numeric(10, 2), { serverDefault: "0" }),
      active: Column(BooleanType),
      bio: Column(Text),
    },
    new CheckConstraint(literalColumn<boolean>("score >= 0"), { name: "ck_users_score" }),
    new Index("ix_users_organization", ["organization_id"]),
  );
  new Table(
    "memberships",
    metadata,
    {
      user_id: Column(Integer, ForeignKey("users.id")),
      role: Column(String(20)),
    },
    new PrimaryKeyConstraint(["user_id", "role"]),
  );
  return metadata;
}

/**
 * Everything the inspector reports on every table, with types as their kind and options. The
 * database's own type spelling is left out: `CHAR(8)` comes back as our `String(8)`, which
 * creates a VARCHAR(8).
 */
async function snapshot(engine: AsyncEngine): Promise<unknown> {
  const insp = inspect(engine);
  const tables: Record<string, unknown> = {};
  for (const name of await insp.getTableNames()) {
    tables[name] = {
      columns: (await insp.getColumns(name)).map(({ typeName: _, ...c }) => ({ ...c, type: { kind: c.type.kind, options: c.type.options } })),
      primaryKey: await insp.getPkConstraint(name),
      foreignKeys: await insp.getForeignKeys(name),
      indexes: await insp.getIndexes(name),
      uniqueConstraints: await insp.getUniqueConstraints(name),
      checkConstraints: await insp.getCheckConstraints(name),
    };
  }
  return tables;
}

describeEachDatabase("metadata.reflect", (db) => {
  const source = useIsolatedDatabase(db, "reflection_source", declaredMetadata());
  const copy = useIsolatedDatabase(db, "reflection_copy", new MetaData());

  beforeAll(async () => {
    // One table written by hand, as a database someone else made would have it.
    const legacy = {
      sqlite: "CREATE TABLE legacy (code CHAR(8) NOT NULL PRIMARY KEY, label VARCHAR(40) DEFAULT 'none', amount REAL)",
      pglite: "CREATE TABLE legacy (code CHAR(8) NOT NULL PRIMARY KEY, label VARCHAR(40) DEFAULT 'none', amount DOUBLE PRECISION)",
      postgresql: "CREATE TABLE legacy (code CHAR(8) NOT NULL PRIMARY KEY, label VARCHAR(40) DEFAULT 'none', amount DOUBLE PRECISION)",
      mysql: "CREATE TABLE legacy (code CHAR(8) NOT NULL PRIMARY KEY, label VARCHAR(40) DEFAULT 'none', amount DOUBLE)",
    }[db.name];
    await source.engine.begin((conn) => conn.execDriverSql(legacy));
  });

  it("builds Table objects with columns, keys, constraints and indexes", async () => {
    const metadata = new MetaData();
    await metadata.reflect(inspect(source.engine));
    expect([...metadata.tables.keys()].sort()).toEqual(["legacy", "memberships", "organizations", "users"]);
    const users = metadata.tables.get("users")!;
    expect(Object.keys(users.c)).toEqual(["id", "organization_id", "email", "score", "active", "bio"]);
    expect(users.primaryKey.map((c) => c.name)).toEqual(["id"]);
    expect(users.autoincrementColumn?.name).toBe("id");
    expect(users.column("email")).toMatchObject({ nullable: false });
    // Our SQLite DDL stores Numeric as TEXT (NUMERIC affinity would round it), so TEXT comes back.
    expect(users.column("score")?.type).toMatchObject(
      db.name === "sqlite" ? { kind: "text" } : { kind: "numeric", options: { precision: 10, scale: 2 } },
    );
    expect(users.foreignKeys.map((fk) => [fk.columns, fk.targets, fk.ondelete])).toEqual([[["organization_id"], ["organizations.id"], "CASCADE"]]);
    expect(users.checkConstraints.map((c) => c.name)).toEqual(["ck_users_score"]);
    expect(users.indexes.map((i) => i.name)).toContain("ix_users_organization");
    expect(metadata.tables.get("memberships")!.primaryKey.map((c) => c.name)).toEqual(["user_id", "role"]);
    expect(metadata.tables.get("memberships")!.autoincrementColumn).toBeUndefined();
    expect(metadata.tables.get("legacy")!.primaryKey.map((c) => c.name)).toEqual(["code"]);
  });

  it("reflected tables work in insert() and select()", async () => {
    const metadata = new MetaData();
    await metadata.reflect(inspect(source.engine), { only: ["users"] });
    const organizations = metadata.tables.get("organizations")!;
    const users = metadata.tables.get("users")!;
    await source.engine.begin(async (conn) => {
      await conn.execute(insert(organizations).values({ name: "acme" }));
      const organizationId = (await conn.execute(select(organizations.c["id"]!))).scalarOne();
      await conn.execute(insert(users).values({ organization_id: organizationId, email: "ann@example.com", bio: "hi" }));
      const rows = (
        await conn.execute(
          select(users.c["email"]!, users.c["score"]!, organizations.c["name"]!)
            .join(organizations)
            .where(users.c["email"]!.eq("ann@example.com")),
        )
      ).all();
      expect(rows).toEqual([{ email: "ann@example.com", score: expect.stringMatching(/^0(\.00)?$/), name: "acme" }]);
      await conn.execDriverSql("DELETE FROM users");
      await conn.execDriverSql("DELETE FROM organizations");
    });
  });

  it("only: the named tables and the tables their foreign keys refer to", async () => {
    const metadata = new MetaData();
    await metadata.reflect(inspect(source.engine), { only: ["memberships"] });
    expect([...metadata.tables.keys()].sort()).toEqual(["memberships", "organizations", "users"]);
  });

  it("keeps tables the MetaData already has", async () => {
    const metadata = new MetaData();
    const mine = new Table("organizations", metadata, { id: Column(Integer, { primaryKey: true }) });
    await metadata.reflect(inspect(source.engine), { only: ["users"] });
    expect(metadata.tables.get("organizations")).toBe(mine);
  });

  it("only: a missing table raises NoSuchTableError and adds nothing", async () => {
    const metadata = new MetaData();
    await expect(metadata.reflect(inspect(source.engine), { only: ["users", "nothing_here"] })).rejects.toThrow(NoSuchTableError);
    expect(metadata.tables.size).toBe(0);
  });

  it("reflect → createAll on a fresh database → reflect again: the same", async () => {
    const metadata = new MetaData();
    await metadata.reflect(inspect(source.engine));
    await copy.engine.begin((conn) => metadata.createAll(conn));
    expect(await snapshot(copy.engine)).toEqual(await snapshot(source.engine));
  });
});
