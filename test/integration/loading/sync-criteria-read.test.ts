import { beforeAll, describe, expect, it } from "vitest";
import { Session, lazyload, select } from "../../../src/index.ts";
import { asSync, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Post, User } from "../../fixtures/loading-models/blog.ts";
import { seedBlog, shapes } from "./loading-support.ts";

/**
 * Under the synchronous Session, reading a many-to-one loaded with criteria selects even when the
 * target is in the identity map, as SQLAlchemy does (it turns use_get off). Before, the read took
 * the identity map's object and ignored the criteria.
 */
describe("Session: reading a many-to-one lazyloaded with criteria", () => {
  const ctx = useSessionDatabase({ name: "sqlite", url: "sqlite://:memory:", session: "sync" }, "sync_criteria_read", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("the read runs the criteria's SELECT although the target is in the identity map", () => {
    using session = asSync(ctx.openSession());
    expect(session).toBeInstanceOf(Session);
    expect(session.get(User, 2)?.name).toBe("bob");
    const post = session.scalars(select(Post).where(Post.id.eq(3)).options(lazyload(Post.author.and(User.name.ne("bob"))))).one();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect(post.author).toBeNull();
    expect(shapes(recorder.statements)).toEqual([
      'SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id" FROM "users" WHERE "users"."id" = ? AND "users"."name" <> ?',
    ]);
  });
});
