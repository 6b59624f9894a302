import { afterEach, describe, expect, it } from "vitest";
import {
  AsyncSession,
  Connection,
  InvalidRequestError,
  PendingRollbackError,
  Result,
  Session,
  createEngine,
  insert,
  listen,
  remove,
  select,
} from "../../../../src/index.ts";
import { LoadingBase, Organization, User, postTags } from "../../../fixtures/loading-models/blog.ts";
import { seedBlogSync, summary, thrown, useSyncDatabase } from "./sync-support.ts";

/**
 * Events under the synchronous Session. Synchronous listeners run as under AsyncSession: session
 * events, `doOrmExecute` (its `invokeStatement()` answers the Result itself), and mapper events,
 * which get the synchronous `Connection`. A listener that returns a promise cannot be waited for
 * inside a synchronous call: the call fails with InvalidRequestError and what it began is undone
 * (the flush's transaction rolled back), except after COMMIT, when the data is already committed.
 */
describe("sync Session: event listeners", () => {
  const ctx = useSyncDatabase(LoadingBase.metadata, seedBlogSync, { file: true });
  const removals: (() => void)[] = [];
  afterEach(() => {
    for (const undo of removals.splice(0)) undo();
  });

  /** A mapper listener (global to the model) that afterEach removes. */
  function listenOnModel(event: "beforeInsert" | "afterInsert", fn: (...args: never[]) => unknown): void {
    listen(Organization, event, fn as never);
    removals.push(() => remove(Organization, event, fn as never));
  }

  function committedOrganizationIds(): number[] {
    const engine = createEngine(ctx.url);
    try {
      using other = new Session(engine);
      return other.scalars(select(Organization.id).orderBy(Organization.id)).all();
    } finally {
      engine.dispose();
    }
  }

  const ASYNC_REFUSED = "An asynchronous call was reached from the synchronous API";

  it("session events: beforeFlush (adding an object flushes it too), afterFlush, beforeCommit, afterCommit, afterRollback, in order", () => {
    using session = new Session(ctx.engine);
    const log: string[] = [];
    listen(session, "beforeFlush", (s) => {
      log.push("beforeFlush");
      if (!log.includes("added")) {
        log.push("added");
        s.add(new Organization({ id: 5, name: "from beforeFlush" }));
      }
    });
    listen(session, "afterFlush", () => void log.push("afterFlush"));
    listen(session, "beforeCommit", () => void log.push("beforeCommit"));
    listen(session, "afterCommit", () => void log.push("afterCommit"));
    listen(session, "afterRollback", () => void log.push("afterRollback"));
    session.add(new Organization({ id: 4, name: "hooli" }));
    session.commit();
    expect(log).toEqual(["beforeCommit", "beforeFlush", "added", "afterFlush", "afterCommit"]);
    expect(committedOrganizationIds()).toEqual([1, 2, 3, 4, 5]);
    session.getOne(Organization, 1);
    session.rollback();
    expect(log.at(-1)).toBe("afterRollback");
  });

  it("listen(AsyncSession, …) (every session) fires for a synchronous Session too; listen(Session, …) on the class is refused", () => {
    const commits: unknown[] = [];
    const onCommit = (s: unknown): void => void commits.push(s);
    listen(AsyncSession, "afterCommit", onCommit);
    removals.push(() => remove(AsyncSession, "afterCommit", onCommit));
    using session = new Session(ctx.engine);
    session.add(new Organization({ id: 4, name: "hooli" }));
    session.commit();
    expect(commits).toEqual([session]);
    expect(() => listen(Session as never, "afterCommit" as never, onCommit as never)).toThrow(InvalidRequestError);
  });

  it("doOrmExecute: a synchronous listener replaces the statement, or answers from a cache filled by invokeStatement(), which returns the Result itself", () => {
    using session = new Session(ctx.engine);
    const cache = new Map<string, unknown[]>();
    let invoked: unknown;
    listen(session, "doOrmExecute", (state) => {
      if (!state.isSelect) return undefined;
      const key = JSON.stringify(state.params ?? {});
      let rows = cache.get(key);
      if (rows === undefined) {
        // Typed as AsyncSession's Promise<Result>; under the synchronous Session it is the Result itself.
        invoked = state.invokeStatement();
        rows = (invoked as unknown as Result<unknown>).all();
        cache.set(key, rows);
      }
      return new Result(rows, { keys: ["name"], rowsAffected: 0, lastInsertId: undefined });
    });
    const first = ctx.recorder.duringSync(() => session.execute(select(Organization.name).orderBy(Organization.id)).scalars().all());
    expect(invoked).toBeInstanceOf(Result);
    expect(first.value).toEqual(["acme", "globex", "initech"]);
    expect(first.statements).toHaveLength(1);
    const second = ctx.recorder.duringSync(() => session.execute(select(Organization.name).orderBy(Organization.id)).scalars().all());
    expect(second).toEqual({ value: ["acme", "globex", "initech"], statements: [] });
  });

  it("mapper events get the synchronous Connection: an afterInsert listener's own INSERT runs in the flush's transaction", () => {
    const connections: unknown[] = [];
    listenOnModel("beforeInsert", (_mapper: unknown, _conn: unknown, target: Organization) => {
      target.name = target.name.toUpperCase();
    });
    listenOnModel("afterInsert", (_mapper: unknown, conn: Connection, target: Organization) => {
      connections.push(conn);
      const result = conn.execute(insert(postTags).values({ postId: 3, tagId: target.id - 1 }));
      expect(result).not.toBeInstanceOf(Promise);
    });
    using session = new Session(ctx.engine);
    session.add(new Organization({ id: 4, name: "hooli" }));
    const flush = ctx.recorder.duringSync(() => session.flush());
    expect(summary(flush.statements)).toEqual(["INSERT organizations", "INSERT post_tags"]);
    expect(connections[0]).toBeInstanceOf(Connection);
    session.rollback();
    expect(committedOrganizationIds()).toEqual([1, 2, 3]);
    session.add(new Organization({ id: 4, name: "hooli" }));
    session.commit();
    expect(session.getOne(Organization, 4).name).toBe("HOOLI");
  });

  it("an async beforeFlush listener: flush() fails with InvalidRequestError before any statement; nothing is written and the session rolls back", () => {
    using session = new Session(ctx.engine);
    listen(session, "beforeFlush", async () => undefined);
    session.add(new Organization({ id: 4, name: "hooli" }));
    const run = ctx.recorder.duringSync(() => thrown(() => session.flush()));
    expect(run.value).toBeInstanceOf(InvalidRequestError);
    expect(run.value.message).toContain(ASYNC_REFUSED);
    expect(run.statements).toEqual([]);
    expect(committedOrganizationIds()).toEqual([1, 2, 3]);
  });

  it("an async afterInsert listener (mid-flush, after the INSERT ran): the flush fails, its transaction is rolled back, PendingRollbackError until rollback()", () => {
    listenOnModel("afterInsert", async () => undefined);
    using session = new Session(ctx.engine);
    session.add(new Organization({ id: 4, name: "hooli" }));
    const error = thrown(() => session.flush());
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toContain(ASYNC_REFUSED);
    expect(ctx.recorder.all.map((s) => s.sql).some((sql) => sql.startsWith("ROLLBACK"))).toBe(true);
    expect(thrown(() => session.get(User, 1))).toBeInstanceOf(PendingRollbackError);
    session.rollback();
    expect(committedOrganizationIds()).toEqual([1, 2, 3]);
    expect(session.get(Organization, 4)).toBeNull();
  });

  it("an async doOrmExecute listener: execute() fails with InvalidRequestError and runs no statement", () => {
    using session = new Session(ctx.engine);
    listen(session, "doOrmExecute", async () => undefined);
    const run = ctx.recorder.duringSync(() => thrown(() => session.execute(select(Organization))));
    expect(run.value).toBeInstanceOf(InvalidRequestError);
    expect(run.value.message).toContain(ASYNC_REFUSED);
    expect(run.statements).toEqual([]);
  });

  it("an async afterCommit listener: commit() throws InvalidRequestError, but COMMIT already ran: the data is committed (documented)", () => {
    using session = new Session(ctx.engine);
    listen(session, "afterCommit", async () => undefined);
    session.add(new Organization({ id: 4, name: "hooli" }));
    const error = thrown(() => session.commit());
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(committedOrganizationIds()).toEqual([1, 2, 3, 4]);
  });
});
