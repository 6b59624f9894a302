import { afterEach, describe, expect, it } from "vitest";
import { InvalidRequestError, type Readable, Session, listen, remove } from "../../../../src/index.ts";
import { LoadingBase, Organization, User } from "../../../fixtures/loading-models/blog.ts";
import { seedBlogSync, summary, thrown, useSyncDatabase } from "./sync-support.ts";

/**
 * A flush does not autoflush again: SQLAlchemy's `Session._autoflush` skips while `_flushing`, so a
 * `before_flush` listener may query, and a listener may read an unloaded relationship (which,
 * under the synchronous Session, lazy-loads), without the flush re-entering itself. An explicit
 * `flush()` from inside a flush raises "Session is already flushing", as SQLAlchemy's does. (Under
 * AsyncSession a listener's session call during the flush is refused by the operation guard.)
 */
describe("sync Session: no autoflush while flushing", () => {
  const ctx = useSyncDatabase(LoadingBase.metadata, seedBlogSync);
  const removals: (() => void)[] = [];
  afterEach(() => {
    for (const undo of removals.splice(0)) undo();
  });

  it("a query inside a beforeFlush listener runs without autoflushing (no recursion)", () => {
    using session = new Session(ctx.engine);
    const seen: (string | null)[] = [];
    listen(session, "beforeFlush", (s) => {
      seen.push(((s as unknown as Session).get(Organization, 1) as Organization | null)?.name ?? null);
    });
    session.add(new Organization({ id: 4, name: "hooli" }));
    const flush = ctx.recorder.duringSync(() => session.flush());
    expect(seen).toEqual(["acme"]);
    expect(summary(flush.statements)).toEqual(["SELECT organizations", "INSERT organizations"]);
  });

  it("a lazy load read inside a beforeFlush listener, with changes pending, loads without autoflushing", () => {
    using session = new Session(ctx.engine);
    const acme = session.getOne(Organization, 1);
    const counts: number[] = [];
    listen(session, "beforeFlush", () => {
      counts.push(acme.users.length);
    });
    session.add(new User({ id: 10, name: "eve", email: null, organizationId: 1 }));
    const flush = ctx.recorder.duringSync(() => session.flush());
    expect(counts).toEqual([2]);
    expect(summary(flush.statements)).toEqual(["SELECT users", "INSERT users"]);
  });

  it("a lazy load in a mapper listener during the flush does not flush again", () => {
    const sizes: number[] = [];
    const readUsers = (_mapper: unknown, _conn: unknown, organization: Readable<Organization>): void => {
      sizes.push(organization.users.length);
    };
    listen(Organization, "afterUpdate", readUsers as never);
    removals.push(() => remove(Organization, "afterUpdate", readUsers as never));
    using session = new Session(ctx.engine);
    session.getOne(Organization, 1).name = "acme2";
    session.add(new User({ id: 10, name: "eve", email: null, organizationId: 2 }));
    const flush = ctx.recorder.duringSync(() => session.flush());
    expect(sizes).toEqual([2]);
    expect(summary(flush.statements)).toEqual(["UPDATE organizations", "SELECT users", "INSERT users"]);
  });

  it("an explicit flush() inside a flush raises InvalidRequestError: Session is already flushing", () => {
    using session = new Session(ctx.engine);
    listen(session, "beforeFlush", (s) => {
      (s as unknown as Session).flush();
    });
    session.add(new Organization({ id: 4, name: "hooli" }));
    const error = thrown(() => session.flush());
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toBe("Session is already flushing");
  });
});
