import { beforeAll, expect, it } from "vitest";
import { AsyncSession, MissingGreenlet, defer, loadOnly, select, selectinload, undefer } from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, User } from "../../fixtures/loading-models/blog.ts";
import { seedBlog, shapes, thrown } from "./loading-support.ts";

/** loadOnly / defer / undefer, and the declared-deferred `User.bio`. */
describeEachDatabase("loading: column options", (db) => {
  const ctx = useIsolatedDatabase(db, "loading_column_options", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("a deferred column is left out of the SELECT; reading it raises MissingGreenlet naming the column and the fixes", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const { value: ann, statements } = await recorder.during(async () => (await session.scalars(select(User).where(User.id.eq(1)))).one());
    expect(shapes(statements)).toEqual(['SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id" FROM "users" WHERE "users"."id" = ?']);
    recorder.clear();
    const error = thrown(() => ann.bio);
    expect(error).toBeInstanceOf(MissingGreenlet);
    expect(error.message).toContain("User(id=1).bio");
    expect(error.message).toContain("deferred column");
    expect(error.message).toContain("select(User).options(undefer(User.bio))");
    expect(error.message).toContain("await user.awaitableAttrs.bio");
    expect(recorder.statements).toEqual([]);
    const { value: bio, statements: load } = await recorder.during(() => ann.awaitableAttrs.bio);
    expect(bio).toBe("ann's bio");
    expect(load).toHaveLength(1);
    expect(shapes(load)[0]).toMatch(/^SELECT .*"users"\."bio".* FROM "users" WHERE "users"\."id" = \?$/);
  });

  it("undefer puts a deferred column in the SELECT", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const { value: ann, statements } = await recorder.during(async () => (await session.scalars(select(User).options(undefer(User.bio)).where(User.id.eq(1)))).one());
    expect(shapes(statements)).toEqual([
      'SELECT "users"."id", "users"."name", "users"."email", "users"."bio", "users"."organization_id" FROM "users" WHERE "users"."id" = ?',
    ]);
    recorder.clear();
    expect(ann.bio).toBe("ann's bio");
    expect(recorder.statements).toEqual([]);
  });

  it("defer leaves a column out; the others read", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const { value: ann, statements } = await recorder.during(async () => (await session.scalars(select(User).options(defer(User.email)).where(User.id.eq(1)))).one());
    expect(shapes(statements)).toEqual(['SELECT "users"."id", "users"."name", "users"."organization_id" FROM "users" WHERE "users"."id" = ?']);
    expect(ann.name).toBe("ann");
    expect(() => ann.email).toThrow(MissingGreenlet);
  });

  it("loadOnly selects the primary key and the named columns; even the foreign key is deferred, so an identity-map hit needs SQL", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    await session.get(Organization, 1);
    const { value: ann, statements } = await recorder.during(async () => (await session.scalars(select(User).options(loadOnly(User.name)).where(User.id.eq(1)))).one());
    expect(shapes(statements)).toEqual(['SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."id" = ?']);
    recorder.clear();
    expect(ann.name).toBe("ann");
    expect(thrown(() => ann.email).message).toContain("User(id=1).email");
    expect(() => ann.organization).toThrow(MissingGreenlet);
    expect(recorder.statements).toEqual([]);
  });

  it("a chained column option applies to the related entity", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const { value: acme, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).options(selectinload(Organization.users).loadOnly(User.name)).where(Organization.id.eq(1)))).one(),
    );
    expect(statements).toHaveLength(2);
    expect(shapes(statements)[1]).not.toContain('"users"."email"');
    expect(acme.users.map((u) => u.name).sort()).toEqual(["ann", "bob"]);
    expect(() => acme.users[0]?.email).toThrow(MissingGreenlet);
  });
});
