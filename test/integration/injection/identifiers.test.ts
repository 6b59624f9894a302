/**
 * Acceptance 7 of issue 2, identifiers: tables, columns, indexes, foreign keys, aliases and labels
 * named with hostile text (quotes of every dialect, backslashes, placeholder look-alikes, comment
 * markers, reserved words) are always quoted, so each one is created, filled, queried, updated,
 * upserted, streamed and dropped exactly, on every database and under both string-literal modes
 * of each server, while the canary table stays intact.
 */
import { describe, expect, it } from "vitest";
import {
  Column,
  ForeignKey,
  Index,
  Integer,
  MetaData,
  StringType,
  Table,
  alias,
  delete_,
  excluded,
  func,
  insert,
  select,
  text,
  update,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { canaryTable, expectCanaryIntact, fillCanary, useCanaryEngine } from "./canary.ts";
import { IDENTIFIER_PAYLOADS } from "./corpus.ts";
import { serverModes } from "./server-modes.ts";

/** A hostile table with a hostile column (key `hostile`), and a child table referencing it. */
function hostileTables(metadata: MetaData, name: string, index: number, tag: string) {
  const parent = new Table(
    `${name}_${tag}`,
    metadata,
    {
      id: Column(Integer, { primaryKey: true, autoincrement: false }),
      hostile: Column(StringType(100), { name, nullable: false }),
    },
    new Index(`${name}_ix${index}${tag}`, ["hostile"]),
  );
  const child = new Table(`${name}_child_${tag}`, metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    parentId: Column(Integer, ForeignKey(`${parent.name}.id`, { ondelete: "CASCADE" }), { name: `${name}_parent` }),
  });
  return { parent, child };
}

describeEachDatabase("injection corpus: identifiers", (db) => {
  serverModes(db).forEach((mode, modeIndex) => {
    describe(mode.label, () => {
      const tag = `i${process.pid.toString(36)}${modeIndex}`;
      const metadata = new MetaData();
      const canary = canaryTable(metadata, `${tag}_canary`);
      const tables = IDENTIFIER_PAYLOADS.map((name, index) => ({ name, ...hostileTables(metadata, name, index, tag) }));
      const ctx = useCanaryEngine(db.url, metadata, canary, (engine) => mode.apply(engine));


      it("the foreign key is inferred for a join between hostile tables", async () => {
        const { parent, child } = tables[0] as (typeof tables)[number];
        const rows = await ctx.engine.execute(select(parent.c.id).join(child).where(parent.c.id.eq(-1)));
        expect(rows.all()).toEqual([]);
      });

      it("createAll made every hostile table, and checkfirst finds each by its exact name", async () => {
        ctx.recorder.clear();
        // A second createAll with checkfirst: every table is found, so nothing is created.
        await ctx.engine.begin((conn) => metadata.createAll(conn));
        expect(ctx.recorder.sql.filter((sql) => /^CREATE/i.test(sql))).toEqual([]);
      });

      for (const { name, parent, child } of tables) {
        it(`${JSON.stringify(name)}: as table, column, index, foreign key, alias and label`, async () => {
          const q = (identifier: string) => ctx.engine.dialect.compiler.quote(identifier);
          const caps = ctx.engine.dialect.capabilities;
          await ctx.engine.begin(async (conn) => {
            // The column's value is the name itself: a name that leaked into SQL would show up as a mismatch.
            await conn.execute(insert(parent).values({ id: 1, hostile: name }));
            await conn.execute(
              insert(parent).values([
                { id: 2, hostile: `${name}2` },
                { id: 3, hostile: `${name}3` },
              ]),
            );
            await conn.execute(insert(child).values([{ id: 1, parentId: 1 }, { id: 2, parentId: 2 }]));

            expect((await conn.execute(select(parent.c.id).where(parent.c.hostile.eq(name)))).scalars().all()).toEqual([1]);
            expect(
              (await conn.execute(select(parent.c.id).where(parent.c.hostile.in([`${name}2`, `${name}3`])).orderBy(parent.c.hostile.desc()))).scalars().all(),
            ).toEqual([3, 2]);

            // A label and an alias named with the hostile text; a join on the inferred foreign key.
            const p = alias(parent, name);
            const joined = await conn.execute(
              select(p.c.hostile.label(name), func.count(child.c.id).label(`${name} n`))
                .selectFrom(p)
                .join(child, child.c.parentId.eq(p.c.id))
                .groupBy(p.c.hostile)
                .orderBy(p.c.hostile),
            );
            const labelled = joined.all().map((row) => {
              const values = row as Record<string, unknown>;
              return [values[name], Number(values[`${name} n`])];
            });
            expect(labelled).toEqual([
              [name, 1],
              [`${name}2`, 1],
            ]);

            // text() naming the hostile identifiers, quoted by the dialect, with a bound value.
            const viaText = await conn.execute(
              text(`SELECT ${q("id")} AS id FROM ${q(parent.name)} WHERE ${q(name)} = :v`).bindparams({ v: `${name}3` }),
            );
            expect(viaText.all().map((r) => Number((r as { id: unknown }).id))).toEqual([3]);

            // UPDATE and upsert through the hostile column.
            const updated = await conn.execute(update(parent).values({ hostile: `${name}!` }).where(parent.c.hostile.eq(`${name}3`)));
            expect(updated.rowsAffected).toBe(1);
            const proposed = insert(parent).values({ id: 3, hostile: `${name}?` });
            await conn.execute(
              caps.upsert === "on-conflict"
                ? proposed.onConflictDoUpdate({ indexElements: ["id"], set: { hostile: excluded(parent.c.hostile) } })
                : proposed.onDuplicateKeyUpdate({ hostile: excluded(parent.c.hostile) }),
            );
            if (caps.updateReturning) {
              const returned = await conn.execute(update(parent).values({ hostile: `${name}?!` }).where(parent.c.id.eq(3)).returning(parent.c.hostile));
              expect(returned.scalarOne()).toBe(`${name}?!`);
            } else {
              await conn.execute(update(parent).values({ hostile: `${name}?!` }).where(parent.c.id.eq(3)));
            }

            // Streaming, then DELETE (the child rows go with ON DELETE CASCADE).
            const streamed = await (await conn.stream(select(parent.c.id, parent.c.hostile).where(parent.c.id.gt(0)).orderBy(parent.c.id))).all();
            expect(streamed).toEqual([
              { id: 1, hostile: name },
              { id: 2, hostile: `${name}2` },
              { id: 3, hostile: `${name}?!` },
            ]);
            const deleted = await conn.execute(delete_(parent).where(parent.c.hostile.in([name, `${name}2`, `${name}?!`])));
            expect(deleted.rowsAffected).toBe(3);
            expect((await conn.execute(select(child.c.id))).all()).toEqual([]);
          });
          await expectCanaryIntact(ctx.engine, canary);
        });
      }

      it("dropAll then createAll with checkfirst round-trips every hostile table", async () => {
        await ctx.engine.begin((conn) => metadata.dropAll(conn));
        ctx.recorder.clear();
        await ctx.engine.begin((conn) => metadata.createAll(conn));
        expect(ctx.recorder.sql.filter((sql) => /^CREATE TABLE/i.test(sql))).toHaveLength(tables.length * 2 + 1);
        await fillCanary(ctx.engine, canary);
        await expectCanaryIntact(ctx.engine, canary);
      });

      it("the server is still in the mode under test", async () => {
        expect(await mode.isActive(ctx.engine)).toBe(true);
      });
    });
  });
});
