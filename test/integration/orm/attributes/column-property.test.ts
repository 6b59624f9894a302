/**
 * Issue 15: `columnProperty()` on every database — an SQL expression (a correlated count) loaded
 * with its entity in the same statement, filterable, orderable and selectable at class level;
 * a deferred one loaded by `undefer()`.
 */
import { beforeAll, expect, expectTypeOf, it } from "vitest";
import { InvalidRequestError, aliased, defer, joinedload, select, selectinload, undefer } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { AttributesBase, Author, Post } from "../../../fixtures/attribute-models/library.ts";
import { AUTHOR_COLUMNS, POST_COUNT, recorded, seedLibrary } from "./attributes-support.ts";

const BEST_SCORE = '(SELECT max("posts"."score") AS "max" FROM "posts" WHERE "posts"."author_id" = "authors"."id")';

describeEachSessionKind("computed attributes: columnProperty", (db) => {
  const ctx = useSessionDatabase(db, "attrs_column_property", AttributesBase.metadata);
  beforeAll(() => seedLibrary(ctx.engine));

  it("loaded with the entity in one statement; WHERE and ORDER BY use the expression", async () => {
    await using session = ctx.openSession();
    const { value, sql, params } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Author).where(Author.postCount.ge(1)).orderBy(Author.postCount.desc()))).all(),
    );
    expect(sql).toEqual([`SELECT ${AUTHOR_COLUMNS} FROM "authors" WHERE ${POST_COUNT} >= ? ORDER BY ${POST_COUNT} DESC`]);
    expect(params).toEqual([[1]]);
    expect(value.map((a) => [a.id, Number(a.postCount)])).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expectTypeOf(value[0]!.postCount).toEqualTypeOf<number>();
  });

  it("selected as a column, beside others or alone: the model's table is in the FROM list to correlate to", async () => {
    await using session = ctx.openSession();
    const { value, sql } = await recorded(ctx.sessionEngine, async () => (await session.execute(select(Author.id, Author.postCount).orderBy(Author.id))).all());
    expect(sql).toHaveLength(1);
    expect(sql[0]).toMatch(new RegExp(`^SELECT "authors"."id", ${escape(POST_COUNT)} AS "\\w+" FROM "authors" ORDER BY "authors"."id"$`));
    expect(value.map((r) => [r.id, Number(r.postCount)])).toEqual([
      [1, 2],
      [2, 1],
      [3, 0],
    ]);
    const alone = await recorded(ctx.sessionEngine, async () => (await session.execute(select(Author.postCount).orderBy(Author.id))).scalars().all());
    expect(alone.sql).toEqual([`SELECT ${POST_COUNT} AS "anon_1" FROM "authors" ORDER BY "authors"."id"`]);
    expect(alone.value.map(Number)).toEqual([2, 1, 0]);
  });

  it("a deferred one is left out until undefer(); reading it unloaded raises without SQL", async () => {
    await using session = ctx.openSession();
    const first = await recorded(ctx.sessionEngine, async () => (await session.scalars(select(Author).where(Author.id.eq(1)))).one());
    expect(first.sql[0]).not.toContain('"bestScore"');
    expect(() => first.value.bestScore).toThrow(InvalidRequestError);
    const { value, sql } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Author).options(undefer(Author.bestScore)).where(Author.id.eq(2)))).one(),
    );
    expect(sql).toEqual([`SELECT ${AUTHOR_COLUMNS}, ${BEST_SCORE} AS "bestScore" FROM "authors" WHERE "authors"."id" = ?`]);
    expect(value.bestScore).toBe(1);
    const deferred = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Author).options(defer(Author.postCount)).where(Author.id.eq(3)))).one(),
    );
    expect(deferred.sql).toEqual(['SELECT "authors"."id", "authors"."first_name", "authors"."last_name", "authors"."email" FROM "authors" WHERE "authors"."id" = ?']);
  });

  it("loads in a selectin child statement too", async () => {
    await using session = ctx.openSession();
    const { value, sql } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Post).options(selectinload(Post.author)).orderBy(Post.id))).all(),
    );
    expect(sql).toHaveLength(2);
    expect(sql[1]).toContain(`${POST_COUNT} AS "postCount" FROM "authors" WHERE "authors"."id" IN (`);
    expect(value.map((p) => Number((p.author as Author).postCount))).toEqual([2, 2, 1]);
  });

  it("on an alias (aliased entity, joined eager load) the subquery correlates to the alias", async () => {
    await using session = ctx.openSession();
    const Other = aliased(Author, { name: "other" });
    const onAlias = await recorded(ctx.sessionEngine, async () => (await session.scalars(select(Other).where(Other.postCount.eq(1)))).all());
    const otherCount = '(SELECT count(*) AS "count" FROM "posts" WHERE "posts"."author_id" = "other"."id")';
    expect(onAlias.sql).toHaveLength(1);
    expect(onAlias.sql[0]).toContain(`${otherCount} AS "postCount" FROM "authors" AS "other" WHERE ${otherCount} = ?`);
    expect(onAlias.value.map((a) => [a.id, Number(a.postCount)])).toEqual([[2, 1]]);
    session.expunge(onAlias.value[0] as Author);
    const joined = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Post).options(joinedload(Post.author)).orderBy(Post.id))).unique().all(),
    );
    expect(joined.sql).toHaveLength(1);
    expect(joined.sql[0]).toContain('(SELECT count(*) AS "count" FROM "posts" WHERE "posts"."author_id" = "authors_1"."id") AS "postCount"');
    expect(joined.value.map((p) => Number((p.author as Author).postCount))).toEqual([2, 2, 1]);
  });

  it("expired by commit like the columns; session.refresh() reloads it with them in one statement", async () => {
    await using session = ctx.openSession();
    const bob = (await session.scalars(select(Author).where(Author.id.eq(2)))).one();
    expect(Number(bob.postCount)).toBe(1);
    session.add(new Post({ id: 50, title: "fresh", score: 2, authorId: 2 }));
    await session.commit();
    expect(() => bob.postCount).toThrow();
    const { sql } = await recorded(ctx.sessionEngine, () => session.refresh(bob));
    expect(sql).toEqual([`SELECT ${AUTHOR_COLUMNS} FROM "authors" WHERE "authors"."id" = ?`]);
    expect(Number(bob.postCount)).toBe(2);
    await session.delete(await session.get(Post, 50) as Post);
    await session.commit();
  });

  it("with a joined collection and LIMIT: the parent query is wrapped, the property a column of the subquery", async () => {
    await using session = ctx.openSession();
    const { value, sql } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Author).options(joinedload(Author.posts)).orderBy(Author.postCount.desc(), Author.id).limit(2))).unique().all(),
    );
    expect(sql).toHaveLength(1);
    expect(sql[0]).toContain(`FROM (SELECT ${AUTHOR_COLUMNS} FROM "authors" ORDER BY ${POST_COUNT} DESC, "authors"."id" LIMIT ?) AS "anon_1"`);
    expect(sql[0]).toContain('ORDER BY "anon_1"."postCount" DESC, "anon_1"."id"');
    expect(value.map((a) => [a.id, Number(a.postCount), (a.posts as Post[]).length])).toEqual([
      [1, 2, 2],
      [2, 1, 1],
    ]);
  });

  it("cannot be set, and a new object reads null until loaded", () => {
    const author = new Author({ firstName: "N", lastName: "W" });
    expect(author.postCount).toBeNull();
    expect(() => {
      (author as { postCount: number }).postCount = 3;
    }).toThrow(InvalidRequestError);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
