import { afterEach, beforeEach, expect, it } from "vitest";
import { AsyncSession, DBAPIError, IllegalStateChangeError, select, text } from "../../../../src/index.ts";
import { describeEachDatabase } from "../../../support/databases.ts";
import { useIsolatedDatabase } from "../../../support/isolated-database.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, User, seedAcme, summary } from "./session-support.ts";

/**
 * close() and `await using` never leak the session's connection and never hide the error that
 * matters: they wait for a call still running, then roll back and give the connection back.
 * The engine has a pool of one connection and a short timeout, so a leaked connection shows as
 * the next checkout's TimeoutError instead of a slow test.
 */
describeEachDatabase("session: close() and await using", (db) => {
  const ctx = useIsolatedDatabase(db, "session_close", Base.metadata, { poolSize: 1, poolTimeout: 2_000 });
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on("unhandledRejection", onUnhandled);
  });
  afterEach(() => {
    process.off("unhandledRejection", onUnhandled);
  });

  /** The pool's one connection is back: a fresh checkout gets it without waiting for the timeout. */
  async function expectConnectionReturned(): Promise<void> {
    expect(ctx.engine.pool.idle).toBe(ctx.engine.pool.size);
    await using conn = await ctx.engine.connect();
    expect(conn.inTransaction()).toBe(false);
  }

  it("a forgotten await (`return session.get(…)` inside `await using`) returns the object and releases the connection", async () => {
    await seedAcme(ctx);
    const findUser = async (id: number) => {
      await using session = new AsyncSession(ctx.engine);
      return session.get(User, id); // no await: disposal runs while get() is still running
    };
    const user = (await findUser(1)) as User;
    expect(user.name).toBe("ann");
    await expectConnectionReturned();
  });

  it("a forgotten await whose call fails rejects to its caller, with no unhandled rejection, and releases the connection", async () => {
    await seedAcme(ctx);
    const broken = async () => {
      await using session = new AsyncSession(ctx.engine);
      return session.execute(text("SELECT * FROM no_such_table_here"));
    };
    await expect(broken()).rejects.toBeInstanceOf(DBAPIError);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unhandled).toEqual([]);
    await expectConnectionReturned();
  });

  it("close() called while a query runs waits for it: the query's caller gets its rows, later calls are refused", async () => {
    await seedAcme(ctx);
    const session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const query = session.execute(select(User).orderBy(User.id));
    const closing = session.close();
    await expect(session.get(User, 2)).rejects.toBeInstanceOf(IllegalStateChangeError);
    expect((await query).scalars().all().map((u) => u.name)).toEqual(["ann", "bob"]);
    await closing;
    expect(summary(recorder.statements)).toEqual(["SELECT users"]);
    await expectConnectionReturned();
  });

  it("misuse under await using surfaces our IllegalStateChangeError, not an opaque SuppressedError from disposal", async () => {
    await seedAcme(ctx);
    const misuse = async () => {
      await using session = new AsyncSession(ctx.engine);
      const first = session.get(User, 1);
      try {
        await session.get(User, 2); // concurrent with the first: refused
      } finally {
        await first;
      }
    };
    const error = await misuse().catch((e: unknown) => e); // before: SuppressedError("An error was suppressed during disposal")
    expect(error).toBeInstanceOf(IllegalStateChangeError);
    await expectConnectionReturned();
  });

  it("two close() calls at once both resolve, and the connection is released once", async () => {
    await seedAcme(ctx);
    const session = new AsyncSession(ctx.engine);
    await session.get(User, 1);
    await Promise.all([session.close(), session.close()]);
    await expectConnectionReturned();
    expect(ctx.engine.pool.size).toBe(1);
  });
});
