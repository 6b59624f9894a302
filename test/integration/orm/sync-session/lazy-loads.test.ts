import { describe, expect, it } from "vitest";
import { Session, select } from "../../../../src/index.ts";
import { LoadingBase, Node, Organization, Post, Tag, User } from "../../../fixtures/loading-models/blog.ts";
import { ORG_COLUMNS, POST_COLUMNS, USER_COLUMNS, seedBlogSync, shapes, useSyncDatabase } from "./sync-support.ts";

/**
 * Reading an unloaded relationship of a persistent object under the synchronous Session loads it
 * there and then, with the statements of SQLAlchemy 2.0's lazy loader (`lazy="select"`):
 * a many-to-one by primary key, or none at all when its target is in the identity map (`use_get`);
 * a collection by the parent's key; a many-to-many through the secondary table.
 */
describe("sync Session: lazy loads on attribute access", () => {
  const ctx = useSyncDatabase(LoadingBase.metadata, seedBlogSync);

  it("a many-to-one whose target is not in the session: one SELECT by primary key, then none", () => {
    using session = new Session(ctx.engine);
    const cid = session.execute(select(User).where(User.id.eq(3))).scalars().one();
    const first = ctx.recorder.duringSync(() => cid.organization?.name);
    expect(first.value).toBe("globex");
    expect(shapes(first.statements)).toEqual([`SELECT ${ORG_COLUMNS} FROM "organizations" WHERE "organizations"."id" = ?`]);
    expect(first.statements[0]?.params).toEqual([2]);
    expect(ctx.recorder.duringSync(() => cid.organization?.name).statements).toEqual([]);
  });

  it("a many-to-one whose target is in the identity map: no SQL (use_get), the same instance", () => {
    using session = new Session(ctx.engine);
    const acme = session.get(Organization, 1);
    const ann = session.execute(select(User).where(User.id.eq(1))).scalars().one();
    const read = ctx.recorder.duringSync(() => ann.organization);
    expect(read.statements).toEqual([]);
    expect(read.value).toBe(acme);
  });

  it("a many-to-one with a NULL foreign key: null, no SQL", () => {
    using session = new Session(ctx.engine);
    const dee = session.get(User, 4);
    if (dee === null) throw new Error("dee not found");
    expect(ctx.recorder.duringSync(() => dee.organization)).toEqual({ value: null, statements: [] });
  });

  it("a one-to-many collection: one SELECT by the parent's key, then from memory", () => {
    using session = new Session(ctx.engine);
    const ann = session.getOne(User, 1);
    const posts = ctx.recorder.duringSync(() => ann.posts.map((p) => p.title).sort());
    expect(posts.value).toEqual(["a1", "a2"]);
    expect(shapes(posts.statements)).toEqual([`SELECT ${POST_COLUMNS} FROM "posts" WHERE "posts"."user_id" = ?`]);
    expect(posts.statements[0]?.params).toEqual([1]);
    expect(ctx.recorder.duringSync(() => ann.posts.length).statements).toEqual([]);
    // The back reference of each loaded post is the parent, without SQL (SQLAlchemy populates it from the collection load).
    expect(ctx.recorder.duringSync(() => ann.posts.every((p) => p.author === ann))).toEqual({ value: true, statements: [] });
  });

  it("an empty collection loads as [] with one SELECT", () => {
    using session = new Session(ctx.engine);
    const initech = session.getOne(Organization, 3);
    const users = ctx.recorder.duringSync(() => initech.users);
    expect(users.value).toEqual([]);
    expect(users.statements).toHaveLength(1);
  });

  it("a many-to-many collection: one SELECT joining the secondary table", () => {
    using session = new Session(ctx.engine);
    const post = session.getOne(Post, 1);
    const tags = ctx.recorder.duringSync(() => post.tags.map((t) => t.name).sort());
    expect(tags.value).toEqual(["blue", "red"]);
    expect(shapes(tags.statements)).toEqual([
      `SELECT "tags"."id", "tags"."name" FROM "tags" JOIN "post_tags" ON "tags"."id" = "post_tags"."tag_id" WHERE "post_tags"."post_id" = ?`,
    ]);
    expect(tags.statements[0]?.params).toEqual([1]);
    const red = session.getOne(Tag, 1);
    const back = ctx.recorder.duringSync(() => red.posts.map((p) => p.title).sort());
    expect(back.value).toEqual(["a1", "a2"]);
    expect(back.statements).toHaveLength(1);
  });

  it("a self-referential relationship: children by the parent's key, the parent from the identity map", () => {
    using session = new Session(ctx.engine);
    const root = session.getOne(Node, 1);
    const children = ctx.recorder.duringSync(() => root.children.map((n) => n.name).sort());
    expect(children.value).toEqual(["a", "b"]);
    expect(shapes(children.statements)).toEqual([`SELECT "nodes"."id", "nodes"."name", "nodes"."parent_id" FROM "nodes" WHERE "nodes"."parent_id" = ?`]);
    const a = root.children.find((n) => n.name === "a");
    if (a === undefined) throw new Error("a not found");
    expect(ctx.recorder.duringSync(() => a.parent)).toEqual({ value: root, statements: [] });
    // Walking down one level at a time: one SELECT per level.
    const walk = ctx.recorder.duringSync(() => a.children[0]?.children[0]?.name);
    expect(walk.value).toBe("a1x");
    expect(walk.statements).toHaveLength(2);
    // Walking up from a node whose parent is not loaded: one SELECT by primary key per step.
    session.expungeAll();
    const leaf = session.getOne(Node, 5);
    const up = ctx.recorder.duringSync(() => leaf.parent?.parent?.parent?.name);
    expect(up.value).toBe("root");
    expect(shapes(up.statements)).toEqual(Array(3).fill(`SELECT "nodes"."id", "nodes"."name", "nodes"."parent_id" FROM "nodes" WHERE "nodes"."id" = ?`));
    expect(up.statements.map((s) => s.params)).toEqual([[4], [2], [1]]);
  });

  it("autoflush before a lazy load: the lazy SELECT sees the session's pending changes", () => {
    using session = new Session(ctx.engine);
    const acme = session.getOne(Organization, 1);
    session.add(new User({ id: 10, name: "eve", email: "eve@acme", organizationId: 1 }));
    const users = ctx.recorder.duringSync(() => acme.users.map((u) => u.name).sort());
    expect(users.value).toEqual(["ann", "bob", "eve"]);
    expect(shapes(users.statements)).toEqual([
      `INSERT INTO "users" ("id", "name", "email", "organization_id") VALUES (?, ?, ?, ?)`,
      `SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."organization_id" = ?`,
    ]);
  });

  it("noAutoflush: the lazy SELECT runs without the flush, so the pending row is not in it", () => {
    using session = new Session(ctx.engine);
    const acme = session.getOne(Organization, 1);
    session.add(new User({ id: 10, name: "eve", email: "eve@acme", organizationId: 1 }));
    const users = ctx.recorder.duringSync(() => session.noAutoflush(() => acme.users.map((u) => u.name).sort()));
    expect(users.value).toEqual(["ann", "bob"]);
    expect(users.statements).toHaveLength(1);
  });
});
