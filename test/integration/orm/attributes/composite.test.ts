/**
 * Issue 15: `composite()` on every database — a value object over columns: built on read, taken
 * apart on write (constructor, assignment, flush), compared over all its columns at class level.
 */
import { beforeAll, expect, expectTypeOf, it } from "vitest";
import { select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { AttributesBase, Point, Segment } from "../../../fixtures/attribute-models/library.ts";
import { recorded, seedLibrary } from "./attributes-support.ts";

const SEGMENT_COLUMNS = '"segments"."id", "segments"."x1", "segments"."y1", "segments"."x2", "segments"."y2"';

describeEachSessionKind("computed attributes: composite", (db) => {
  const ctx = useSessionDatabase(db, "attrs_composite", AttributesBase.metadata);
  beforeAll(() => seedLibrary(ctx.engine));

  it("eq() compares every column, ORDER BY takes its columns, instances read value objects", async () => {
    await using session = ctx.openSession();
    const { value, sql, params } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Segment).where(Segment.end.eq(new Point(3, 4))).orderBy(...Segment.start.columns))).all(),
    );
    expect(sql).toEqual([
      `SELECT ${SEGMENT_COLUMNS} FROM "segments" WHERE "segments"."x2" = ? AND "segments"."y2" = ? ORDER BY "segments"."x1", "segments"."y1"`,
    ]);
    expect(params).toEqual([[3, 4]]);
    expect(value.map((s) => s.id)).toEqual([1]);
    const start = value[0]!.start;
    expectTypeOf(start).toEqualTypeOf<Point>();
    expect(start).toBeInstanceOf(Point);
    expect(start).toEqual(new Point(0, 0));
  });

  it("ne() is true when any column differs", async () => {
    await using session = ctx.openSession();
    const { value, sql } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Segment).where(Segment.start.ne(new Point(0, 0))).orderBy(Segment.id))).all(),
    );
    expect(sql[0]).toContain('WHERE "segments"."x1" <> ? OR "segments"."y1" <> ? ORDER BY');
    expect(value.map((s) => s.id)).toEqual([2, 3]);
  });

  it("assigning a value writes its columns; the flush updates them", async () => {
    await using session = ctx.openSession();
    const segment = (await session.get(Segment, 2)) as Segment;
    expect(segment.end).toEqual(new Point(1, 5));
    segment.end = new Point(7, 8);
    expect([segment.x2, segment.y2]).toEqual([7, 8]);
    const { sql, params } = await recorded(ctx.sessionEngine, () => session.flush());
    expect(sql).toEqual(['UPDATE "segments" SET "x2"=?, "y2"=? WHERE "segments"."id" = ?']);
    expect(params).toEqual([[7, 8, 2]]);
    const reloaded = (await session.scalars(select(Segment).where(Segment.end.eq(new Point(7, 8))))).all();
    expect(reloaded.map((s) => s.id)).toEqual([2]);
    await session.rollback();
  });

  it("the constructor takes the value: the INSERT carries its columns", async () => {
    await using session = ctx.openSession();
    session.add(new Segment({ id: 9, start: new Point(5, 6), end: new Point(7, 8) }));
    const { params } = await recorded(ctx.sessionEngine, () => session.flush());
    expect(params).toEqual([[9, 5, 6, 7, 8]]);
    await session.rollback();
  });
});
