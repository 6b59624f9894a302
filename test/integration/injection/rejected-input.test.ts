/**
 * Acceptance 7 of issue 2, input that must never become SQL: a string where SQL is expected
 * (WHERE, HAVING, ORDER BY, GROUP BY, the column list), LIMIT/OFFSET that are not non-negative
 * integers, a LIKE escape that is not one character, and non-scalar values for text columns. Each
 * is refused with a typed error before any statement reaches the database, on every database.
 */
import { expect, it } from "vitest";
import {
  ArgumentError,
  Column,
  Integer,
  MetaData,
  StatementValueError,
  Table,
  Text,
  delete_,
  insert,
  select,
  update,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { canaryTable, expectCanaryIntact, useCanaryEngine } from "./canary.ts";
import { valuePayloads } from "./corpus.ts";

describeEachDatabase("injection corpus: rejected input", (db) => {
  const tag = `ir${process.pid.toString(36)}`;
  const metadata = new MetaData();
  const canary = canaryTable(metadata, `${tag}_canary`);
  const notes = new Table(`${tag}_notes`, metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    body: Column(Text),
  });
  const payloads = valuePayloads(canary.name).map((p) => p.value);
  const ctx = useCanaryEngine(db.url, metadata, canary);


  it("a string where SQL is expected is an ArgumentError, for every payload and clause", () => {
    const base = select(notes.c.id);
    const clauses: [string, (payload: string) => unknown][] = [
      ["select()", (p) => select(p as never)],
      ["where()", (p) => base.where(p as never)],
      ["having()", (p) => base.groupBy(notes.c.id).having(p as never)],
      ["orderBy()", (p) => base.orderBy(p as never)],
      ["groupBy()", (p) => base.groupBy(p as never)],
      ["update().where()", (p) => update(notes).values({ body: "x" }).where(p as never)],
      ["delete().where()", (p) => delete_(notes).where(p as never)],
    ];
    for (const payload of payloads) {
      for (const [clause, build] of clauses) {
        expect(() => build(payload), `${clause} with ${JSON.stringify(payload)}`).toThrow(ArgumentError);
      }
    }
  });

  it("limit() and offset() take only non-negative integers (null removes them, as SQLAlchemy's None does)", () => {
    const bad: unknown[] = [...payloads, "5", 5.2, -1, Number.NaN, Number.POSITIVE_INFINITY, 1e309, 2 ** 53 + 2, {}, [1]];
    for (const value of bad) {
      expect(() => select(notes.c.id).limit(value as never), `limit(${String(value)})`).toThrow(ArgumentError);
      expect(() => select(notes.c.id).offset(value as never), `offset(${String(value)})`).toThrow(ArgumentError);
    }
  });

  it("a LIKE escape must be exactly one character", () => {
    for (const payload of payloads.filter((p) => [...p].length !== 1)) {
      expect(() => notes.c.body.like("a", { escape: payload }), JSON.stringify(payload)).toThrow(ArgumentError);
      expect(() => notes.c.body.notIlike("a", { escape: payload }), JSON.stringify(payload)).toThrow(ArgumentError);
    }
  });

  it("a single-character escape that is a quote or backslash is rendered safely and works", async () => {
    for (const escape of ["'", "\\", "/", "!"]) {
      const rows = await ctx.engine.execute(select(notes.c.id).where(notes.c.body.like(`${escape}%`, { escape })));
      expect(rows.all()).toEqual([]);
    }
  });

  it("non-scalar values for a text column are refused before any statement is sent", async () => {
    const nonScalars: unknown[] = [{}, { toString: () => "1=1" }, { $gt: 0 }, { __raw: "1=1" }, [payloads[0]], Object.create(null), 42, true];
    ctx.recorder.clear();
    for (const [index, value] of nonScalars.entries()) {
      await expect(ctx.engine.execute(insert(notes).values({ id: 1, body: value as string })), `non-scalar #${index}`).rejects.toBeInstanceOf(
        StatementValueError,
      );
      await expect(ctx.engine.execute(select(notes.c.id).where(notes.c.body.eq(value as string)))).rejects.toBeInstanceOf(StatementValueError);
      await expect(ctx.engine.execute(update(notes).values({ body: value as string }))).rejects.toBeInstanceOf(StatementValueError);
    }
    expect(ctx.recorder.statements).toEqual([]);
    await expectCanaryIntact(ctx.engine, canary);
    expect((await ctx.engine.execute(select(notes.c.id))).all()).toEqual([]);
  });
});
