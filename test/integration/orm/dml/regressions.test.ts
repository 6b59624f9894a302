import { beforeEach, expect, it } from "vitest";
import { select, update } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { Base, Member } from "./dml-support.ts";

describeEachSessionKind("ORM DML regressions", (db) => {
  const ctx = useSessionDatabase(db, "orm_dml_regressions", Base.metadata);
  beforeEach(() => ctx.reset());

  it("update(Model) takes a mapped class and runs through the session (was a bare TypeError)", async () => {
    {
      await using session = ctx.openSession();
      session.add(new Member({ id: 1, fullName: "ann" }));
      await session.commit();
    }
    {
      await using session = ctx.openSession();
      await session.execute(update(Member).where(Member.id.eq(1)).values({ fullName: "bo" }));
      await session.commit();
    }
    await using conn = await ctx.engine.connect();
    expect((await conn.execute(select(Member.fullName))).scalars().all()).toEqual(["bo"]);
  });
});
