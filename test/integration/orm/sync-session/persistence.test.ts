import { describe, expect, it } from "vitest";
import { NoResultFound, Session, delete_, insert, select, update } from "../../../../src/index.ts";
import { Album, CascadeBase, Track, TrackNote } from "../../../fixtures/uow-models/cascades.ts";
import { LoadingBase, Organization, Post, User } from "../../../fixtures/loading-models/blog.ts";
import { ORG_COLUMNS, USER_COLUMNS, seedBlogSync, shapes, summary, useSyncDatabase } from "./sync-support.ts";

/**
 * The synchronous Session's reads and writes by method: get()/getOne() with the identity map,
 * refresh(), merge(), delete() with cascades, ORM bulk INSERT, ORM UPDATE/DELETE with
 * synchronizeSession; each returns its value (no promise) and runs SQLAlchemy's statements.
 */
describe("sync Session: get, refresh, merge, bulk and ORM-enabled DML", () => {
  const ctx = useSyncDatabase(LoadingBase.metadata, seedBlogSync);

  it("get(): one SELECT by primary key, then the identity map with no SQL; a missing row is null; getOne() raises NoResultFound", () => {
    using session = new Session(ctx.engine);
    const first = ctx.recorder.duringSync(() => session.get(Organization, 1));
    expect(first.value).toBeInstanceOf(Organization);
    expect(shapes(first.statements)).toEqual([`SELECT ${ORG_COLUMNS} FROM "organizations" WHERE "organizations"."id" = ?`]);
    expect(ctx.recorder.duringSync(() => session.get(Organization, 1))).toEqual({ value: first.value, statements: [] });
    expect(session.get(Organization, 99)).toBeNull();
    expect(() => session.getOne(Organization, 99)).toThrow(NoResultFound);
  });

  it("refresh(): reloads the row now, discarding unflushed changes; refresh(obj, [key]) reloads that attribute", () => {
    using session = new Session(ctx.engine);
    const ann = session.getOne(User, 1);
    ann.name = "changed";
    const refreshed = ctx.recorder.duringSync(() => session.refresh(ann));
    expect(refreshed.value).toBe(ann);
    expect(ann.name).toBe("ann");
    expect(shapes(refreshed.statements)).toEqual([`SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."id" = ?`]);
    const posts = ctx.recorder.duringSync(() => session.refresh(ann, ["posts"]));
    expect(summary(posts.statements)).toEqual(["SELECT posts"]);
    expect(ctx.recorder.duringSync(() => ann.posts.length)).toEqual({ value: 2, statements: [] });
  });

  it("merge(): copies a detached object's state onto the session's instance (loading it first) and returns that instance", () => {
    using session = new Session(ctx.engine);
    const merged = ctx.recorder.duringSync(() => session.merge(new Organization({ id: 2, name: "globex2" })));
    expect(summary(merged.statements)).toEqual(["SELECT organizations"]);
    expect(merged.value.name).toBe("globex2");
    expect(session.get(Organization, 2)).toBe(merged.value);
    // A merge of a row the database does not have: the SELECT (after the autoflush of globex2's UPDATE) finds none, the instance is pending.
    const pending = ctx.recorder.duringSync(() => session.merge(new Organization({ id: 9, name: "new" })));
    expect(summary(pending.statements)).toEqual(["UPDATE organizations", "SELECT organizations"]);
    expect(session.contains(pending.value)).toBe(true);
    expect(summary(ctx.recorder.duringSync(() => session.flush()).statements)).toEqual(["INSERT organizations"]);
  });

  it("bulk INSERT: session.execute(insert(Model), rows) as one multi-row INSERT; the rows read back", () => {
    using session = new Session(ctx.engine);
    const bulk = ctx.recorder.duringSync(() =>
      session.execute(insert(Organization), [
        { id: 10, name: "a" },
        { id: 11, name: "b" },
        { id: 12, name: "c" },
      ]),
    );
    expect(summary(bulk.statements)).toEqual(["INSERT organizations"]);
    expect(session.scalars(select(Organization.name).where(Organization.id.in([10, 11, 12])).orderBy(Organization.id)).all()).toEqual(["a", "b", "c"]);
  });

  it('ORM UPDATE with synchronizeSession "evaluate" (the default "auto") updates the loaded objects in memory', () => {
    using session = new Session(ctx.engine);
    const [ann, bob, cid] = [session.getOne(User, 1), session.getOne(User, 2), session.getOne(User, 3)];
    const run = ctx.recorder.duringSync(() => session.execute(update(User).where(User.organizationId.eq(1)).values({ email: "x@acme" })));
    expect(summary(run.statements)).toEqual(["UPDATE users"]);
    expect(ctx.recorder.duringSync(() => [ann.email, bob.email, cid.email])).toEqual({ value: ["x@acme", "x@acme", "cid@globex"], statements: [] });
  });

  it('ORM UPDATE with synchronizeSession "fetch" finds the matched rows by the database, and updates them in memory', () => {
    using session = new Session(ctx.engine);
    const ann = session.getOne(User, 1);
    const run = ctx.recorder.duringSync(() =>
      session.execute(update(User).where(User.name.like("a%")).values({ email: "fetched" }).executionOptions({ synchronizeSession: "fetch" })),
    );
    expect(run.statements.length).toBeGreaterThanOrEqual(1);
    expect(run.statements.some((s) => s.sql.startsWith("UPDATE"))).toBe(true);
    expect(ctx.recorder.duringSync(() => ann.email)).toEqual({ value: "fetched", statements: [] });
  });

  it("ORM DELETE with synchronizeSession removes the matched objects from the session; false leaves them", () => {
    using session = new Session(ctx.engine);
    const dee = session.getOne(User, 4);
    const bob = session.getOne(User, 2);
    session.execute(delete_(User).where(User.id.eq(4)));
    expect(session.contains(dee)).toBe(false);
    session.execute(delete_(Post).where(Post.userId.eq(2)));
    session.execute(delete_(User).where(User.id.eq(2)).executionOptions({ synchronizeSession: false }));
    expect(session.contains(bob)).toBe(true);
    expect(session.scalars(select(User.id).orderBy(User.id)).all()).toEqual([1, 3]);
  });
});

