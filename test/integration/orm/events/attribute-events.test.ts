import { afterEach, expect, it } from "vitest";
import { NO_VALUE, listen, remove, select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { Author, Base, Post } from "../../../fixtures/event-models/index.ts";

describeEachSessionKind("events: attribute set, append and remove", (db) => {
  const ctx = useSessionDatabase(db, "events_attributes", Base.metadata);
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const stop of cleanup.splice(0)) stop();
  });

  /** listen() that the test's afterEach removes (attribute listeners are global). */
  function listenHere<F extends (...args: never[]) => unknown>(register: () => void, unregister: () => void, _fn?: F): void {
    register();
    cleanup.push(unregister);
  }

  it("set: target, value, old value (NO_VALUE first) and initiator, for columns and many-to-one; retval replaces the value written", async () => {
    await ctx.reset();
    const log: unknown[] = [];
    const onName = (target: object, value: string, old: string | typeof NO_VALUE, initiator: { key: string; op: string }) => {
      log.push([target instanceof Author, value, old === NO_VALUE ? "NO_VALUE" : old, initiator.key, initiator.op]);
    };
    const trim = (_target: object, value: string) => value.trim();
    const onAuthor = (target: object, value: Author | null, old: Author | null | typeof NO_VALUE) =>
      void log.push(["author", (target as Post).title, value?.name ?? null, old === NO_VALUE ? "NO_VALUE" : (old?.name ?? null)]);
    listenHere(() => listen(Author.name, "set", onName), () => remove(Author.name, "set", onName));
    listenHere(() => listen(Author.name, "set", trim, { retval: true }), () => remove(Author.name, "set", trim));
    listenHere(() => listen(Post.author, "set", onAuthor), () => remove(Post.author, "set", onAuthor));

    const ann = new Author({ name: "  ann  " });
    expect(ann.name).toBe("ann");
    ann.name = " anne";
    const post = new Post({ title: "p1" });
    post.author = ann;
    post.author = new Author({ name: "bob" });
    expect(log).toEqual([
      [true, "  ann  ", "NO_VALUE", "name", "set"],
      [true, " anne", "ann", "name", "set"],
      ["author", "p1", "anne", "NO_VALUE"],
      [true, "bob", "NO_VALUE", "name", "set"],
      ["author", "p1", "bob", "anne"],
    ]);
    await using session = ctx.openSession({ expireOnCommit: false });
    session.add(post);
    await session.commit();
    const names = (await session.scalars(select(Author.name).orderBy(Author.name))).all();
    expect(names).toEqual(["bob"]);
  });

  it("append and remove: each item a collection gains or loses, in place or by assignment; retval replaces the appended item", async () => {
    await ctx.reset();
    const log: string[] = [];
    const onAppend = (target: object, item: Post, initiator: { op: string }) => void log.push(`${initiator.op} ${(target as Author).name} ${item.title}`);
    const onRemove = (target: object, item: Post, initiator: { op: string }) => void log.push(`${initiator.op} ${(target as Author).name} ${item.title}`);
    const replaceDrafts = (_target: object, item: Post) => (item.title === "draft" ? new Post({ title: "replaced" }) : item);
    listenHere(() => listen(Author.posts, "append", onAppend), () => remove(Author.posts, "append", onAppend));
    listenHere(() => listen(Author.posts, "remove", onRemove), () => remove(Author.posts, "remove", onRemove));
    const ann = new Author({ name: "ann" });
    const [p1, p2, p3] = [new Post({ title: "p1" }), new Post({ title: "p2" }), new Post({ title: "p3" })];
    ann.posts = [p1, p2];
    ann.posts.push(p3);
    ann.posts.splice(ann.posts.indexOf(p1), 1);
    ann.posts = [p2];
    expect(log).toEqual(["append ann p1", "append ann p2", "append ann p3", "remove ann p1", "remove ann p3"]);
    listenHere(() => listen(Author.posts, "append", replaceDrafts, { retval: true }), () => remove(Author.posts, "append", replaceDrafts));
    ann.posts.push(new Post({ title: "draft" }));
    expect(ann.posts.map((p) => p.title)).toEqual(["p2", "replaced"]);
    await using session = ctx.openSession();
    session.add(ann);
    await session.flush();
    const titles = (await session.scalars(select(Post.title).orderBy(Post.title))).all();
    expect(titles).toEqual(["p2", "replaced"]);
  });
});
