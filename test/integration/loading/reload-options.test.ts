/**
 * A refresh, or the reload of an expired object, runs the loader options the object was loaded
 * with again (SQLAlchemy keeps them on the instance state as `load_options`), so the eager
 * relationships stay loaded after the documented fix for expire-on-commit. Before: they became
 * unloaded and the next read raised MissingGreenlet.
 */
import { beforeAll, expect, it } from "vitest";
import { joinedload, select, selectinload } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, User } from "../../fixtures/loading-models/blog.ts";
import { seedBlog, shapes } from "./loading-support.ts";

describeEachSessionKind("loading: refresh and expired reloads keep the object's loader options", (db) => {
  const ctx = useSessionDatabase(db, "loading_reload_options", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("refresh(user) runs the joinedload the user was loaded with: user.organization stays loaded", async () => {
    await using session = ctx.openSession();
    const [ann] = (await session.scalars(select(User).options(joinedload(User.organization)).where(User.id.eq(1)))).all();
    await session.commit(); // expires ann
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.refresh(ann as User);
    recorder.stop();
    expect(shapes(recorder.statements)).toEqual([
      expect.stringMatching(/^SELECT .* FROM "users" LEFT OUTER JOIN "organizations" AS "organizations_1" ON "organizations_1"."id" = "users"."organization_id" WHERE "users"."id" = \?$/),
    ]);
    expect(ann?.organization?.name).toBe("acme");
  });

  it("reading an expired attribute of an object loaded with selectinload reloads it with the selectinload", async () => {
    await using session = ctx.openSession();
    const [ann] = (await session.scalars(select(User).options(selectinload(User.posts)).where(User.id.eq(1)))).all();
    await session.commit();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect(await ann?.awaitableAttrs.name).toBe("ann");
    recorder.stop();
    expect(shapes(recorder.statements)).toEqual([
      expect.stringMatching(/^SELECT .* FROM "users" WHERE "users"."id" = \?$/),
      expect.stringMatching(/^SELECT .* FROM "posts" WHERE "posts"."user_id" IN \(\?\)/),
    ]);
    expect(ann?.posts.map((p) => p.title).sort()).toEqual(["a1", "a2"]);
  });

  it("get() of an expired object reloads it with its options; one loaded without options reloads its columns only", async () => {
    await using session = ctx.openSession();
    const [ann] = (await session.scalars(select(User).options(joinedload(User.organization)).where(User.id.eq(1)))).all();
    const bob = await session.get(User, 2);
    await session.commit();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect(await session.get(User, 1)).toBe(ann);
    expect(ann?.organization?.name).toBe("acme");
    expect(await session.get(User, 2)).toBe(bob);
    recorder.stop();
    expect(shapes(recorder.statements)).toEqual([
      expect.stringMatching(/FROM "users" LEFT OUTER JOIN "organizations" AS "organizations_1"/),
      expect.stringMatching(/^SELECT [^J]* FROM "users" WHERE "users"."id" = \?$/),
    ]);
  });
});
