import { describe, expect, it } from "vitest";
import {
  DetachedInstanceError,
  InvalidRequestError,
  MissingGreenlet,
  ObjectDeletedError,
  Session,
  defer,
  delete_,
  noload,
  raiseload,
  select,
} from "../../../../src/index.ts";
import { LoadingBase, Organization, User } from "../../../fixtures/loading-models/blog.ts";
import { ORG_COLUMNS, USER_COLUMNS, seedBlogSync, shapes, thrown, useSyncDatabase } from "./sync-support.ts";

/**
 * The states in which a read of an unloaded attribute does something other than a plain lazy load,
 * under the synchronous Session, as SQLAlchemy 2.0's Session: an expired object reloads its row; a
 * deferred column loads on read; raise strategies still raise; noload answers empty; a detached
 * object raises DetachedInstanceError; a row deleted behind the session raises ObjectDeletedError.
 */
describe("sync Session: expired, deferred, raising, detached and deleted attributes", () => {
  const ctx = useSyncDatabase(LoadingBase.metadata, seedBlogSync);

  it("after commit (expireOnCommit), reading a column reloads the row's expired columns with one SELECT", () => {
    using session = new Session(ctx.engine);
    const ann = session.getOne(User, 1);
    ann.name = "anna";
    session.commit();
    const read = ctx.recorder.duringSync(() => ann.name);
    expect(read.value).toBe("anna");
    expect(shapes(read.statements)).toEqual([`SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."id" = ?`]);
    expect(read.statements[0]?.params).toEqual([1]);
    // The other columns came with it.
    expect(ctx.recorder.duringSync(() => [ann.email, ann.organizationId])).toEqual({ value: ["ann@acme", 1], statements: [] });
  });

  it("after commit, a relationship read reloads: a collection by its SELECT, the row's columns first when they are needed", () => {
    using session = new Session(ctx.engine);
    const ann = session.getOne(User, 1);
    expect(ann.posts).toHaveLength(2);
    session.commit();
    const posts = ctx.recorder.duringSync(() => ann.posts.map((p) => p.title).sort());
    expect(posts.value).toEqual(["a1", "a2"]);
    // The collection was expired with the object; ann's key is still known, so one SELECT of posts.
    expect(shapes(posts.statements)).toEqual([`SELECT "posts"."id", "posts"."title", "posts"."user_id" FROM "posts" WHERE "posts"."user_id" = ?`]);
    // A many-to-one needs the expired foreign key: the row is reloaded, then the (expired) target by primary key.
    session.commit();
    const organization = ctx.recorder.duringSync(() => ann.organization?.name);
    expect(organization.value).toBe("acme");
    expect(shapes(organization.statements)).toEqual([
      `SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."id" = ?`,
      `SELECT ${ORG_COLUMNS} FROM "organizations" WHERE "organizations"."id" = ?`,
    ]);
  });

  it("expireOnCommit: false keeps the loaded values: no SQL after commit", () => {
    using session = new Session(ctx.engine, { expireOnCommit: false });
    const ann = session.getOne(User, 1);
    session.commit();
    expect(ctx.recorder.duringSync(() => ann.name)).toEqual({ value: "ann", statements: [] });
  });

  it("session.expire(obj, [key]) then a read: one SELECT of that column", () => {
    using session = new Session(ctx.engine);
    const ann = session.getOne(User, 1);
    session.expire(ann, ["email"]);
    const read = ctx.recorder.duringSync(() => ann.email);
    expect(read.value).toBe("ann@acme");
    expect(shapes(read.statements)).toEqual([`SELECT "users"."email" FROM "users" WHERE "users"."id" = ?`]);
  });

  it("a deferred column (declared deferred, or defer()) loads on read with one SELECT of that column", () => {
    using session = new Session(ctx.engine);
    const ann = session.getOne(User, 1);
    const bio = ctx.recorder.duringSync(() => ann.bio);
    expect(bio.value).toBe("ann's bio");
    expect(shapes(bio.statements)).toEqual([`SELECT "users"."bio" FROM "users" WHERE "users"."id" = ?`]);
    expect(ctx.recorder.duringSync(() => ann.bio).statements).toEqual([]);

    const bob = session.execute(select(User).options(defer(User.email)).where(User.id.eq(2))).scalars().one();
    const email = ctx.recorder.duringSync(() => bob.email);
    expect(email.value).toBe("bob@acme");
    expect(shapes(email.statements)).toEqual([`SELECT "users"."email" FROM "users" WHERE "users"."id" = ?`]);
  });

  it("defer(…, { raiseload: true }) still raises, with no SQL", () => {
    using session = new Session(ctx.engine);
    const ann = session.execute(select(User).options(defer(User.email, { raiseload: true })).where(User.id.eq(1))).scalars().one();
    ctx.recorder.clear();
    const error = thrown(() => ann.email);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toBe("'User.email' is not available due to raiseload=True");
    expect(ctx.recorder.statements).toEqual([]);
  });

  it("raiseload() still raises, even when the target is in the identity map; raiseload(…, { sqlOnly: true }) raises only when SQL is needed", () => {
    using session = new Session(ctx.engine);
    session.getOne(Organization, 1);
    const ann = session.execute(select(User).options(raiseload(User.organization)).where(User.id.eq(1))).scalars().one();
    const cid = session.execute(select(User).options(raiseload(User.organization, { sqlOnly: true })).where(User.id.eq(3))).scalars().one();
    const bob = session.execute(select(User).options(raiseload(User.organization, { sqlOnly: true })).where(User.id.eq(2))).scalars().one();
    ctx.recorder.clear();
    const raised = thrown(() => ann.organization);
    expect(raised).toBeInstanceOf(InvalidRequestError);
    expect(raised).not.toBeInstanceOf(MissingGreenlet);
    expect(raised.message).toBe("'User.organization' is not available due to lazy='raise'");
    const onSql = thrown(() => cid.organization);
    expect(onSql).toBeInstanceOf(InvalidRequestError);
    expect(onSql.message).toBe("'User.organization' is not available due to lazy='raise_on_sql'");
    expect((bob.organization as Organization | null)?.name).toBe("acme");
    expect(ctx.recorder.statements).toEqual([]);
  });

  it("noload() answers an empty collection and a null many-to-one, with no SQL", () => {
    using session = new Session(ctx.engine);
    const ann = session
      .execute(select(User).options(noload(User.posts), noload(User.organization)).where(User.id.eq(1)))
      .scalars()
      .one();
    expect(ctx.recorder.duringSync(() => [ann.posts, ann.organization])).toEqual({ value: [[], null], statements: [] });
  });

  it("a detached object (after close, after expunge) raises DetachedInstanceError rather than loading", () => {
    const session = new Session(ctx.engine);
    const ann = session.getOne(User, 1);
    const bob = session.getOne(User, 2);
    session.expunge(bob);
    ctx.recorder.clear();
    const expunged = thrown(() => bob.posts);
    expect(expunged).toBeInstanceOf(DetachedInstanceError);
    expect(expunged.message).toContain("posts");
    session.close();
    const closed = thrown(() => ann.organization);
    expect(closed).toBeInstanceOf(DetachedInstanceError);
    expect(closed.message).toContain("organization");
    expect(thrown(() => ann.bio)).toBeInstanceOf(DetachedInstanceError);
    expect(ctx.recorder.statements).toEqual([]);
    // Loaded values still read after close.
    expect(ann.name).toBe("ann");
  });

  it("an expired object whose row was deleted behind the session: ObjectDeletedError on read", () => {
    using session = new Session(ctx.engine);
    const dee = session.getOne(User, 4);
    session.execute(delete_(User).where(User.id.eq(4)).executionOptions({ synchronizeSession: false }));
    session.expire(dee);
    const error = thrown(() => dee.name);
    expect(error).toBeInstanceOf(ObjectDeletedError);
    expect(error.message).toContain("User(id=4)");
  });

  it("expire() of an object not persistent in the session (deleted by an ORM DELETE, pending, expunged) raises InvalidRequestError, as SQLAlchemy's _validate_persistent", () => {
    using session = new Session(ctx.engine);
    const dee = session.getOne(User, 4);
    session.execute(delete_(User).where(User.id.eq(4)));
    const deleted = thrown(() => session.expire(dee));
    expect(deleted).toBeInstanceOf(InvalidRequestError);
    expect(deleted.message).toBe("Instance 'User(id=4)' is not persistent within this Session");
    const pending = new Organization({ id: 9, name: "new" });
    session.add(pending);
    expect(() => session.expire(pending)).toThrow("is not persistent within this Session");
    const bob = session.getOne(User, 2);
    session.expunge(bob);
    expect(() => session.expire(bob)).toThrow("is not persistent within this Session");
  });
});
