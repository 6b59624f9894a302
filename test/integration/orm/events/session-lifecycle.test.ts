import { afterEach, expect, it } from "vitest";
import { AsyncSession, asyncSessionmaker, listen, remove, select } from "../../../../src/index.ts";
import { describeEachSessionKind, expectUnloaded, useSessionDatabase } from "../../../support/session-kinds.ts";
import { Author, Base, Post } from "../../../fixtures/event-models/index.ts";
import { emptySeen, label, recordMapperEvents, recordSessionEvents } from "./events-support.ts";

describeEachSessionKind("events: session and mapper events through the object lifecycle", (db) => {
  const ctx = useSessionDatabase(db, "events_lifecycle", Base.metadata);
  let stopMapperEvents: (() => void) | undefined;
  afterEach(() => {
    stopMapperEvents?.();
    stopMapperEvents = undefined;
  });

  async function seed(): Promise<{ authorId: number; postIds: number[] }> {
    await ctx.reset();
    await using session = ctx.openSession({ expireOnCommit: false });
    const posts = [new Post({ title: "p1" }), new Post({ title: "p2" })];
    const ann = new Author({ name: "ann", posts });
    session.add(ann);
    await session.commit();
    return { authorId: ann.id, postIds: posts.map((p) => p.id) };
  }

  it("add → commit: transitions, flush events and per-row mapper events in order, with the flush's connection", async () => {
    await ctx.reset();
    const session = ctx.openSession({ expireOnCommit: false });
    const { log, connections, sessions } = recordSessionEvents(session);
    const seen = emptySeen();
    stopMapperEvents = recordMapperEvents(log, seen);
    const ann = new Author({ name: "ann", posts: [new Post({ title: "p1" })] });
    session.add(ann);
    expect(log).toEqual(["transientToPending Author(ann)", "transientToPending Post(p1)"]);
    log.length = 0;
    let idInAfterInsert: unknown;
    listen(Author, "afterInsert", (_m, _c, author) => void (idInAfterInsert = author.id), { once: true });
    await session.commit();
    expect(log).toEqual([
      "beforeCommit",
      "beforeFlush",
      "afterBegin",
      "beforeInsert Author(ann)",
      "afterInsert Author(ann)",
      "beforeInsert Post(p1)",
      "afterInsert Post(p1)",
      "afterFlush",
      "pendingToPersistent Author(ann)",
      "pendingToPersistent Post(p1)",
      "afterFlushPostexec",
      "afterCommit",
    ]);
    expect(idInAfterInsert).toEqual(expect.any(Number));
    expect([...seen.mappers].sort()).toEqual(["Author", "Post"]);
    expect(connections).toHaveLength(1);
    expect([...seen.connections]).toEqual(connections);
    expect([...sessions]).toEqual([session]);
    await session.close();
    expect(log.slice(-2)).toEqual(["persistentToDetached Author(ann)", "persistentToDetached Post(p1)"]);
  });

  it("load → update and delete → rollback: load, loadedAsPersistent, update/delete events, restored on rollback", async () => {
    const { authorId, postIds } = await seed();
    await using session = ctx.openSession();
    const { log } = recordSessionEvents(session);
    const seen = emptySeen();
    stopMapperEvents = recordMapperEvents(log, seen);
    const ann = (await session.get(Author, authorId)) as Author;
    const p1 = (await session.get(Post, postIds[0] as number)) as Post;
    expect(log).toEqual(["afterBegin", "load Author(ann)", "loadedAsPersistent Author(ann)", "load Post(p1)", "loadedAsPersistent Post(p1)"]);
    expect([...seen.sessions]).toEqual([session]);
    log.length = 0;
    ann.name = "anne";
    await session.delete(p1);
    await session.flush();
    expect(log).toEqual([
      "beforeFlush",
      "beforeUpdate Author(anne)",
      "afterUpdate Author(anne)",
      "beforeDelete Post(p1)",
      "afterDelete Post(p1)",
      "afterFlush",
      "persistentToDeleted Post(p1)",
      "afterFlushPostexec",
    ]);
    log.length = 0;
    await session.rollback();
    expect(log).toEqual(["afterRollback", "deletedToPersistent Post(p1)", "afterSoftRollback"]);
  });

  it("refresh: all attributes (undefined), named ones, populateExisting and an expired attribute's load", async () => {
    const { authorId } = await seed();
    await using session = ctx.openSession();
    const log: string[] = [];
    stopMapperEvents = recordMapperEvents(log);
    const ann = (await session.get(Author, authorId)) as Author;
    await session.refresh(ann);
    await session.refresh(ann, ["name"]);
    await session.execute(select(Author).executionOptions({ populateExisting: true }));
    session.expire(ann, ["name"]);
    expect(await ann.awaitableAttrs.name).toBe("ann");
    expect(log).toEqual(["load Author(ann)", "refresh Author(ann) all", "refresh Author(ann) name", "refresh Author(ann) all", "refresh Author(ann) name"]);
  });

  it("expunge, add of a detached object, rollback of a flushed INSERT, commit of a flushed DELETE", async () => {
    const { authorId, postIds } = await seed();
    await using session = ctx.openSession();
    const { log } = recordSessionEvents(session);
    const ann = (await session.get(Author, authorId)) as Author;
    session.expunge(ann);
    session.add(ann);
    const bob = new Author({ name: "bob" });
    session.add(bob);
    session.expunge(bob);
    session.add(bob);
    await session.flush();
    await session.rollback();
    expect(log).toEqual([
      "afterBegin",
      "loadedAsPersistent Author(ann)",
      "persistentToDetached Author(ann)",
      "detachedToPersistent Author(ann)",
      "transientToPending Author(bob)",
      "pendingToTransient Author(bob)",
      "transientToPending Author(bob)",
      "beforeFlush",
      "afterFlush",
      "pendingToPersistent Author(bob)",
      "afterFlushPostexec",
      "afterRollback",
      "persistentToTransient Author(bob)",
      "afterSoftRollback",
    ]);
    log.length = 0;
    const p2 = (await session.get(Post, postIds[1] as number)) as Post;
    await session.delete(p2);
    await session.commit();
    expect(log).toEqual([
      "afterBegin",
      "loadedAsPersistent Post(p2)",
      "beforeCommit",
      "beforeFlush",
      "afterFlush",
      "persistentToDeleted Post(p2)",
      "afterFlushPostexec",
      "afterCommit",
      "deletedToDetached Post(p2)",
    ]);
  });

  it("beforeAttach and afterAttach bracket the attachment of each object add() and its cascade bring in", async () => {
    const { authorId } = await seed();
    await using session = ctx.openSession();
    const log: string[] = [];
    for (const name of ["beforeAttach", "afterAttach", "transientToPending", "detachedToPersistent"] as const) {
      listen(session, name, (_s, instance) => void log.push(`${name} ${label(instance)}`));
    }
    const ann = (await session.get(Author, authorId)) as Author;
    session.expunge(ann);
    session.add(ann);
    session.add(new Author({ name: "bob", posts: [new Post({ title: "b1" })] }));
    expect(log).toEqual([
      "beforeAttach Author(ann)",
      "afterAttach Author(ann)",
      "detachedToPersistent Author(ann)",
      "beforeAttach Author(bob)",
      "afterAttach Author(bob)",
      "transientToPending Author(bob)",
      "beforeAttach Post(b1)",
      "afterAttach Post(b1)",
      "transientToPending Post(b1)",
    ]);
  });

  it("afterCommit runs before expireOnCommit expires the instances; afterRollback before pending objects are expunged", async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    const ann = new Author({ name: "ann" });
    session.add(ann);
    const seen: unknown[] = [];
    listen(session, "afterCommit", () => void seen.push(["afterCommit", ann.name]));
    await session.commit();
    if (db.session === "async") expect(() => ann.name).toThrow(/expired by commit/);
    else expectUnloaded(db, ann, "name"); // expired: under Session a read would load it
    const bob = new Author({ name: "bob" });
    session.add(bob);
    await session.flush();
    listen(session, "afterRollback", (s) => void seen.push(["afterRollback", s.contains(bob)]));
    listen(session, "afterSoftRollback", (s) => void seen.push(["afterSoftRollback", s.contains(bob)]));
    await session.rollback();
    expect(seen).toEqual([["afterCommit", "ann"], ["afterRollback", true], ["afterSoftRollback", false]]);
  });

  it("beginNested: afterBegin nested; its rollback fires afterRollback and afterSoftRollback nested", async () => {
    await seed();
    await using session = ctx.openSession();
    const { log } = recordSessionEvents(session);
    const savepoint = await session.beginNested();
    session.add(new Author({ name: "cid" }));
    await session.flush();
    await savepoint.rollback();
    expect(log).toEqual([
      "afterBegin",
      "afterBegin nested",
      "transientToPending Author(cid)",
      "beforeFlush",
      "afterFlush",
      "pendingToPersistent Author(cid)",
      "afterFlushPostexec",
      "afterRollback",
      "persistentToTransient Author(cid)",
      "afterSoftRollback nested",
    ]);
  });

  it("targets: a sessionmaker's listeners reach the sessions it makes, the session class's every session, a session's only it", async () => {
    await ctx.reset();
    const Session = asyncSessionmaker(ctx.engine);
    const made = recordSessionEvents(Session);
    const global: string[] = [];
    const onPending = (_s: AsyncSession, instance: object) => void global.push((instance as Author).name);
    listen(AsyncSession, "transientToPending", onPending);
    try {
      const fromMaker = Session();
      const plain = ctx.openSession();
      const own: string[] = [];
      listen(plain, "transientToPending", (_s, instance) => void own.push((instance as Author).name));
      fromMaker.add(new Author({ name: "m" }));
      plain.add(new Author({ name: "p" }));
      expect(made.log).toEqual(["transientToPending Author(m)"]);
      expect([...made.sessions]).toEqual([fromMaker]);
      expect(own).toEqual(["p"]);
      expect(global).toEqual(["m", "p"]);
      await fromMaker.close();
      await plain.close();
    } finally {
      remove(AsyncSession, "transientToPending", onPending);
    }
    ctx.openSession().add(new Author({ name: "after" }));
    expect(global).toEqual(["m", "p"]);
  });

  // Async flush listeners cannot run inside a synchronous call (Session refuses them: docs/sync-session.md).
  it.skipIf(db.session === "sync")("beforeFlush may add objects (flushed now) and flush listeners may be async; a failing afterFlush fails the flush", async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    const order: string[] = [];
    listen(session, "beforeFlush", async (s) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push("beforeFlush done");
      if (s.new.length === 1) s.add(new Author({ name: "added in beforeFlush" }));
    });
    session.add(new Author({ name: "first" }));
    await session.flush();
    const names = (await session.scalars(select(Author.name).orderBy(Author.name))).all();
    expect(names).toEqual(["added in beforeFlush", "first"]);
    const fail = () => {
      throw new Error("audit failed");
    };
    listen(session, "afterFlush", fail);
    session.add(new Author({ name: "third" }));
    await expect(async () => session.flush()).rejects.toThrow("audit failed");
    expect(session.isActive).toBe(false);
    await session.rollback();
    remove(session, "afterFlush", fail);
    expect(order).toEqual(["beforeFlush done", "beforeFlush done"]);
  });
});
