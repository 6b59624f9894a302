/**
 * Issue 14: PostgreSQL ARRAY columns round-trip exactly (quotes, commas, backslashes, NULL
 * elements, unicode, bigints beyond 2^53, two dimensions) and their operators filter rows, on
 * the databases that have arrays; the others refuse the DDL, naming the column.
 */
import { expect, it } from "vitest";
import {
  ARRAY,
  BigInteger,
  Boolean,
  Column,
  DateTime,
  type Expression,
  Integer,
  MetaData,
  NotSupportedFeatureError,
  Numeric,
  Table,
  Text,
  all_,
  any_,
  insert,
  inspect,
  select,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";

const metadata = new MetaData();
const posts = new Table("arr_posts", metadata, {
  id: Column(Integer, { primaryKey: true }),
  tags: Column(ARRAY(Text)),
  scores: Column(ARRAY(BigInteger)),
  grid: Column(ARRAY(Integer, { dimensions: 2 })),
  flags: Column(ARRAY(Boolean)),
  prices: Column(ARRAY(Numeric(10, 2))),
  seen: Column(ARRAY(DateTime({ timezone: true }))),
});

const TAGS = ['plain', 'a "quoted", one', "back\\slash", "NULL", "", "{braces}", "𝟘🎉"];

describeEachDatabase("PostgreSQL ARRAY", (db) => {
  const ctx = useIsolatedDatabase(db, "arrays", new MetaData());

  it("round-trips arrays and filters with @>, <@, &&, [i], ANY and ALL (or is refused where there are no arrays)", async () => {
    if (!ctx.engine.dialect.capabilities.arrays) {
      await expect(ctx.engine.begin((conn) => metadata.createAll(conn))).rejects.toThrow(NotSupportedFeatureError);
      return;
    }
    await ctx.engine.begin((conn) => metadata.createAll(conn));
    try {
      await ctx.engine.begin(async (conn) => {
        const rows = [
          {
            id: 1,
            tags: [...TAGS, null] as string[],
            scores: [9007199254740993n, -1n],
            grid: [[1, 2], [3, 4]],
            flags: [true, false, null] as boolean[],
            prices: ["1.50", "-0.01"],
            seen: [new Date("2024-02-29T12:34:56.789Z")],
          },
          { id: 2, tags: ["orm"], scores: [], grid: [], flags: [], prices: [], seen: [] },
        ];
        await conn.execute(insert(posts).values(rows));
        expect((await conn.execute(select(posts).orderBy(posts.c.id))).all()).toEqual(rows);

        const ids = async (where: Expression<boolean>) =>
          (await conn.execute(select(posts.c.id).where(where).orderBy(posts.c.id))).scalars().all();
        expect(await ids(posts.c.tags.contains(["NULL", 'a "quoted", one']))).toEqual([1]);
        expect(await ids(posts.c.tags.containedBy(["orm", "sql"]))).toEqual([2]);
        expect(await ids(posts.c.tags.overlap(["orm", "plain"]))).toEqual([1, 2]);
        expect(await ids(posts.c.tags.getItem(1).eq("orm"))).toEqual([2]);
        expect(await ids(posts.c.id.eq(any_(posts.c.grid)))).toEqual([1]);
        expect(await ids(posts.c.id.lt(all_(posts.c.grid)))).toEqual([2]);
      });
      // Reflection reads ARRAY columns back as ARRAY(item) (PostgreSQL keeps no dimension count).
      const reflected = new MetaData();
      await reflected.reflect(inspect(ctx.engine), { only: ["arr_posts"] });
      const tags = reflected.tables.get("arr_posts")?.column("tags")?.type;
      expect([tags?.kind, tags?.options.item?.kind]).toEqual(["array", "text"]);
    } finally {
      await ctx.engine.begin((conn) => metadata.dropAll(conn));
    }
  });
});
