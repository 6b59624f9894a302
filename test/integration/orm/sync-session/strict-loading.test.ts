import { afterEach, describe, expect, it, vi } from "vitest";
import { type Readable, Session, StrictLoadingError, joinedload, select, selectinload } from "../../../../src/index.ts";
import { LoadingBase, Organization, User } from "../../../fixtures/loading-models/blog.ts";
import { ORG_COLUMNS, seedBlogSync, shapes, thrown, useSyncDatabase } from "./sync-support.ts";

/**
 * `strictLoading` under the synchronous Session. There a read of an unloaded relationship would
 * load it, so the option guards both reads: the lucky one the identity map answers (user 2's
 * organization, already in the session) and the one that would run a lazy SELECT (user 3's).
 * "raise" refuses both before any SQL, "warn" reports both and lets them run, "off" just loads.
 * Both messages name the attribute and the loader option that fixes it.
 */
describe("sync Session: strictLoading", () => {
  const ctx = useSyncDatabase(LoadingBase.metadata, seedBlogSync);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Ann's organization (acme) in the session; bob (acme too) and cid (globex) loaded without it. */
  function loadUsers(session: Session): { bob: Readable<User>; cid: Readable<User> } {
    session.execute(select(User).options(joinedload(User.organization)).where(User.id.eq(1))).scalars().one();
    const bob = session.getOne(User, 2);
    const cid = session.getOne(User, 3);
    ctx.recorder.clear();
    return { bob, cid };
  }

  it('"raise": the read the identity map would answer is refused, naming the attribute and the fix', () => {
    using session = new Session(ctx.engine, { strictLoading: "raise" });
    const { bob } = loadUsers(session);
    const error = thrown(() => bob.organization);
    expect(error).toBeInstanceOf(StrictLoadingError);
    expect(error.message).toContain("User(id=2).organization");
    expect(error.message).toContain("selectinload(User.organization)");
    expect(error.message).toContain('strictLoading: "raise"');
    expect(ctx.recorder.all).toEqual([]);
  });

  it('"raise": the read that would run a lazy SELECT is refused before the SELECT, naming the attribute and the fix', () => {
    using session = new Session(ctx.engine, { strictLoading: "raise" });
    const { cid } = loadUsers(session);
    const error = thrown(() => cid.organization);
    expect(error).toBeInstanceOf(StrictLoadingError);
    expect(error.message).toContain("User(id=3).organization is not loaded, and reading it would run a lazy SELECT");
    expect(error.message).toContain("select(User).options(selectinload(User.organization)) or joinedload(User.organization)");
    expect(ctx.recorder.all).toEqual([]);
    // A collection too.
    const collection = thrown(() => cid.posts);
    expect(collection).toBeInstanceOf(StrictLoadingError);
    expect(collection.message).toContain("User(id=3).posts");
    expect(ctx.recorder.all).toEqual([]);
  });

  it('"raise": what the query loaded reads freely, and a NULL key needs no load', () => {
    using session = new Session(ctx.engine, { strictLoading: "raise" });
    const users = session.execute(select(User).options(selectinload(User.organization), selectinload(User.posts)).orderBy(User.id)).scalars().all();
    ctx.recorder.clear();
    expect(users.map((u) => [u.organization?.name ?? null, u.posts.length])).toEqual([
      ["acme", 2],
      ["acme", 1],
      ["globex", 1],
      [null, 0],
    ]);
    expect(ctx.recorder.all).toEqual([]);
  });

  it('"warn": both reads are reported with the fix, and both still answer (the second with its SELECT)', () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    using session = new Session(ctx.engine, { strictLoading: "warn" });
    const { bob, cid } = loadUsers(session);
    const lucky = ctx.recorder.duringSync(() => bob.organization?.name);
    expect(lucky).toEqual({ value: "acme", statements: [] });
    const lazy = ctx.recorder.duringSync(() => cid.organization?.name);
    expect(lazy.value).toBe("globex");
    expect(shapes(lazy.statements)).toEqual([`SELECT ${ORG_COLUMNS} FROM "organizations" WHERE "organizations"."id" = ?`]);
    const messages = warn.mock.calls.map((call) => String(call[0]));
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain("User(id=2).organization was read without SQL only because its target was already in the session's identity map");
    expect(messages[1]).toContain("User(id=3).organization is not loaded, and reading it would run a lazy SELECT");
    for (const message of messages) {
      expect(message).toContain("selectinload(User.organization)");
      expect(message).toContain('strictLoading: "warn"');
    }
    expect(warn.mock.calls.map((call) => (call[1] as { type?: string }).type)).toEqual(["StrictLoadingWarning", "StrictLoadingWarning"]);
  });

  it('"off" (the default): the reads load, with no warning', () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    using session = new Session(ctx.engine);
    const { bob, cid } = loadUsers(session);
    expect(ctx.recorder.duringSync(() => bob.organization?.name).statements).toEqual([]);
    expect(ctx.recorder.duringSync(() => cid.organization?.name).statements).toHaveLength(1);
    expect(warn).not.toHaveBeenCalled();
  });

  it("strictLoading guards relationships, not columns: an expired column still reloads", () => {
    using session = new Session(ctx.engine, { strictLoading: "raise" });
    const acme = session.getOne(Organization, 1);
    session.expire(acme);
    const read = ctx.recorder.duringSync(() => acme.name);
    expect(read.value).toBe("acme");
    expect(read.statements).toHaveLength(1);
  });
});
