import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AsyncConnection,
  type AsyncEngine,
  Column,
  DBAPIError,
  IllegalStateChangeError,
  Integer,
  IntegrityError,
  MetaData,
  MultipleResultsFound,
  NoResultFound,
  ProgrammingError,
  ResourceClosedError,
  StringType,
  Table,
  createAsyncEngine,
  func,
  insert,
  select,
  text,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";

/**
 * Results on every database: the buffered Result API, streaming in bounded partitions, echo and
 * statement listeners, the compiled-statement cache, and errors translated into the DB-API tree
 * with the statement, parameters, driver error and the caller's stack.
 */
const STREAM_ROWS = 2_500;
const BATCH = 100;

describeEachDatabase("results", (db) => {
  const metadata = new MetaData();
  const people = new Table(`t_${process.pid}_res_people`, metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(StringType(50), { nullable: false }),
    score: Column(Integer),
  });
  const numbers = new Table(`t_${process.pid}_res_numbers`, metadata, {
    n: Column(Integer, { primaryKey: true }),
    label: Column(StringType(20), { nullable: false }),
  });
  const echoed: string[] = [];
  let echoOn = false;
  let engine: AsyncEngine;

  beforeAll(async () => {
    engine = createAsyncEngine(db.url, { echo: (line) => echoOn && echoed.push(line), poolTimeout: 5_000 });
    await engine.begin(async (conn) => {
      await metadata.createAll(conn);
      await conn.execute(
        insert(people).values([
          { id: 1, name: "ann", score: 10 },
          { id: 2, name: "bob", score: 20 },
          { id: 3, name: "cy", score: null },
        ]),
      );
      for (let start = 0; start < STREAM_ROWS; start += 500) {
        const rows = Array.from({ length: 500 }, (_, i) => ({ n: start + i + 1, label: `row ${start + i + 1}` }));
        await conn.execute(insert(numbers).values(rows));
      }
    });
  });

  afterAll(async () => {
    if (!engine) return;
    try {
      await engine.begin((conn) => metadata.dropAll(conn));
    } finally {
      await engine.dispose();
    }
  });

  async function withConnection<T>(work: (conn: AsyncConnection) => Promise<T>): Promise<T> {
    const conn = await engine.connect();
    try {
      return await work(conn);
    } finally {
      await conn.close();
    }
  }

  const byId = select(people.c.id, people.c.name, people.c.score).orderBy(people.c.id);

  describe("Result", () => {
    it("all() returns typed rows in order, then nothing (fetching consumes)", () =>
      withConnection(async (conn) => {
        const result = await conn.execute(byId);
        expect(result.keys()).toEqual(["id", "name", "score"]);
        const rows: { id: number; name: string; score: number | null }[] = result.all();
        expect(rows).toEqual([
          { id: 1, name: "ann", score: 10 },
          { id: 2, name: "bob", score: 20 },
          { id: 3, name: "cy", score: null },
        ]);
        expect(result.all()).toEqual([]);
      }));

    it("first() returns the first row (or null) and closes the result, as SQLAlchemy's", () =>
      withConnection(async (conn) => {
        const result = await conn.execute(byId);
        expect(result.first()).toEqual({ id: 1, name: "ann", score: 10 });
        expect(() => result.first()).toThrow(ResourceClosedError);
        expect((await conn.execute(byId.where(people.c.id.eq(99)))).first()).toBeNull();
      }));

    it("one(): exactly one row, else NoResultFound / MultipleResultsFound", () =>
      withConnection(async (conn) => {
        expect((await conn.execute(byId.where(people.c.id.eq(2)))).one()).toEqual({ id: 2, name: "bob", score: 20 });
        const none = await conn.execute(byId.where(people.c.id.eq(99)));
        expect(() => none.one()).toThrow(NoResultFound);
        const many = await conn.execute(byId);
        expect(() => many.one()).toThrow(MultipleResultsFound);
      }));

    it("oneOrNone(): one row, null for none, MultipleResultsFound for more", () =>
      withConnection(async (conn) => {
        expect((await conn.execute(byId.where(people.c.name.eq("cy")))).oneOrNone()).toEqual({ id: 3, name: "cy", score: null });
        expect((await conn.execute(byId.where(people.c.id.eq(99)))).oneOrNone()).toBeNull();
        const many = await conn.execute(byId.where(people.c.id.gt(1)));
        expect(() => many.oneOrNone()).toThrow(MultipleResultsFound);
      }));

    it("scalar(), scalarOne(), scalars()", () =>
      withConnection(async (conn) => {
        expect((await conn.execute(select(people.c.name).orderBy(people.c.id))).scalar()).toBe("ann");
        expect((await conn.execute(select(people.c.name).where(people.c.id.eq(99)))).scalar()).toBeNull();
        const count: number = (await conn.execute(select(func.count().label("n")).selectFrom(people))).scalarOne();
        expect(Number(count)).toBe(3);
        await expect((async () => (await conn.execute(select(people.c.name))).scalarOne())()).rejects.toThrow(MultipleResultsFound);
        await expect((async () => (await conn.execute(select(people.c.name).where(people.c.id.eq(99)))).scalarOne())()).rejects.toThrow(
          NoResultFound,
        );
        const names: string[] = (await conn.execute(select(people.c.name).orderBy(people.c.id))).scalars().all();
        expect(names).toEqual(["ann", "bob", "cy"]);
        expect((await conn.execute(byId)).scalars("name").all()).toEqual(["ann", "bob", "cy"]);
        expect((await conn.execute(select(people.c.score).orderBy(people.c.id))).scalars().all()).toEqual([10, 20, null]);
        expect((await conn.execute(select(people.c.id).where(people.c.id.eq(2)))).scalars().one()).toBe(2);
      }));

    it("mappings() gives rows as plain objects keyed by column", () =>
      withConnection(async (conn) => {
        const rows = (await conn.execute(select(people.c.name, people.c.score.label("points")).orderBy(people.c.id))).mappings().all();
        expect(rows).toEqual([
          { name: "ann", points: 10 },
          { name: "bob", points: 20 },
          { name: "cy", points: null },
        ]);
        expect(Object.keys(rows[0] as object)).toEqual(["name", "points"]);
      }));

    it("for await and for…of iterate the rows", () =>
      withConnection(async (conn) => {
        const seen: number[] = [];
        for await (const row of await conn.execute(byId)) seen.push(row.id);
        for (const row of await conn.execute(byId)) seen.push(row.id * 10);
        expect(seen).toEqual([1, 2, 3, 10, 20, 30]);
      }));

    it("text() results are keyed by the driver's column names", () =>
      withConnection(async (conn) => {
        const result = await conn.execute(text(`SELECT 7 AS seven, 'x' AS ex`));
        expect(result.keys()).toEqual(["seven", "ex"]);
        const row = result.one();
        expect(Number(row.seven)).toBe(7);
        expect(row.ex).toBe("x");
      }));

    it("rowsAffected reports updated rows", () =>
      withConnection(async (conn) => {
        const result = await conn.execute(text(`UPDATE ${quote(conn, people.name)} SET score = score + 1 WHERE id <= 2`));
        expect(result.rowsAffected).toBe(2);
        await conn.rollback();
      }));
  });

  describe("stream()", () => {
    const allNumbers = select(numbers.c.n, numbers.c.label).orderBy(numbers.c.n);

    it(`partitions() yields all ${STREAM_ROWS} rows in order, in batches of at most ${BATCH}`, () =>
      withConnection(async (conn) => {
        const stream = await conn.stream(allNumbers, undefined, { batchSize: BATCH });
        const sizes: number[] = [];
        const ns: number[] = [];
        for await (const batch of stream.partitions()) {
          sizes.push(batch.length);
          for (const row of batch) ns.push(row.n);
        }
        expect(ns).toEqual(Array.from({ length: STREAM_ROWS }, (_, i) => i + 1));
        // Bounded partitions: the memory bound of a cursor (PGlite buffers but still slices).
        expect(Math.max(...sizes)).toBeLessThanOrEqual(BATCH);
        expect(sizes.length).toBeGreaterThanOrEqual(STREAM_ROWS / BATCH);
        expect(sizes.every((s) => s > 0)).toBe(true);
      }));

    it("for await yields every row with the select's keys and types", () =>
      withConnection(async (conn) => {
        let count = 0;
        let previous = 0;
        for await (const row of await conn.stream(allNumbers, undefined, { batchSize: BATCH })) {
          expect(typeof row.n).toBe("number");
          expect(row.n).toBe(previous + 1);
          expect(row.label).toBe(`row ${row.n}`);
          previous = row.n;
          count++;
        }
        expect(count).toBe(STREAM_ROWS);
      }));

    it("a filtered stream binds its parameters; all() collects it", () =>
      withConnection(async (conn) => {
        const rows = await (await conn.stream(allNumbers.where(numbers.c.n.between(1001, 1010)), undefined, { batchSize: 3 })).all();
        expect(rows.map((r) => r.n)).toEqual([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010]);
      }));

    it("the connection is busy while streaming, and usable after an early break", () =>
      withConnection(async (conn) => {
        const stream = await conn.stream(allNumbers, undefined, { batchSize: BATCH });
        let taken = 0;
        for await (const row of stream) {
          if (taken === 0) {
            await expect(conn.execute(select(people.c.id))).rejects.toBeInstanceOf(IllegalStateChangeError);
          }
          taken++;
          if (row.n === 150) break;
        }
        expect(taken).toBe(150);
        // The rest of the stream was dropped; the connection runs the next statement normally.
        expect(Number((await conn.execute(select(func.count().label("n")).selectFrom(numbers))).scalarOne())).toBe(STREAM_ROWS);
        const again = await (await conn.stream(allNumbers.limit(5), undefined, { batchSize: 2 })).all();
        expect(again.map((r) => r.n)).toEqual([1, 2, 3, 4, 5]);
      }));

    it("a streaming result can be consumed only once", () =>
      withConnection(async (conn) => {
        const stream = await conn.stream(allNumbers.limit(3));
        expect((await stream.all()).length).toBe(3);
        await expect(stream.all()).rejects.toThrow();
        expect((await conn.execute(select(people.c.id).where(people.c.id.eq(1)))).scalarOne()).toBe(1);
      }));
  });

  describe("echo and statement listeners", () => {
    it("echo (function form) logs each statement with its duration and parameters", async () => {
      echoed.length = 0;
      echoOn = true;
      try {
        await engine.begin(async (conn) => {
          await conn.execute(select(people.c.name).where(people.c.id.eq(2), people.c.name.ne("zed")));
        });
      } finally {
        echoOn = false;
      }
      expect(echoed).toHaveLength(3);
      const lines = echoed.map((e) => e.split("\n"));
      expect(lines[0]?.[0]).toBe(engine.dialect.beginSql);
      const [sql, params] = lines[1] as string[];
      expect(sql).toMatch(/^SELECT .*name.* FROM .*res_people.* WHERE /);
      expect(params).toMatch(/^\[\d+\.\d+ ms\] \[parameters: \[2, "zed"\]\]$/);
      expect(lines[2]?.[0]).toBe("COMMIT");
    });

    it("onStatement counts every statement the engine runs, until unsubscribed", async () => {
      const seen: { sql: string; params: readonly unknown[] }[] = [];
      const stop = engine.onStatement((sql, params) => seen.push({ sql, params }));
      try {
        await engine.begin(async (conn) => {
          await conn.execute(select(people.c.id).where(people.c.id.eq(1)));
          await conn.execute(select(people.c.id).where(people.c.id.eq(2)));
          const sp = await conn.beginNested();
          await sp.rollback();
        });
      } finally {
        stop();
      }
      expect(seen).toHaveLength(6);
      expect(seen.map((s) => s.sql.split(" ")[0])).toEqual([engine.dialect.beginSql.split(" ")[0], "SELECT", "SELECT", "SAVEPOINT", "ROLLBACK", "COMMIT"]);
      expect(seen[1]?.params).toEqual([1]);
      expect(seen[2]?.params).toEqual([2]);
      await withConnection((conn) => conn.execute(select(people.c.id)));
      expect(seen).toHaveLength(6);
    });
  });

  describe("compiled-statement cache", () => {
    it("the same select shape with different values compiles once and returns the right rows", () =>
      withConnection(async (conn) => {
        const compiler = engine.dialect.compiler;
        // A shape no other test uses.
        const shaped = (low: number, name: string) =>
          select(people.c.name, people.c.score).where(people.c.id.ge(low), people.c.name.ne(name)).orderBy(people.c.score.desc());
        const before = compiler.cacheSize;
        const first = (await conn.execute(shaped(1, "bob"))).all();
        expect(compiler.cacheSize).toBe(before + 1);
        const second = (await conn.execute(shaped(2, "cy"))).all();
        expect(compiler.cacheSize).toBe(before + 1);
        expect(first.map((r) => r.name).sort()).toEqual(["ann", "cy"]);
        expect(second).toEqual([{ name: "bob", score: 20 }]);
        // A different shape (one more condition) is a new entry.
        await conn.execute(shaped(1, "x").where(people.c.score.isNotNull()));
        expect(compiler.cacheSize).toBe(before + 2);
      }));
  });

  describe("errors", () => {
    it("a duplicate primary key raises IntegrityError with sql, params, cause, code and the caller's stack", async () => {
      async function insertDuplicatePersonFromTheTest(conn: AsyncConnection) {
        await conn.execute(insert(people).values({ id: 1, name: "again", score: 99 }));
      }
      const error = await withConnection(async (conn) => {
        try {
          await insertDuplicatePersonFromTheTest(conn);
        } catch (caught) {
          return caught;
        }
        throw new Error("the duplicate insert succeeded");
      });
      expect(error).toBeInstanceOf(IntegrityError);
      expect(error).toBeInstanceOf(DBAPIError);
      const e = error as IntegrityError;
      expect(e.code).toBe("gkpj");
      expect(e.name).toBe("IntegrityError");
      expect(e.sql).toMatch(/^INSERT INTO .*res_people/);
      expect(e.params).toEqual([1, "again", 99]);
      expect(e.cause).toBeInstanceOf(Error);
      expect(e.cause).not.toBe(e);
      expect(e.driverCode).toBeTruthy();
      expect(e.message).toContain("[SQL: INSERT INTO");
      expect(e.stack).toContain("insertDuplicatePersonFromTheTest");
      // The row was not changed.
      const row = await withConnection(async (conn) => (await conn.execute(byId.where(people.c.id.eq(1)))).one());
      expect(row).toEqual({ id: 1, name: "ann", score: 10 });
    });

    it("a syntax error in text() raises ProgrammingError, and the connection recovers", () =>
      withConnection(async (conn) => {
        async function runMisspelledSelectFromTheTest() {
          return await conn.execute(text("SELEC 1"));
        }
        const error = await runMisspelledSelectFromTheTest().catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ProgrammingError);
        const e = error as ProgrammingError;
        expect(e.code).toBe("f405");
        expect(e.sql).toBe("SELEC 1");
        expect(e.params).toEqual([]);
        expect(e.cause).toBeDefined();
        expect(e.stack).toContain("runMisspelledSelectFromTheTest");
        await conn.rollback();
        expect((await conn.execute(select(people.c.id).where(people.c.id.eq(3)))).scalarOne()).toBe(3);
      }));

    it("a string of several statements is refused with ProgrammingError before any of them runs (pg ran them all, then failed with a TypeError)", () =>
      withConnection(async (conn) => {
        const first = quote(conn, `t_${process.pid}_res_multi_a`);
        const second = quote(conn, `t_${process.pid}_res_multi_b`);
        const error = await conn.execDriverSql(`UPDATE ${quote(conn, people.name)} SET score = 99; CREATE TABLE ${first} (id INTEGER); CREATE TABLE ${second} (id INTEGER)`).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ProgrammingError);
        await conn.rollback();
        // Nothing ran: no score changed, no table made (MySQL and MariaDB commit DDL at once).
        expect((await conn.execute(select(people.c.score).orderBy(people.c.id))).scalars().all()).toEqual([10, 20, null]);
        expect(await conn.execDriverSql(`SELECT 1 FROM ${first}`).catch((e: unknown) => e)).toBeInstanceOf(ProgrammingError);
        await conn.rollback();
      }));

    it("an error inside a stream is translated too", () =>
      withConnection(async (conn) => {
        const stream = await conn.stream(text(`SELECT * FROM ${quote(conn, `t_${process.pid}_no_such_table`)}`));
        await expect(stream.all()).rejects.toBeInstanceOf(ProgrammingError);
        await conn.rollback();
        expect((await conn.execute(select(people.c.id).where(people.c.id.eq(3)))).scalarOne()).toBe(3);
      }));
  });
});

function quote(conn: AsyncConnection, name: string): string {
  return conn.dialect.compiler.quote(name);
}
