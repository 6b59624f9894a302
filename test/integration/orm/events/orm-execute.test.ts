import { expect, it } from "vitest";
import { AsyncSession, OrmExecuteState, Result, delete_, insert, listen, select, update, withLoaderCriteria } from "../../../../src/index.ts";
import { describeEachDatabase } from "../../../support/databases.ts";
import { useIsolatedDatabase } from "../../../support/isolated-database.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Author, Base } from "../../../fixtures/event-models/index.ts";

describeEachDatabase("events: doOrmExecute", (db) => {
  const ctx = useIsolatedDatabase(db, "events_orm_execute", Base.metadata);

  async function seed(): Promise<void> {
    await ctx.reset();
    await ctx.engine.begin(async (conn) => {
      await conn.execute(insert(Author), [{ id: 1, name: "ann", tenantId: 1 }, { id: 2, name: "bob", tenantId: 2 }]);
    });
  }

  it("gets the statement, parameters, options and its kind; listeners run in order before the statement", async () => {
    await seed();
    await using session = new AsyncSession(ctx.engine);
    const seen: unknown[] = [];
    listen(session, "doOrmExecute", (state) => {
      expect(state).toBeInstanceOf(OrmExecuteState);
      expect(state.session).toBe(session);
      seen.push(["first", state.isSelect, state.isOrmStatement, state.isUpdate, state.params, state.options?.timeoutMs]);
    });
    listen(session, "doOrmExecute", (state) => void seen.push(["second", state.isSelect, state.ormSelect !== undefined]));
    await session.execute(select(Author), { unused: 1 }, { timeoutMs: 5000 });
    await session.execute(update(Author).where(Author.id.eq(1)).values({ name: "anne" }));
    await session.execute(select(Author.name));
    expect(seen).toEqual([
      ["first", true, true, false, { unused: 1 }, 5000],
      ["second", true, true],
      ["first", false, true, true, undefined, undefined],
      ["second", false, false],
      ["first", true, false, false, undefined, undefined],
      ["second", true, false],
    ]);
  });

  it("replaces the statement: withLoaderCriteria added to every ORM select", async () => {
    await seed();
    await using session = new AsyncSession(ctx.engine);
    listen(session, "doOrmExecute", (state) => {
      const statement = state.ormSelect;
      if (statement !== undefined) state.statement = statement.options(withLoaderCriteria(Author, (a) => a.tenantId.eq(2)));
    });
    const recorder = new StatementRecorder(ctx.engine);
    const names = (await session.scalars(select(Author))).all().map((a) => a.name);
    expect(names).toEqual(["bob"]);
    expect(recorder.sql[0]?.replace(/`/g, '"').replace(/\$\d+/g, "?")).toMatch(/WHERE "authors"\."tenant_id" = \?$/);
  });

  it("returns a result to short-circuit (a cache), using invokeStatement the first time", async () => {
    await seed();
    await using session = new AsyncSession(ctx.engine);
    const cache = new Map<string, unknown[]>();
    listen(session, "doOrmExecute", async (state) => {
      if (!state.isSelect) return;
      const key = JSON.stringify(state.params ?? {});
      let rows = cache.get(key);
      if (rows === undefined) {
        rows = (await state.invokeStatement()).all() as unknown[];
        cache.set(key, rows);
      }
      return new Result(rows, { keys: ["name"], rowsAffected: 0, lastInsertId: undefined });
    });
    const recorder = new StatementRecorder(ctx.engine);
    const first = (await session.execute(select(Author.name).orderBy(Author.name))).all();
    const second = (await session.execute(select(Author.name).orderBy(Author.name))).all();
    expect(second).toEqual(first);
    expect(recorder.statements).toHaveLength(1);
  });

  it("stream(): a replaced statement is streamed; a Result a listener returns is read from memory", async () => {
    await seed();
    const session = new AsyncSession(ctx.engine);
    try {
      let answer: Result<string[]> | undefined;
      listen(session, "doOrmExecute", (state) => {
        if (answer !== undefined) return answer;
        const statement = state.ormSelect;
        if (statement !== undefined) state.statement = statement.options(withLoaderCriteria(Author, (a) => a.tenantId.eq(1)));
        return undefined;
      });
      const streamed: string[] = [];
      for await (const author of await session.streamScalars(select(Author))) streamed.push(author.name);
      expect(streamed).toEqual(["ann"]);
      answer = new Result([["cached"]], { keys: ["name"], rowsAffected: 0, lastInsertId: undefined });
      const rows: unknown[] = [];
      for await (const row of await session.stream(select(Author.name))) rows.push([...(row as unknown as unknown[])]);
      expect(rows).toEqual([["cached"]]);
    } finally {
      await session.close();
    }
  });

  it("afterBulkUpdate and afterBulkDelete follow an ORM-enabled UPDATE and DELETE, with the statement and its result", async () => {
    await seed();
    await using session = new AsyncSession(ctx.engine);
    const seen: unknown[] = [];
    listen(session, "afterBulkUpdate", (c) => void seen.push(["update", c.session === session, c.statement.node.kind, c.result.rowsAffected]));
    listen(session, "afterBulkDelete", (c) => void seen.push(["delete", c.session === session, c.statement.node.kind, c.result.rowsAffected]));
    await session.execute(update(Author).where(Author.tenantId.eq(1)).values({ name: "anne" }));
    await session.execute(delete_(Author).where(Author.id.eq(2)));
    await session.execute(insert(Author).values({ id: 3, name: "cid" }));
    expect(seen).toEqual([
      ["update", true, "update", 1],
      ["delete", true, "delete", 1],
    ]);
  });
});
