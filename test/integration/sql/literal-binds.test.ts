/**
 * `compile({ literalBinds: true })` round-trips on every database: SQL with hostile string values
 * written inline, run back through `text()`, returns exactly those values.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { type AsyncEngine, Column, Integer, MetaData, StringType, Table, createAsyncEngine, insert, literal, select, text } from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";

const P = `lb${process.pid.toString(36)}_`;
const metadata = new MetaData();
const names = new Table(`${P}names`, metadata, {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  name: Column(StringType(100), { nullable: false }),
});

const HOSTILE = [
  "it's",
  "''",
  "\\",
  "ends with a backslash\\",
  "\\'; DROP TABLE users; --",
  "back\\\\slashes \\n \\0 \\Z",
  ":name and ? and $1 and %s",
  "/* comment */ -- line",
  'double "quotes" and `ticks`',
  "line\nbreak\ttab",
  "ünïcødé 🦊",
];

describeEachDatabase("literalBinds round trip", (db) => {
  let engine: AsyncEngine;

  beforeAll(async () => {
    engine = createAsyncEngine(db.url);
    await engine.begin(async (conn) => {
      await metadata.dropAll(conn, { checkfirst: true });
      await metadata.createAll(conn);
      await conn.execute(insert(names).values(HOSTILE.map((name, i) => ({ id: i + 1, name }))));
    });
  });

  afterAll(async () => {
    await engine.begin((conn) => metadata.dropAll(conn, { checkfirst: true }));
    await engine.dispose();
  });

  it("hostile strings in a WHERE come back as the rows that hold them", async () => {
    for (const [i, name] of HOSTILE.entries()) {
      const stmt = select(names.c.id, names.c.name).where(names.c.name.eq(name), names.c.id.gt(-1));
      const compiled = stmt.compile({ dialect: engine.dialect, literalBinds: true });
      expect(compiled.params).toEqual([]);
      const rows = (await engine.execute(text(compiled.sql))).all();
      expect(rows.map((r) => [Number(r.id), r.name])).toEqual([[i + 1, name]]);
    }
  });

  it("hostile strings as selected literals come back unchanged", async () => {
    const stmt = select(...HOSTILE.map((value, i) => literal(value).label(`v${i}`)));
    const sql = stmt.compile({ dialect: engine.dialect, literalBinds: true }).sql;
    const row = (await engine.execute(text(sql))).one();
    expect(HOSTILE.map((_, i) => row[`v${i}`])).toEqual(HOSTILE);
  });
});
