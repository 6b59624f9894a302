/**
 * Issue 15: `associationProxy()` on every database — `Author.keywords` proxies `authorKeywords`
 * → each association's `word` (itself a proxy of `keyword.word`): read and append on instances,
 * `contains()` / `any()` / `eq()` / `has()` as EXISTS subqueries at class level.
 */
import { beforeAll, expect, expectTypeOf, it } from "vitest";
import { type AssociationList, InvalidRequestError, MissingGreenlet, select, selectinload } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { AttributesBase, Author, AuthorKeyword, Keyword } from "../../../fixtures/attribute-models/library.ts";
import { AUTHOR_COLUMNS, recorded, seedLibrary } from "./attributes-support.ts";

const HAS_SQL =
  'EXISTS (SELECT 1 FROM "author_keywords" WHERE "authors"."id" = "author_keywords"."author_id" AND ' +
  'EXISTS (SELECT 1 FROM "keywords" WHERE "keywords"."id" = "author_keywords"."keyword_id" AND "keywords"."word" = ?))';

describeEachSessionKind("computed attributes: associationProxy", (db) => {
  const ctx = useSessionDatabase(db, "attrs_assoc_proxy", AttributesBase.metadata);
  beforeAll(() => seedLibrary(ctx.engine));
  const withKeywords = selectinload(Author.authorKeywords).selectinload(AuthorKeyword.keyword);

  it("contains(): an EXISTS through both relationships; instances read the proxied values", async () => {
    await using session = ctx.openSession();
    const { value, sql, params } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(Author).where(Author.keywords.contains("sql")).options(withKeywords).orderBy(Author.id))).all(),
    );
    expect(sql).toHaveLength(3);
    expect(sql[0]).toBe(`SELECT ${AUTHOR_COLUMNS} FROM "authors" WHERE ${HAS_SQL} ORDER BY "authors"."id"`);
    expect(params[0]).toEqual(["sql"]);
    expect(value.map((a) => a.id)).toEqual([1, 2]);
    expect(value.map((a) => [...a.keywords].sort())).toEqual([["orm", "sql"], ["sql"]]);
    expectTypeOf(value[0]!.keywords).toEqualTypeOf<AssociationList<string>>();
  });

  it("any() without a criterion: the collection is not empty; a scalar proxy's eq() and has()", async () => {
    await using session = ctx.openSession();
    const ids = (await session.scalars(select(Author).where(Author.keywords.any()).orderBy(Author.id))).all().map((a) => a.id);
    expect(ids).toEqual([1, 2]);
    const { value, sql } = await recorded(ctx.sessionEngine, async () =>
      (await session.scalars(select(AuthorKeyword).where(AuthorKeyword.word.eq("orm")))).all(),
    );
    expect(sql[0]).toContain('WHERE EXISTS (SELECT 1 FROM "keywords" WHERE "keywords"."id" = "author_keywords"."keyword_id" AND "keywords"."word" = ?)');
    expect(value.map((k) => k.id)).toEqual([1]);
    const withKeyword = (await session.scalars(select(AuthorKeyword).where(AuthorKeyword.word.has()))).all();
    expect(withKeyword).toHaveLength(3);
    expect(() => Author.keywords.eq("x")).toThrow(InvalidRequestError);
  });

  it("append() creates the association through the creator; the flush inserts keyword and association", async () => {
    await using session = ctx.openSession();
    const cy = (await session.scalars(select(Author).where(Author.id.eq(3)).options(withKeywords))).one();
    expect([...cy.keywords]).toEqual([]);
    cy.keywords.append("typescript");
    expect([...cy.keywords]).toEqual(["typescript"]);
    expect(cy.authorKeywords as AuthorKeyword[]).toHaveLength(1);
    const { sql } = await recorded(ctx.sessionEngine, () => session.flush());
    expect(sql.map((s) => s.split(" (")[0])).toEqual(['INSERT INTO "keywords"', 'INSERT INTO "author_keywords"']);
    const found = (await session.scalars(select(Author).where(Author.keywords.contains("typescript")))).all();
    expect(found.map((a) => a.id)).toEqual([3]);
    await session.rollback();
  });

  it("remove() takes the member whose value it is out of the collection; the flush unlinks it (no delete-orphan cascade)", async () => {
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(Author).where(Author.id.eq(1)).options(withKeywords))).one();
    const keywords = ann.keywords;
    keywords.remove("orm");
    expect([...keywords]).toEqual(["sql"]);
    expect((ann.authorKeywords as AuthorKeyword[]).map((k) => k.word)).toEqual(["sql"]);
    const { sql } = await recorded(ctx.sessionEngine, () => session.flush());
    expect(sql).toEqual(['UPDATE "author_keywords" SET "author_id"=? WHERE "author_keywords"."id" = ?']);
    expect((await session.scalars(select(Author).where(Author.keywords.contains("orm")))).all()).toEqual([]);
    await session.rollback();
  });

  it("reading through an unloaded collection raises like the collection does", async () => {
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(Author).where(Author.id.eq(1)))).one();
    if (db.session === "async") expect(() => ann.keywords).toThrow(MissingGreenlet);
    else expect(() => ann.keywords).not.toThrow(); // under Session the read loads the collection it goes through
    const keyword = new Keyword({ word: "x" });
    const link = new AuthorKeyword({ keyword });
    expect(link.word).toBe("x");
    link.word = "y";
    expect(keyword.word).toBe("y");
  });
});
