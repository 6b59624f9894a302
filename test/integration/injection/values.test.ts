/**
 * Acceptance 7 of issue 2, values: every payload of the corpus goes through every value-taking
 * API (insert single and multi-row, where =, IN / NOT IN, LIKE helpers and raw LIKE / ILIKE
 * patterns, literal(), bindparam(), text() bind parameters, update SET and WHERE, upsert, concat,
 * JSON keys and values, streaming, delete) on every database, and under both string-literal modes
 * of each server. Each payload must come back byte-exact, the canary table must stay intact, no
 * statement may carry the payload in its SQL text, and nothing may fail with a syntax error.
 */
import { describe, expect, it } from "vitest";
import {
  type AsyncConnection,
  Column,
  type ColumnElement,
  DataError,
  Integer,
  Json,
  MetaData,
  StatementValueError,
  Table,
  Text,
  bindparam,
  delete_,
  excluded,
  insert,
  literal,
  select,
  text,
  update,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { canaryTable, expectCanaryIntact, useCanaryEngine } from "./canary.ts";
import { nulPayloads, valuePayloads } from "./corpus.ts";
import { serverModes } from "./server-modes.ts";

describeEachDatabase("injection corpus: values", (db) => {
  serverModes(db).forEach((mode, modeIndex) => {
    describe(mode.label, () => {
      const prefix = `inj${process.pid.toString(36)}m${modeIndex}_`;
      const metadata = new MetaData();
      const canaryName = `${prefix}canary`;
      const canary = canaryTable(metadata, canaryName);
      const store = new Table(`${prefix}values`, metadata, {
        id: Column(Integer, { primaryKey: true, autoincrement: false }),
        body: Column(Text, { nullable: false }),
        doc: Column(Json()),
      });
      const ctx = useCanaryEngine(db.url, metadata, canary, (engine) => mode.apply(engine));
      let nextId = 1;


      /** Runs `work` in a committed transaction and checks that no statement's SQL text holds `payload`. */
      async function bound<T>(payload: string, work: (conn: AsyncConnection) => Promise<T>): Promise<T> {
        ctx.recorder.clear();
        const value = await ctx.engine.begin(work);
        if (payload.length >= 8) {
          for (const { sql } of ctx.recorder.statements) expect(sql).not.toContain(payload);
        }
        return value;
      }

      const bodyOf = async (conn: AsyncConnection, id: number) =>
        (await conn.execute(select(store.c.body).where(store.c.id.eq(id)))).scalarOne();
          const idsWhere = async (conn: AsyncConnection, ...where: ColumnElement<boolean>[]) =>
        (await conn.execute(select(store.c.id).where(...where).orderBy(store.c.id))).scalars().all();

      for (const { label, value: payload } of valuePayloads(canaryName)) {
        it(`${label}: round-trips through every value-taking API`, async () => {
          const id = nextId;
          nextId += 3;
          const caps = ctx.engine.dialect.capabilities;
          const q = (name: string) => ctx.engine.dialect.compiler.quote(name);

          await bound(payload, async (conn) => {
            // INSERT, single and multi-row.
            await conn.execute(insert(store).values({ id, body: payload, doc: { [payload]: [payload, { nested: payload }] } }));
            await conn.execute(
              insert(store).values([
                { id: id + 1, body: payload, doc: null },
                { id: id + 2, body: `${payload}|${payload}`, doc: null },
              ]),
            );
            expect(await bodyOf(conn, id)).toBe(payload);
            expect(await bodyOf(conn, id + 2)).toBe(`${payload}|${payload}`);
            const doc = (await conn.execute(select(store.c.doc).where(store.c.id.eq(id)))).scalarOne();
            expect(doc).toEqual({ [payload]: [payload, { nested: payload }] });

            // WHERE =, <>, IN, NOT IN (restricted to this test's rows: other payloads share the table).
            const mine = store.c.id.between(id, id + 2);
            expect(await idsWhere(conn, mine, store.c.body.eq(payload))).toEqual([id, id + 1]);
            expect(await idsWhere(conn, mine, store.c.body.ne(payload))).toEqual([id + 2]);
            expect(await idsWhere(conn, mine, store.c.body.in([payload, `${payload}|${payload}`]))).toEqual([id, id + 1, id + 2]);
            expect(await idsWhere(conn, mine, store.c.body.notIn([payload]))).toEqual([id + 2]);

            // LIKE through the helpers that escape % and _: exact matches.
            expect(await idsWhere(conn, mine, store.c.body.startsWith(payload))).toEqual([id, id + 1, id + 2]);
            expect(await idsWhere(conn, mine, store.c.body.endsWith(`|${payload}`))).toEqual([id + 2]);
            expect(await idsWhere(conn, mine, store.c.body.contains(`${payload}|`))).toEqual([id + 2]);

            // literal(), bindparam() given at execution, text() with bind parameters.
            expect((await conn.execute(select(literal(payload).label("v")))).scalarOne()).toBe(payload);
            const byParam = select(store.c.id).where(mine, store.c.body.eq(bindparam("p", Text)));
            expect((await conn.execute(byParam, { p: payload })).scalars().all().sort()).toEqual([id, id + 1]);
            const textual = text(
              `SELECT ${q("id")} AS id FROM ${q(store.name)} WHERE ${q("body")} = :body AND ${q("id")} BETWEEN :low AND :high ORDER BY ${q("id")}`,
            );
            const viaText = await conn.execute(textual.bindparams({ body: payload, low: id, high: id + 2 }));
            expect(viaText.all().map((r) => Number((r as { id: unknown }).id))).toEqual([id, id + 1]);
            const viaTextParams = await conn.execute(textual, { body: payload, low: id, high: id + 2 });
            expect(viaTextParams.all()).toHaveLength(2);

            // Concatenation with a bound value.
            const concatenated = await conn.execute(select(store.c.body.concat(payload).label("c")).where(store.c.id.eq(id)));
            expect(concatenated.scalarOne()).toBe(`${payload}${payload}`);
          });

          // A raw LIKE / ILIKE pattern is bound as given: it matches itself when it has no wildcards or
          // escapes, and a pattern the database finds malformed (PostgreSQL: a trailing backslash) is a
          // DataError about the pattern, never a syntax error.
          for (const operator of ["like", "ilike"] as const) {
            const attempt = bound(payload, (conn) => idsWhere(conn, store.c.id.between(id, id + 2), store.c.body[operator](payload)));
            const matched = await attempt.catch((error: unknown) => {
              expect(error).toBeInstanceOf(DataError);
              expect(payload).toMatch(/\\$/);
              return undefined;
            });
            if (matched !== undefined && !/[%_\\]/.test(payload)) expect(matched).toContain(id);
          }

          // UPDATE: payload in SET and in WHERE.
          await bound(payload, async (conn) => {
            const updated = await conn.execute(
              update(store)
                .values({ body: `u${payload}` })
                .where(store.c.id.eq(id + 1), store.c.body.eq(payload)),
            );
            expect(updated.rowsAffected).toBe(1);
            expect(await bodyOf(conn, id + 1)).toBe(`u${payload}`);
          });

          // Upsert: the payload as the proposed row's value, taken through excluded().
          await bound(payload, async (conn) => {
            const proposed = insert(store).values({ id, body: `x${payload}` });
            await conn.execute(
              caps.upsert === "on-conflict"
                ? proposed.onConflictDoUpdate({ indexElements: ["id"], set: { body: excluded(store.c.body) } })
                : proposed.onDuplicateKeyUpdate({ body: excluded(store.c.body) }),
            );
            expect(await bodyOf(conn, id)).toBe(`x${payload}`);
          });

          // Streaming (some drivers take another path to the server for it).
          await bound(payload, async (conn) => {
            const streamed = await conn.stream(select(store.c.id, store.c.body).where(store.c.body.eq(`u${payload}`), store.c.id.eq(id + 1)));
            expect(await streamed.all()).toEqual([{ id: id + 1, body: `u${payload}` }]);
          });

          // DELETE by the payload.
          await bound(payload, async (conn) => {
            const deleted = await conn.execute(delete_(store).where(store.c.body.in([`x${payload}`, `u${payload}`, `${payload}|${payload}`]), store.c.id.between(id, id + 2)));
            expect(deleted.rowsAffected).toBe(3);
          });

          await expectCanaryIntact(ctx.engine, canary);
          expect((await ctx.engine.execute(select(store.c.id))).all()).toEqual([]);
        });
      }

      for (const { label, value: payload } of nulPayloads(canaryName)) {
        it(`${label}: stored exactly where text can hold NUL, otherwise refused before sending`, async () => {
          const id = nextId++;
          if (ctx.engine.dialect.capabilities.textStoresNul) {
            await bound(payload, async (conn) => {
              await conn.execute(insert(store).values({ id, body: payload }));
              expect(await bodyOf(conn, id)).toBe(payload);
              expect(await idsWhere(conn, store.c.body.eq(payload))).toEqual([id]);
              expect(await idsWhere(conn, store.c.body.contains(payload))).toEqual([id]);
              const viaText = await conn.execute(text(`SELECT ${ctx.engine.dialect.compiler.quote("id")} AS id FROM ${ctx.engine.dialect.compiler.quote(store.name)} WHERE ${ctx.engine.dialect.compiler.quote("body")} = :b`).bindparams({ b: payload }));
              expect(viaText.all().map((r) => Number((r as { id: unknown }).id))).toEqual([id]);
              await conn.execute(delete_(store).where(store.c.body.eq(payload)));
            });
          } else {
            ctx.recorder.clear();
            await expect(ctx.engine.execute(insert(store).values({ id, body: payload }))).rejects.toBeInstanceOf(StatementValueError);
            await expect(ctx.engine.execute(select(store.c.id).where(store.c.body.eq(payload)))).rejects.toBeInstanceOf(StatementValueError);
            // Refused before the statement reached the server.
            expect(ctx.recorder.statements).toEqual([]);
          }
          // JSON escapes NUL as \u0000, which every database stores.
          await ctx.engine.execute(insert(store).values({ id, body: "json", doc: { [payload]: payload } }));
          expect((await ctx.engine.execute(select(store.c.doc).where(store.c.id.eq(id)))).scalarOne()).toEqual({ [payload]: payload });
          await ctx.engine.execute(delete_(store).where(store.c.id.eq(id)));
          await expectCanaryIntact(ctx.engine, canary);
        });
      }

      it("the server is still in the mode under test", async () => {
        expect(await mode.isActive(ctx.engine)).toBe(true);
      });
    });
  });
});
