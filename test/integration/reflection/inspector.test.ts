import { beforeAll, expect, it } from "vitest";
import { MetaData, NoSuchTableError, inspect } from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";
import { PLAIN_SQL } from "./plain-sql-fixture.ts";

/** The inspector on tables written in each database's own SQL: every method, every database. */
describeEachDatabase("inspector", (db) => {
  const ctx = useIsolatedDatabase(db, "reflection_inspector", new MetaData());
  const fixture = PLAIN_SQL[db.name];

  beforeAll(async () => {
    await ctx.engine.begin(async (conn) => {
      for (const sql of fixture.statements) await conn.execDriverSql(sql);
    });
  });

  it("getTableNames lists the tables sorted; hasTable tells which exist", async () => {
    const insp = inspect(ctx.engine);
    expect(await insp.getTableNames()).toEqual(["children", "parents"]);
    expect(await insp.hasTable("parents")).toBe(true);
    expect(await insp.hasTable("nothing_here")).toBe(false);
  });

  it("getSchemaNames includes the default schema", async () => {
    const names = await inspect(ctx.engine).getSchemaNames();
    const current = { sqlite: "SELECT 'main'", pglite: "SELECT current_schema()", postgresql: "SELECT current_schema()", mysql: "SELECT DATABASE()" }[db.name];
    const expected = (await ctx.engine.begin((conn) => conn.execDriverSql(current))).rows[0]?.[0];
    expect(names).toContain(expected);
    expect(names).not.toContain("pg_catalog");
  });

  it("getColumns: types with length and precision, nullability, server defaults, autoincrement, comments", async () => {
    const insp = inspect(ctx.engine);
    const parents = await insp.getColumns("parents");
    expect(parents.map((c) => c.name)).toEqual(["id", "code", "created"]);
    const [id, code, created] = parents;
    expect(id).toMatchObject({ nullable: false, autoincrement: true });
    expect(id!.type.kind).toBe("integer");
    expect(code).toMatchObject({ nullable: false, default: null, autoincrement: false, comment: fixture.features.comments ? "external code" : null });
    expect([code!.type.kind, code!.type.options.length]).toEqual(["string", 20]);
    expect(created!.type.kind).toBe("datetime");
    expect(created).toMatchObject({ nullable: true, default: expect.stringMatching(/current_timestamp/i) });

    const children = await insp.getColumns("children");
    const byName = Object.fromEntries(children.map((c) => [c.name, c]));
    expect(byName["name"]!.default).toMatch(/^'anon'/);
    expect([byName["price"]!.type.kind, byName["price"]!.type.options]).toEqual(["numeric", { precision: 10, scale: 2 }]);
    expect(byName["doc"]!.type.kind).toBe("json");
    expect(byName["parent_id"]).toMatchObject({ nullable: true, autoincrement: false });
  });

  it("getColumns: a computed column reports its expression and STORED", async () => {
    const total = (await inspect(ctx.engine).getColumns("children")).find((c) => c.name === "total");
    expect(total?.computed).toEqual({ sqltext: expect.stringMatching(/price`? \* \(?2/), persisted: true });
    expect(total?.default).toBeNull();
  });

  it("getColumns: an identity column reports its options where the database has them", async () => {
    const id = (await inspect(ctx.engine).getColumns("children")).find((c) => c.name === "id");
    if (!fixture.features.identity) {
      expect(id?.identity).toBeUndefined();
      return;
    }
    expect(id).toMatchObject({ autoincrement: true, default: null });
    expect(id?.identity).toMatchObject({ always: false, start: 1n, increment: 1n, cycle: false });
  });

  it("getColumns of a missing table raises NoSuchTableError", async () => {
    await expect(inspect(ctx.engine).getColumns("nothing_here")).rejects.toBeInstanceOf(NoSuchTableError);
  });

  it("getPkConstraint: the key's columns and its name", async () => {
    const insp = inspect(ctx.engine);
    expect(await insp.getPkConstraint("children")).toEqual({
      name: fixture.features.namedPrimaryKey ? "pk_children" : null,
      constrainedColumns: ["id"],
    });
    expect((await insp.getPkConstraint("parents")).constrainedColumns).toEqual(["id"]);
  });

  it("getForeignKeys: name, columns on both sides, referred table and ON DELETE", async () => {
    expect(await inspect(ctx.engine).getForeignKeys("children")).toEqual([
      {
        name: "fk_children_parent",
        constrainedColumns: ["parent_id"],
        referredSchema: null,
        referredTable: "parents",
        referredColumns: ["id"],
        options: { ondelete: "CASCADE" },
      },
    ]);
    expect(await inspect(ctx.engine).getForeignKeys("parents")).toEqual([]);
  });

  it("getIndexes: plain, functional (expressions) and partial (WHERE) indexes", async () => {
    const indexes = await inspect(ctx.engine).getIndexes("children");
    const byName = Object.fromEntries(indexes.map((i) => [i.name, i]));
    expect(byName["ix_children_name"]).toEqual({ name: "ix_children_name", columnNames: ["name"], unique: false, dialectOptions: {} });
    if (fixture.features.functionalIndex) {
      expect(byName["ix_children_lower"]).toMatchObject({ columnNames: [null], expressions: [expect.stringMatching(/^lower\(/i)], unique: false });
    }
    const partial = fixture.features.partialIndex;
    if (partial) {
      expect(byName["ix_children_cheap"]).toMatchObject({ columnNames: ["price"], dialectOptions: { [partial]: expect.stringMatching(/price\s*<\s*/) } });
    }
    const expected = ["ix_children_name", ...(fixture.features.functionalIndex ? ["ix_children_lower"] : []), ...(partial ? ["ix_children_cheap"] : [])];
    // MySQL also lists the index its foreign key uses (here: one it made, named after the key).
    expect(Object.keys(byName).filter((n) => n !== "fk_children_parent").sort()).toEqual(expected.sort());
  });

  it("getUniqueConstraints and the unique index behind one", async () => {
    const insp = inspect(ctx.engine);
    expect(await insp.getUniqueConstraints("parents")).toEqual([{ name: "uq_parents_code", columnNames: ["code"] }]);
    const indexes = await insp.getIndexes("parents");
    // SQLite's automatic index is left out; PostgreSQL and MySQL mark theirs as the constraint's.
    for (const index of indexes) expect(index).toMatchObject({ unique: true, duplicatesConstraint: "uq_parents_code" });
  });

  it("getCheckConstraints: name and condition (MariaDB's JSON check is not one)", async () => {
    const checks = await inspect(ctx.engine).getCheckConstraints("children");
    expect(checks).toEqual([{ name: "ck_children_price", sqltext: expect.stringMatching(/price`?\s*>=\s*\(?0/) }]);
  });

  it("getTableComment", async () => {
    const insp = inspect(ctx.engine);
    expect(await insp.getTableComment("parents")).toEqual({ text: fixture.features.comments ? "parent rows" : null });
    expect(await insp.getTableComment("children")).toEqual({ text: null });
  });

  it("runs on a given connection, inside its transaction", async () => {
    await ctx.engine.begin(async (conn) => {
      expect(await inspect(conn).getTableNames()).toEqual(["children", "parents"]);
      expect(conn.closed).toBe(false);
    });
  });
});
