import { beforeAll, expect, it } from "vitest";
import { MissingGreenlet, defer, loadOnly, select, selectinload, undefer } from "../../../src/index.ts";
import { describeEachSessionKind, expectUnloaded, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, User } from "../../fixtures/loading-models/blog.ts";
import { seedBlog, shapes, thrown } from "./loading-support.ts";

/** loadOnly / defer / undefer, and the declared-deferred `User.bio`. */
describeEachSessionKind("loading: column options", (db) => {
  const ctx = useSessionDatabase(db, "loading_column_options", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("a deferred column is left out of the SELECT; reading it raises MissingGreenlet naming the column and the fixes", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: ann, statements } = await recorder.during(async () => (await session.scalars(select(User).where(User.id.eq(1)))).one());
    expect(shapes(statements)).toEqual(['SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id" FROM "users" WHERE "users"."id" = ?']);
    recorder.clear();
    if (db.session === "async") {
      const error = thrown(() => ann.bio);
      expect(error).toBeInstanceOf(MissingGreenlet);
      expect(error.message).toContain("User(id=1).bio");
      expect(error.message).toContain("deferred column");
      expect(error.message).toContain("select(User).options(undefer(User.bio))");
      expect(error.message).toContain("await user.awaitableAttrs.bio");
    } else expectUnloaded(db, ann, "bio"); // Session's read would load it: awaitableAttrs does below
    expect(recorder.statements).toEqual([]);
    const { value: bio, statements: load } = await recorder.during(() => ann.awaitableAttrs.bio);
    expect(bio).toBe("ann's bio");
    expect(load).toHaveLength(1);
    expect(shapes(load)[0]).toMatch(/^SELECT .*"users"\."bio".* FROM "users" WHERE "users"\."id" = \?$/);
  });

  it("undefer puts a deferred column in the SELECT", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: ann, statements } = await recorder.during(async () => (await session.scalars(select(User).options(undefer(User.bio)).where(User.id.eq(1)))).one());
    expect(shapes(statements)).toEqual([
      'SELECT "users"."id", "users"."name", "users"."email", "users"."bio", "users"."organization_id" FROM "users" WHERE "users"."id" = ?',
    ]);
    recorder.clear();
    expect(ann.bio).toBe("ann's bio");
    expect(recorder.statements).toEqual([]);
  });

  it("defer leaves a column out; the others read", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: ann, statements } = await recorder.during(async () => (await session.scalars(select(User).options(defer(User.email)).where(User.id.eq(1)))).one());
    expect(shapes(statements)).toEqual(['SELECT "users"."id", "users"."name", "users"."organization_id" FROM "users" WHERE "users"."id" = ?']);
    expect(ann.name).toBe("ann");
    expectUnloaded(db, ann, "email", { readLoads: true });
  });

  it("loadOnly selects the primary key and the named columns; even the foreign key is deferred, so an identity-map hit needs SQL", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    await session.get(Organization, 1);
    const { value: ann, statements } = await recorder.during(async () => (await session.scalars(select(User).options(loadOnly(User.name)).where(User.id.eq(1)))).one());
    expect(shapes(statements)).toEqual(['SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."id" = ?']);
    recorder.clear();
    expect(ann.name).toBe("ann");
    if (db.session === "async") expect(thrown(() => ann.email).message).toContain("User(id=1).email");
    expectUnloaded(db, ann, "email");
    expectUnloaded(db, ann, "organization");
    expect(recorder.statements).toEqual([]);
  });

  it("a chained column option applies to the related entity", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: acme, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).options(selectinload(Organization.users).loadOnly(User.name)).where(Organization.id.eq(1)))).one(),
    );
    expect(statements).toHaveLength(2);
    expect(shapes(statements)[1]).not.toContain('"users"."email"');
    expect(acme.users.map((u) => u.name).sort()).toEqual(["ann", "bob"]);
    expectUnloaded(db, acme.users[0], "email", { readLoads: true });
  });
});
