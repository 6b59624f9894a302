import { beforeEach, expect, it } from "vitest";
import {
  ArgumentError,
  AsyncSession,
  Column,
  IntegrityError,
  Integer,
  MetaData,
  StringType,
  Table,
  bindparam,
  declarativeBase,
  delete_,
  insert,
  mappedColumn,
  select,
  text,
  update,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";
import { StatementRecorder } from "../../support/statements.ts";

/**
 * `execute(statement, [params, …])`, SQLAlchemy's executemany: an `insert(table)` takes the list as
 * its rows, in multi-row INSERTs of as many rows as the bound-parameter limit allows; any other
 * statement runs once per parameter set. Rows are read back on a connection of their own.
 */
const WIDE_COLUMNS = 40;

/** A model for the ORM select that refuses a list (never created: the refusal comes first). */
const ProbeBase = declarativeBase();
class Probe extends ProbeBase.model("em_probe", { id: mappedColumn(Integer, { primaryKey: true }) }) {}
ProbeBase.register(Probe);

describeEachDatabase("executemany", (db) => {
  const metadata = new MetaData();
  const items = new Table("em_items", metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(StringType(50)),
    qty: Column(Integer),
  });
  const wide = new Table(
    "em_wide",
    metadata,
    Object.fromEntries([
      ["id", Column(Integer, { primaryKey: true, autoincrement: false })],
      ...Array.from({ length: WIDE_COLUMNS - 1 }, (_, i) => [`c${i}`, Column(Integer)]),
    ]) as Record<string, ReturnType<typeof Column<number>>>,
  );
  const ctx = useIsolatedDatabase(db, "executemany", metadata);

  beforeEach(() => ctx.reset());

  async function readItems(): Promise<{ id: number; name: string | null; qty: number | null }[]> {
    await using conn = await ctx.engine.connect();
    return (await conn.execute(select(items.c.id, items.c.name, items.c.qty).orderBy(items.c.id))).all();
  }

  async function insertedStatements<T>(work: () => Promise<T>): Promise<{ value: T; inserts: { sql: string; params: readonly unknown[] }[] }> {
    const recorder = new StatementRecorder(ctx.engine);
    try {
      const { value, statements } = await recorder.during(work);
      return { value, inserts: statements.filter((s) => /^INSERT\b/i.test(s.sql)) };
    } finally {
      recorder.stop();
    }
  }

  it("conn.execute(insert(t), [rows]) inserts every row, not one DEFAULT VALUES row", async () => {
    {
      await using conn = await ctx.engine.connect();
      const result = await conn.execute(insert(items), [
        { name: "a", qty: 1 },
        { name: "b", qty: 2 },
        { name: "c", qty: null },
      ]);
      expect(result.rowsAffected).toBe(3);
      await conn.commit();
    }
    expect((await readItems()).map((r) => [r.name, r.qty])).toEqual([
      ["a", 1],
      ["b", 2],
      ["c", null],
    ]);
  });

  it("sends the rows as one multi-row INSERT with every value bound", async () => {
    const { inserts } = await insertedStatements(() =>
      ctx.engine.execute(insert(items), [
        { name: "x'); DROP TABLE em_items; --", qty: 1 },
        { name: "y", qty: 2 },
      ]),
    );
    expect(inserts).toHaveLength(1);
    const q = (name: string) => (db.name === "mysql" ? `\`${name}\`` : `"${name}"`);
    const p = (n: number) => (db.name === "sqlite" || db.name === "mysql" ? "?" : `$${n}`);
    expect(inserts[0]?.sql).toBe(
      `INSERT INTO ${q("em_items")} (${q("name")}, ${q("qty")}) VALUES (${p(1)}, ${p(2)}), (${p(3)}, ${p(4)})`,
    );
    expect(inserts[0]?.params).toEqual(["x'); DROP TABLE em_items; --", 1, "y", 2]);
    expect((await readItems()).map((r) => r.name)).toEqual(["x'); DROP TABLE em_items; --", "y"]);
  });

  it("batches 1,000 rows of two columns into one INSERT, and 2,500 into three", async () => {
    const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `n${i}`, qty: i }));
    const thousand = await insertedStatements(() => ctx.engine.execute(insert(items), rows(1_000)));
    expect(thousand.inserts.map((s) => s.params.length)).toEqual([2_000]);
    expect(thousand.value.rowsAffected).toBe(1_000);

    await ctx.reset();
    const more = await insertedStatements(() => ctx.engine.execute(insert(items), rows(2_500)));
    expect(more.inserts.map((s) => s.params.length)).toEqual([2_000, 2_000, 1_000]);
    expect(more.value.rowsAffected).toBe(2_500);
    const read = await readItems();
    expect(read).toHaveLength(2_500);
    expect(read.map((r) => r.qty)).toEqual(rows(2_500).map((r) => r.qty));
  });

  it("a later bulk INSERT of the same shape binds its own rows into the statement the first one built", async () => {
    const rows = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ name: `n${from + i}`, qty: from + i }));
    const first = await insertedStatements(() => ctx.engine.execute(insert(items), rows(2_500, 0)));
    const second = await insertedStatements(() => ctx.engine.execute(insert(items), rows(2_500, 10_000)));
    expect(second.inserts.map((s) => s.sql)).toEqual(first.inserts.map((s) => s.sql));
    expect(second.inserts[2]?.params.slice(0, 4)).toEqual(["n12000", 12_000, "n12001", 12_001]);
    const read = await readItems();
    expect(read.map((r) => r.qty)).toEqual([...rows(2_500, 0), ...rows(2_500, 10_000)].map((r) => r.qty));
    expect(read.every((r) => r.name === `n${r.qty}`)).toBe(true);
  });

  it("two tables of one name and shape each compute their own client-side defaults, in every batch", async () => {
    // Same name, columns and types (so the same statements): only their callable defaults differ.
    const stamped = (label: string) =>
      new Table("em_items", new MetaData(), {
        id: Column(Integer, { primaryKey: true }),
        name: Column(StringType(50), { default: () => label }),
        qty: Column(Integer),
      });
    const rows = Array.from({ length: 1_500 }, (_, i) => ({ qty: i }));
    await ctx.engine.execute(insert(stamped("first")), rows);
    await ctx.engine.execute(insert(stamped("second")), rows);
    const names = (await readItems()).map((r) => r.name);
    expect(names.slice(0, 1_500).every((n) => n === "first")).toBe(true);
    expect(names.slice(1_500).every((n) => n === "second")).toBe(true);
  });

  it(`keeps each INSERT under the bound-parameter limit: 1,000 rows of ${WIDE_COLUMNS} columns go as 750 + 250`, async () => {
    const rows = Array.from({ length: 1_000 }, (_, r) =>
      Object.fromEntries([["id", r + 1], ...Array.from({ length: WIDE_COLUMNS - 1 }, (_, i) => [`c${i}`, r * i])]),
    );
    const { value, inserts } = await insertedStatements(() => ctx.engine.execute(insert(wide), rows));
    expect(inserts.map((s) => s.params.length)).toEqual([750 * WIDE_COLUMNS, 250 * WIDE_COLUMNS]);
    expect(value.rowsAffected).toBe(1_000);
    await using conn = await ctx.engine.connect();
    const sums = await conn.execute(text("SELECT COUNT(*) AS n, SUM(c38) AS s FROM em_wide"));
    const { n, s } = sums.one() as { n: unknown; s: unknown };
    expect(Number(n)).toBe(1_000);
    expect(Number(s)).toBe((38 * 999 * 1_000) / 2);
  });

  it("returns RETURNING rows in the order of the parameter sets, across batches", async ({ skip }) => {
    const conn0 = await ctx.engine.connect();
    const returning = conn0.dialect.capabilities.insertReturning;
    await conn0.close();
    if (!returning) skip("no INSERT … RETURNING");
    // Generated keys: names given in an order unrelated to their sort order.
    const names = Array.from({ length: 1_200 }, (_, i) => `k${(i * 7919) % 1_200}`);
    const generated = await ctx.engine.execute(
      insert(items).returning(items.c.id, items.c.name),
      names.map((name) => ({ name })),
    );
    const rows = generated.all();
    expect(rows.map((r) => r.name)).toEqual(names);
    const ids = rows.map((r) => r.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    // rowsAffected is left out: mysql2 reports 0 for any statement that returns rows (MariaDB's RETURNING).

    // Given keys, scrambled: each returned row is its parameter set's.
    await ctx.reset();
    const given = Array.from({ length: 1_200 }, (_, i) => 1 + ((i * 613) % 1_200));
    const known = await ctx.engine.execute(
      insert(items).returning(items.c.id, items.c.qty),
      given.map((id) => ({ id, qty: id * 10 })),
    );
    expect(known.all()).toEqual(given.map((id) => ({ id, qty: id * 10 })));
  });

  it("refuses a parameter set missing a column of the first, naming the key and index, before anything runs", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    try {
      await using conn = await ctx.engine.connect();
      const run = conn.execute(insert(items), [{ name: "a", qty: 1 }, { name: "b", qty: 2 }, { name: "c" }]);
      await expect(run).rejects.toThrow(ArgumentError);
      await expect(run).rejects.toThrow(/parameter set 2 has no value for "qty"/);
      await expect(conn.execute(insert(items), [{ name: "a" }, { name: "b", qty: 2 }])).rejects.toThrow(
        /parameter set 1 gives "qty", which parameter set 0 does not/,
      );
      await expect(conn.execute(insert(items), [{ name: "a", colour: "red" }])).rejects.toThrow(/has no column "colour"/);
      await expect(conn.execute(insert(items), [])).rejects.toThrow(ArgumentError);
      expect(conn.inTransaction()).toBe(false);
    } finally {
      recorder.stop();
    }
    expect(recorder.all).toEqual([]);
    expect(await readItems()).toEqual([]);
  });

  it("runs UPDATE and DELETE with bindparam()s once per parameter set, rowsAffected summed", async () => {
    await ctx.engine.execute(insert(items).values([1, 2, 3, 4].map((id) => ({ id, name: `n${id}`, qty: id }))));
    const changeQty = update(items)
      .where(items.c.id.eq(bindparam("target", Integer)))
      .values({ qty: bindparam("newQty", Integer) });
    const updated = await insertedStatements(async () => {
      await using conn = await ctx.engine.connect();
      const result = await conn.execute(changeQty, [
        { target: 1, newQty: 10 },
        { target: 2, newQty: 20 },
        { target: 99, newQty: 990 },
      ]);
      await conn.commit();
      return result;
    });
    expect(updated.value.rowsAffected).toBe(2);

    const removed = await ctx.engine.execute(delete_(items).where(items.c.id.eq(bindparam("id", Integer))), [{ id: 3 }, { id: 4 }]);
    expect(removed.rowsAffected).toBe(2);
    expect((await readItems()).map((r) => [r.id, r.qty])).toEqual([
      [1, 10],
      [2, 20],
    ]);
  });

  it("runs each statement of an UPDATE executemany with its own parameters", async () => {
    await ctx.engine.execute(insert(items).values([{ id: 1, name: "a", qty: 1 }]));
    const recorder = new StatementRecorder(ctx.engine);
    try {
      await ctx.engine.execute(update(items).where(items.c.id.eq(bindparam("id", Integer))).values({ name: bindparam("name", StringType(50)) }), [
        { id: 1, name: "x" },
        { id: 2, name: "y" },
      ]);
      expect(recorder.statements.map((s) => s.params)).toEqual([
        ["x", 1],
        ["y", 2],
      ]);
    } finally {
      recorder.stop();
    }
  });

  it("runs insert().values() with bindparam()s once per parameter set", async () => {
    const stmt = insert(items).values({ name: bindparam("n", StringType(50)), qty: bindparam("q", Integer) });
    const { value, inserts } = await insertedStatements(() =>
      ctx.engine.execute(stmt, [
        { n: "a", q: 1 },
        { n: "b", q: 2 },
      ]),
    );
    expect(inserts.map((s) => s.params)).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    expect(value.rowsAffected).toBe(2);
    expect((await readItems()).map((r) => [r.name, r.qty])).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
  });

  it("runs text() with :name parameters once per parameter set", async () => {
    const add = text("INSERT INTO em_items (name, qty) VALUES (:name, :qty)");
    const added = await ctx.engine.execute(add, [
      { name: "a", qty: 1 },
      { name: "b", qty: 2 },
      { name: "c", qty: 3 },
    ]);
    expect(added.rowsAffected).toBe(3);
    const bumped = await ctx.engine.execute(text("UPDATE em_items SET qty = qty + :by WHERE name = :name"), [
      { name: "a", by: 100 },
      { name: "c", by: 100 },
    ]);
    expect(bumped.rowsAffected).toBe(2);
    expect((await readItems()).map((r) => [r.name, r.qty])).toEqual([
      ["a", 101],
      ["b", 2],
      ["c", 103],
    ]);
  });

  it("rolls back every batch when a later one fails", async () => {
    const rows = Array.from({ length: 1_500 }, (_, i) => ({ id: i + 1, name: `n${i}` }));
    rows[1_200] = { id: 5, name: "duplicate key" };
    // The duplicate key is refused by the database in the second batch, after the first was sent.
    await expect(ctx.engine.execute(insert(items), rows)).rejects.toThrow(IntegrityError);
    expect(await readItems()).toEqual([]);
  });

  it("session.execute(insert(table), [rows]) inserts every row in the session's transaction; an ORM select refuses a list", async () => {
    await using session = new AsyncSession(ctx.engine);
    const result = await session.execute(insert(items), [{ id: 1, name: "a", qty: 1 }, { id: 2, name: "b", qty: 2 }]);
    expect(result.rowsAffected).toBe(2);
    expect(session.inTransaction()).toBe(true);
    await session.commit();
    expect((await readItems()).map((r) => r.name)).toEqual(["a", "b"]);
    // A Core select runs once per parameter set.
    expect((await session.execute(select(items.c.id).orderBy(items.c.id), [{}, {}])).all().map((r) => r.id)).toEqual([1, 2, 1, 2]);
    const ormSelect = session.execute(select(Probe), [{}, {}]);
    await expect(ormSelect).rejects.toThrow(ArgumentError);
  });
});