describe("sync Session: delete() with cascades", () => {
  const ctx = useSyncDatabase(CascadeBase.metadata, (session) => {
    session.add(new Album({ id: 1, title: "blue" }));
    session.flush();
    session.addAll([new Track({ id: 1, title: "t1", albumId: 1 }), new Track({ id: 2, title: "t2", albumId: 1 })]);
    session.flush();
    session.add(new TrackNote({ id: 1, body: "n", trackId: 1 }));
  });

  it('delete(parent) with cascade "all, delete-orphan" loads the unloaded children (and theirs) and deletes them all, children first', () => {
    using session = new Session(ctx.engine);
    const album = session.getOne(Album, 1);
    const run = ctx.recorder.duringSync(() => {
      session.delete(album);
      session.flush();
    });
    expect(summary(run.statements)).toEqual(["SELECT tracks", "SELECT track_notes", "SELECT track_notes", "DELETE track_notes", "DELETE tracks", "DELETE tracks", "DELETE albums"]);
    session.commit();
    expect(session.scalars(select(Track)).all()).toEqual([]);
    expect(session.scalars(select(TrackNote)).all()).toEqual([]);
  });

  it("delete-orphan: removing a child from the collection deletes it at the flush", () => {
    using session = new Session(ctx.engine);
    const album = session.getOne(Album, 1);
    const second = album.tracks.find((t) => t.id === 2);
    if (second === undefined) throw new Error("track 2 not found");
    album.tracks.splice(album.tracks.indexOf(second), 1);
    session.commit();
    expect(session.scalars(select(Track.id)).all()).toEqual([1]);
  });
});
