import { afterAll, beforeAll, expect, it } from "vitest";
import { MetaData, inspect, select } from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";

/**
 * Reading a named schema: a PostgreSQL schema, a MySQL database, SQLite's `main` (the in-memory
 * database cannot ATTACH inside the transaction every statement runs in). Each database's own
 * SQL creates and drops it.
 */
describeEachDatabase("reflection with a schema", (db) => {
  const ctx = useIsolatedDatabase(db, "reflection_schema", new MetaData());
  const schema = db.name === "sqlite" ? "main" : `tsa_reflection_other_${process.pid}`;
  const qualified = db.name === "sqlite" ? "" : `${schema}.`;
  const setup = { sqlite: [], pglite: [`CREATE SCHEMA ${schema}`], postgresql: [`CREATE SCHEMA ${schema}`], mysql: [`CREATE DATABASE ${schema}`] }[db.name];
  const teardown = {
    sqlite: [],
    pglite: [`DROP SCHEMA ${schema} CASCADE`],
    postgresql: [`DROP SCHEMA ${schema} CASCADE`],
    mysql: [`DROP DATABASE ${schema}`],
  }[db.name];

  beforeAll(async () => {
    await ctx.engine.begin(async (conn) => {
      for (const sql of setup) await conn.execDriverSql(sql);
      await conn.execDriverSql(`CREATE TABLE ${qualified}owners (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(30))`);
      await conn.execDriverSql(
        `CREATE TABLE ${qualified}pets (id INTEGER NOT NULL PRIMARY KEY, owner_id INTEGER, ` +
          `CONSTRAINT fk_pets_owner FOREIGN KEY (owner_id) REFERENCES ${qualified}owners (id))`,
      );
    });
  });

  afterAll(async () => {
    await ctx.engine.begin(async (conn) => {
      for (const sql of teardown) await conn.execDriverSql(sql);
    });
  });

  it("every method takes the schema; foreign keys name the referred schema", async () => {
    const insp = inspect(ctx.engine);
    expect(await insp.getTableNames(schema)).toEqual(["owners", "pets"]);
    expect(await insp.getSchemaNames()).toContain(schema);
    expect(await insp.hasTable("pets", schema)).toBe(true);
    expect((await insp.getColumns("pets", schema)).map((c) => c.name)).toEqual(["id", "owner_id"]);
    expect(await insp.getForeignKeys("pets", schema)).toEqual([
      {
        name: "fk_pets_owner",
        constrainedColumns: ["owner_id"],
        referredSchema: schema,
        referredTable: "owners",
        referredColumns: ["id"],
        options: {},
      },
    ]);
  });

  it("metadata.reflect({ schema }) builds schema-qualified tables that select() can use", async () => {
    const metadata = new MetaData();
    await metadata.reflect(inspect(ctx.engine), { schema, only: ["pets"] });
    expect([...metadata.tables.keys()].sort()).toEqual([`${schema}.owners`, `${schema}.pets`]);
    const pets = metadata.tables.get(`${schema}.pets`)!;
    const owners = metadata.tables.get(`${schema}.owners`)!;
    expect(pets.schema).toBe(schema);
    const rows = await ctx.engine.begin(async (conn) =>
      (await conn.execute(select(pets.c["id"]!, owners.c["name"]!).join(owners))).all(),
    );
    expect(rows).toEqual([]);
  });
});
