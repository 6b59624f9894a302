/**
 * Fault suite, issue 10 item 6: one AsyncSession used by 10,000 calls at once (a forgotten `await`
 * in a loop, a session shared between requests). Exactly one call runs; every other one is refused
 * with IllegalStateChangeError before it does anything, so rejected writes leave no rows; the
 * session works afterwards and close() gives its connection back.
 */
import { expect, it } from "vitest";
import {
  AsyncSession,
  IllegalStateChangeError,
  Integer,
  StringType,
  type Table,
  declarativeBase,
  insert,
  mappedColumn,
  select,
  text,
} from "../../src/index.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { useIsolatedDatabase } from "../support/isolated-database.ts";

const Base = declarativeBase();
class Item extends Base.model("fault_misuse_items", {
  id: mappedColumn(Integer, { primaryKey: true, autoincrement: false }),
  name: mappedColumn(StringType(20)),
}) {}
const items = Base.metadata.tables.get("fault_misuse_items") as Table;

const CALLS = 10_000;
/** Row ids written by the session after the storm, far from the storm's ids. */
const AFTER = 1_000_000;

describeEachDatabase("fault: misuse", (db) => {
  const ctx = useIsolatedDatabase(db, "fault_misuse", Base.metadata);

  const rowIds = async (): Promise<number[]> =>
    (await ctx.engine.execute(text("SELECT id FROM fault_misuse_items ORDER BY id"))).all().map((r) => Number((r as { id: unknown }).id));

  for (const first of ["execute(insert)", "get", "flush"] as const) {
    it(`${CALLS} overlapping calls on one AsyncSession, ${first} first: one runs, the rest are refused and write nothing`, async () => {
      await ctx.reset();
      await ctx.engine.execute(insert(items).values({ id: 0, name: "seed" }));
      const session = new AsyncSession(ctx.engine);
      const kinds = ["execute(insert)", "get", "flush"] as const;
      const offset = kinds.indexOf(first);
      // Every call started in the same tick: the insert-ish writes each name a row of their own.
      const calls: Promise<unknown>[] = [];
      for (let i = 1; i <= CALLS; i++) {
        const kind = kinds[(i - 1 + offset) % kinds.length];
        if (kind === "execute(insert)") calls.push(session.execute(insert(items).values({ id: i, name: `w${i}` })));
        else if (kind === "get") calls.push(session.get(Item, i % 2 === 0 ? 0 : i));
        else calls.push(session.flush());
      }
      const start = performance.now();
      const settled = await Promise.allSettled(calls);
      const ms = performance.now() - start;

      const fulfilled = settled.filter((s) => s.status === "fulfilled").length;
      const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
      const refused = rejected.filter((s) => s.reason instanceof IllegalStateChangeError).length;
      expect(settled[0]?.status).toBe("fulfilled");
      expect({ fulfilled, refused, otherRejections: rejected.length - refused }).toEqual({ fulfilled: 1, refused: CALLS - 1, otherRejections: 0 });

      // Only the running call's write (id 1, when it was the insert) can exist, and only once committed.
      await session.commit();
      const written = (await rowIds()).filter((id) => id !== 0);
      expect(written).toEqual(first === "execute(insert)" ? [1] : []);
      const writtenByRefused = written.filter((id) => id !== 1 || first !== "execute(insert)").length;

      // The session is still usable: a write, a read, a commit.
      session.add(new Item({ id: AFTER, name: "after" }));
      await session.execute(insert(items).values({ id: AFTER + 1, name: "after" }));
      expect((await session.get(Item, 0))?.name).toBe("seed");
      expect((await session.execute(select(Item).where(Item.id.ge(AFTER)))).scalars().all()).toHaveLength(2);
      await session.commit();
      expect((await rowIds()).filter((id) => id >= AFTER)).toEqual([AFTER, AFTER + 1]);

      // close() gives the connection back: nothing checked out, everything idle.
      await session.execute(select(Item).where(Item.id.eq(0)));
      expect(ctx.engine.pool.checkedOut).toBe(1);
      await session.close();
      expect({ checkedOut: ctx.engine.pool.checkedOut, idle: ctx.engine.pool.idle === ctx.engine.pool.size }).toEqual({ checkedOut: 0, idle: true });

      console.log(
        `[fault misuse ${db.name}] ${CALLS} overlapping calls (${first} first) settled in ${Math.round(ms)} ms: ` +
          `${fulfilled} ran, ${refused} IllegalStateChangeError, ${writtenByRefused} rows written by refused calls; ` +
          `session usable after; ${ctx.engine.pool.checkedOut} connections checked out after close()`,
      );
    });
  }
});
