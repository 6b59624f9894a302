/**
 * ADR 0016: values live on the instance, one property per slot. The first 16 slots are read and
 * written by code written out per slot number, the rest by a loop; a model with 20 columns and a
 * relationship after them (slot 21) exercises both sides on load, change, flush, expire and
 * refresh, and its instances show no slot under `Object.keys` or `JSON.stringify`.
 */
import { beforeAll, expect, it } from "vitest";
import { ForeignKey, Integer, StringType, declarativeBase, inspect, mappedColumn, relationship, select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { recorded } from "./attributes-support.ts";

const Base = declarativeBase();

const COLUMNS = Array.from({ length: 19 }, (_, i) => `c${i + 1}`);

class Owner extends Base.model("wide_owners", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(20)),
}) {}

const nullableInt = () => mappedColumn(Integer, { nullable: true });

class Wide extends Base.model("wide_rows", {
  id: mappedColumn(Integer, { primaryKey: true }),
  // c1 … c19: slots 1–19; ownerId 20; owner 21.
  ...(Object.fromEntries(COLUMNS.map((c) => [c, nullableInt()])) as Record<string, ReturnType<typeof nullableInt>>),
  ownerId: mappedColumn(Integer, ForeignKey("wide_owners.id"), { name: "owner_id" }),
  owner: relationship<Owner>("Owner"),
}) {}

Base.register(Owner, Wide);

type Row = Wide & Record<string, number | null>;

describeEachSessionKind("a model wider than 16 slots", (db) => {
  const ctx = useSessionDatabase(db, "attrs_wide_model", Base.metadata);

  beforeAll(async () => {
    await using session = ctx.openSession();
    session.add(new Owner({ id: 1, name: "ann" }));
    session.add(new Owner({ id: 2, name: "bob" }));
    for (const id of [1, 2]) {
      session.add(new Wide({ id, ownerId: 1, ...Object.fromEntries(COLUMNS.map((c, i) => [c, id * 100 + i])) } as never));
    }
    await session.commit();
  });

  it("every slot loads, changes, flushes only what changed, expires and reloads; the relationship after them loads", async () => {
    await using session = ctx.openSession();
    const rows = (await session.scalars(select(Wide).orderBy(Wide.id))).all() as Row[];
    const wide = rows[0] as Row;
    expect(COLUMNS.map((c) => wide[c])).toEqual(COLUMNS.map((_, i) => 100 + i));
    expect((rows[1] as Row).c19).toBe(218);
    expect(wide.ownerId).toBe(1);
    expect(Object.keys(wide)).toEqual([]);
    expect(JSON.stringify(wide)).toBe("{}");

    wide.c18 = -1;
    wide.c3 = -2;
    expect(inspect(wide).modified).toBe(true);
    const { sql, params } = await recorded(ctx.sessionEngine, async () => session.flush());
    expect(sql).toEqual(['UPDATE "wide_rows" SET "c3"=?, "c18"=? WHERE "wide_rows"."id" = ?']);
    expect(params[0]).toEqual([-2, -1, 1]);
    expect(inspect(wide).modified).toBe(false);

    session.expire(wide, ["c19", "c2"]);
    expect(inspect(wide).unloaded).toEqual(new Set(["c2", "c19", "owner"]));
    await session.refresh(wide);
    expect([wide.c2, wide.c18, wide.c19]).toEqual([101, -1, 118]);

    const owner = await session.get(Owner, 1);
    expect(await wide.awaitableAttrs.owner).toBe(owner);
    wide.owner = (await session.get(Owner, 2)) as Owner;
    await session.flush();
    expect(wide.ownerId).toBe(2);
    await session.rollback();
  });
});
