/**
 * Issue 14: JSON element and path operators (SQLAlchemy's `col["k"]`, `col[("a", 0)]`,
 * `.as_string()` …) select and filter the same rows on every database of the matrix.
 */
import { expect, it } from "vitest";
import { Column, type Expression, Integer, Json, MetaData, Table, insert, select } from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";

const metadata = new MetaData();
const docs = new Table("jp_docs", metadata, { id: Column(Integer, { primaryKey: true }), data: Column(Json<unknown>()) });
const data = docs.c.data;

const ROWS = [
  { id: 1, data: { name: "ann", age: 31, ok: true, price: 2.5, tags: ["x", "y"], address: { city: "Oslo" }, 'we"ird\\key': "found" } },
  { id: 2, data: { name: "bob", age: 7, ok: false, price: 0.5, tags: ["z"], address: { city: "Rome" } } },
];

describeEachDatabase("JSON element and path operators", (db) => {
  const ctx = useIsolatedDatabase(db, "json_path", metadata);

  it("reads elements as JSON and as scalars, and filters by them", async () => {
    await ctx.engine.begin(async (conn) => {
      await conn.execute(insert(docs).values(ROWS));
      const rows = (
        await conn.execute(
          select(
            docs.c.id,
            data.item("name").label("nameJson"),
            data.item("name").asString().label("name"),
            data.item("age").asInteger().label("age"),
            data.item("price").asFloat().label("price"),
            data.item("ok").asBoolean().label("ok"),
            data.item("tags").label("tags"),
            data.item("tags").item(0).asString().label("firstTag"),
            data.path(["address", "city"]).asString().label("city"),
            data.path(["address"]).label("address"),
          ).orderBy(docs.c.id),
        )
      ).all();
      expect(rows).toEqual([
        { id: 1, nameJson: "ann", name: "ann", age: 31, price: 2.5, ok: true, tags: ["x", "y"], firstTag: "x", city: "Oslo", address: { city: "Oslo" } },
        { id: 2, nameJson: "bob", name: "bob", age: 7, price: 0.5, ok: false, tags: ["z"], firstTag: "z", city: "Rome", address: { city: "Rome" } },
      ]);

      const ids = async (where: Expression<boolean>) =>
        (await conn.execute(select(docs.c.id).where(where).orderBy(docs.c.id))).scalars().all();
      expect(await ids(data.item("name").asString().eq("bob"))).toEqual([2]);
      expect(await ids(data.item("age").asInteger().gt(18))).toEqual([1]);
      expect(await ids(data.item("ok").asBoolean())).toEqual([1]);
      expect(await ids(data.path(["tags", 0]).asString().eq("z"))).toEqual([2]);
      expect(await ids(data.item('we"ird\\key').asString().eq("found"))).toEqual([1]);
      expect(await ids(data.item("missing").isNull())).toEqual([1, 2]);
    });
  });
});
