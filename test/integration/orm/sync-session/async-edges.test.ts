import { describe, expect, it } from "vitest";
import { Session, raiseload, select } from "../../../../src/index.ts";
import { LoadingBase, Organization, User } from "../../../fixtures/loading-models/blog.ts";
import { ORG_COLUMNS, seedBlogSync, shapes, useSyncDatabase } from "./sync-support.ts";

/**
 * What is asynchronous by nature, at the synchronous Session's edge: `awaitableAttrs` (an
 * AsyncSession idiom) still works on its objects, loading as the plain read would; the synchronous
 * `stream()` is covered by test/integration/loading/sync-streaming.test.ts.
 */
describe("sync Session: awaitableAttrs", () => {
  const ctx = useSyncDatabase(LoadingBase.metadata, seedBlogSync);

  it("awaitableAttrs loads a relationship of a sync Session's object with the same SELECT as the read, then answers from memory", async () => {
    using session = new Session(ctx.engine);
    const cid = session.getOne(User, 3);
    ctx.recorder.clear();
    const organization = await cid.awaitableAttrs.organization;
    expect(organization).toBeInstanceOf(Organization);
    expect((organization as Organization).name).toBe("globex");
    expect(shapes(ctx.recorder.statements)).toEqual([`SELECT ${ORG_COLUMNS} FROM "organizations" WHERE "organizations"."id" = ?`]);
    ctx.recorder.clear();
    expect(cid.organization).toBe(organization);
    expect(await cid.awaitableAttrs.organization).toBe(organization);
    expect(ctx.recorder.statements).toEqual([]);
  });

  it("awaitableAttrs of a collection and of a deferred column", async () => {
    using session = new Session(ctx.engine);
    const ann = session.getOne(User, 1);
    ctx.recorder.clear();
    expect(((await ann.awaitableAttrs.posts) as { title: string }[]).map((p) => p.title).sort()).toEqual(["a1", "a2"]);
    expect(await ann.awaitableAttrs.bio).toBe("ann's bio");
    expect(ctx.recorder.statements).toHaveLength(2);
  });

  it("awaitableAttrs is an explicit load: raiseload still rejects it; strictLoading: 'raise' allows it (as under AsyncSession)", async () => {
    using session = new Session(ctx.engine, { strictLoading: "raise" });
    const cid = session.execute(select(User).options(raiseload(User.posts)).where(User.id.eq(3))).scalars().one();
    ctx.recorder.clear();
    await expect(cid.awaitableAttrs.posts).rejects.toThrow("'User.posts' is not available due to lazy='raise'");
    expect(ctx.recorder.statements).toEqual([]);
    expect(((await cid.awaitableAttrs.organization) as Organization).name).toBe("globex");
    expect(shapes(ctx.recorder.statements)).toEqual([`SELECT ${ORG_COLUMNS} FROM "organizations" WHERE "organizations"."id" = ?`]);
    expect(cid.organization?.name).toBe("globex");
  });
});
