import { expect, it } from "vitest";
import { type AsyncConnection, IntegrityError, contains, listen, listensFor, remove, text } from "../../../../src/index.ts";
import { describeEachDatabase } from "../../../support/databases.ts";
import { useIsolatedDatabase } from "../../../support/isolated-database.ts";
import { Base } from "../../../fixtures/event-models/index.ts";

const INSERT = "INSERT INTO audit_entries (id, action, entity) VALUES (1, 'insert', 'Author')";

describeEachDatabase("events: engine and connection", (db) => {
  const ctx = useIsolatedDatabase(db, "events_engine", Base.metadata);

  it("begin → beforeExecute → afterExecute → commit, with the connection, SQL, parameters and outcome", async () => {
    await ctx.reset();
    const log: unknown[] = [];
    const seen = new Set<AsyncConnection>();
    const begin = (conn: AsyncConnection) => void (seen.add(conn), log.push("begin"));
    const before = (conn: AsyncConnection, sql: string, params: readonly unknown[]) => void (seen.add(conn), log.push(["beforeExecute", sql, [...params]]));
    const after = (_conn: AsyncConnection, sql: string, _params: readonly unknown[], outcome: { rowsAffected: number; rowCount: number }) =>
      void log.push(["afterExecute", sql, outcome.rowsAffected, outcome.rowCount]);
    const commit = () => void log.push("commit");
    listen(ctx.engine, "begin", begin);
    listen(ctx.engine, "beforeExecute", before);
    listen(ctx.engine, "afterExecute", after);
    listen(ctx.engine, "commit", commit);
    try {
      await ctx.engine.begin(async (conn) => {
        await conn.execDriverSql(INSERT);
      });
    } finally {
      remove(ctx.engine, "begin", begin);
      remove(ctx.engine, "beforeExecute", before);
      remove(ctx.engine, "afterExecute", after);
      remove(ctx.engine, "commit", commit);
    }
    expect(log).toEqual(["begin", ["beforeExecute", INSERT, []], ["afterExecute", INSERT, 1, 0], "commit"]);
    expect(seen.size).toBe(1);
    // Removed: nothing more is heard, and onStatement still works beside the events.
    const statements: string[] = [];
    const stop = ctx.engine.onStatement((sql) => statements.push(sql));
    await ctx.engine.begin((conn) => conn.execDriverSql("SELECT 1"));
    stop();
    expect(log).toHaveLength(4);
    expect(statements.filter((s) => s === "SELECT 1")).toEqual(["SELECT 1"]);
  });

  it("rollback fires before the ROLLBACK of a failed engine.begin(); a connection's own listeners hear only it", async () => {
    await ctx.reset();
    const log: string[] = [];
    const onRollback = () => void log.push("engine rollback");
    listen(ctx.engine, "rollback", onRollback);
    try {
      await expect(
        ctx.engine.begin(async (conn) => {
          listen(conn, "beforeExecute", (_c, sql) => void log.push(`conn ${sql}`));
          await conn.execDriverSql("SELECT 1");
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      await ctx.engine.begin((conn) => conn.execDriverSql("SELECT 2"));
    } finally {
      remove(ctx.engine, "rollback", onRollback);
    }
    expect(log).toEqual(["conn SELECT 1", "engine rollback"]);
  });

  it("beforeExecute with retval replaces the SQL sent", async () => {
    const conn = await ctx.engine.connect();
    try {
      listen(conn, "beforeExecute", (_c, sql, params) => ({ sql: sql.replace("1", "2"), params }), { retval: true });
      const result = await conn.execDriverSql("SELECT 1");
      expect(result.rows.map((r) => Number(r[0]))).toEqual([2]);
      // Without retval the return value is ignored.
      listen(conn, "beforeExecute", () => ({ sql: "SELECT 3", params: [] }));
      expect((await conn.execDriverSql("SELECT 1")).rows.map((r) => Number(r[0]))).toEqual([2]);
    } finally {
      await conn.close();
    }
  });

  it("handleError gets the translated error with SQL and parameters, and may raise another", async () => {
    await ctx.reset();
    const contexts: { error: unknown; sql: string; isDisconnect: boolean }[] = [];
    const conn = await ctx.engine.connect();
    try {
      await conn.execDriverSql(INSERT);
      listen(conn, "handleError", (c) => void contexts.push({ error: c.error, sql: c.sql, isDisconnect: c.isDisconnect }));
      await expect(conn.execDriverSql(INSERT)).rejects.toBeInstanceOf(IntegrityError);
      expect(contexts).toHaveLength(1);
      expect(contexts[0]?.error).toBeInstanceOf(IntegrityError);
      expect(contexts[0]?.sql).toBe(INSERT);
      expect(contexts[0]?.isDisconnect).toBe(false);
      await conn.rollback();
      await conn.execDriverSql(INSERT);
      class DuplicateAudit extends Error {}
      listen(conn, "handleError", (c) => new DuplicateAudit(`duplicate: ${String((c.error as Error).name)}`));
      await expect(conn.execDriverSql(INSERT)).rejects.toBeInstanceOf(DuplicateAudit);
    } finally {
      await conn.rollback();
      await conn.close();
    }
  });

  it("once, insert, contains and listensFor", async () => {
    const log: string[] = [];
    const conn = await ctx.engine.connect();
    try {
      const first = listensFor(conn, "beforeExecute")((_c, sql) => void log.push(`first ${sql}`));
      listen(conn, "beforeExecute", (_c, sql) => void log.push(`once ${sql}`), { once: true });
      listen(conn, "beforeExecute", (_c, sql) => void log.push(`inserted ${sql}`), { insert: true });
      expect(contains(conn, "beforeExecute", first)).toBe(true);
      await conn.execDriverSql("SELECT 1");
      await conn.execDriverSql("SELECT 2");
      remove(conn, "beforeExecute", first);
      expect(contains(conn, "beforeExecute", first)).toBe(false);
      expect(() => remove(conn, "beforeExecute", first)).toThrow(/not registered/);
      await conn.execDriverSql("SELECT 3");
    } finally {
      await conn.close();
    }
    expect(log).toEqual(["inserted SELECT 1", "first SELECT 1", "once SELECT 1", "inserted SELECT 2", "first SELECT 2", "inserted SELECT 3"]);
  });

  it("beforeExecute hears a streamed statement (afterExecute does not: the rows are still to come)", async () => {
    const heard: string[] = [];
    const conn = await ctx.engine.connect();
    try {
      listen(conn, "beforeExecute", (_c, sql) => void heard.push(`before ${sql}`));
      listen(conn, "afterExecute", (_c, sql) => void heard.push(`after ${sql}`));
      const rows = await (await conn.stream(text("SELECT 1 AS one"))).all();
      expect(rows).toHaveLength(1);
    } finally {
      await conn.close();
    }
    expect(heard).toEqual(["before SELECT 1 AS one"]);
  });

  it("savepoint, releaseSavepoint and rollbackSavepoint name the SAVEPOINT, between begin and commit", async () => {
    const log: string[] = [];
    const conn = await ctx.engine.connect();
    try {
      listen(conn, "begin", () => void log.push("begin"));
      listen(conn, "savepoint", (_c, name) => void log.push(`savepoint ${name}`));
      listen(conn, "releaseSavepoint", (_c, name) => void log.push(`releaseSavepoint ${name}`));
      listen(conn, "rollbackSavepoint", (_c, name) => void log.push(`rollbackSavepoint ${name}`));
      listen(conn, "commit", () => void log.push("commit"));
      const first = await conn.beginNested();
      await first.commit();
      const second = await conn.beginNested();
      await second.rollback();
      await conn.commit();
    } finally {
      await conn.close();
    }
    expect(log).toEqual(["begin", "savepoint sp_1", "releaseSavepoint sp_1", "savepoint sp_2", "rollbackSavepoint sp_2", "commit"]);
  });

  it("an unknown event name is refused at run time too", () => {
    expect(() => listen(ctx.engine, "beforeFlush" as never, (() => {}) as never)).toThrow(/No such event 'beforeFlush'/);
  });
});
