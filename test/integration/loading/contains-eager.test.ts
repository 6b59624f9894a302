import { beforeAll, expect, it } from "vitest";
import { containsEager, select } from "../../../src/index.ts";
import { describeEachSessionKind, expectUnloaded, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, User } from "../../fixtures/loading-models/blog.ts";
import { seedBlog, shapes } from "./loading-support.ts";

describeEachSessionKind("loading: containsEager", (db) => {
  const ctx = useSessionDatabase(db, "loading_contains_eager", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("many-to-one: populated from the statement's own JOIN, which can filter; no extra JOIN", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).join(User.organization).options(containsEager(User.organization)).where(Organization.name.eq("acme")).orderBy(User.id.asc()))).all(),
    );
    expect(shapes(statements)).toEqual([
      'SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id", "organizations"."id" AS "id_1", "organizations"."name" AS "name_1" ' +
        'FROM "users" JOIN "organizations" ON "organizations"."id" = "users"."organization_id" WHERE "organizations"."name" = ? ORDER BY "users"."id" ASC',
    ]);
    expect(statements[0]?.params).toEqual(["acme"]);
    recorder.clear();
    expect(users.map((u) => [u.name, u.organization?.name])).toEqual([
      ["ann", "acme"],
      ["bob", "acme"],
    ]);
    expect(recorder.statements).toEqual([]);
  });

  it("one-to-many: a filtered join fills the collection with the matching children only", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: organizations, statements } = await recorder.during(async () =>
      (await session.execute(select(Organization).join(Organization.users).options(containsEager(Organization.users)).where(User.name.eq("ann"))))
        .unique()
        .scalars()
        .all(),
    );
    expect(statements).toHaveLength(1);
    expect(shapes(statements)[0]).toContain('FROM "organizations" JOIN "users" ON "users"."organization_id" = "organizations"."id" WHERE "users"."name" = ?');
    expect(organizations.map((o) => [o.name, o.users.map((u) => u.name)])).toEqual([["acme", ["ann"]]]);
  });

  it("without containsEager, the same JOIN only filters: the relationship stays unloaded", async () => {
    await using session = ctx.openSession();
    const users = (await session.scalars(select(User).join(User.organization).where(Organization.name.eq("globex")))).all();
    expect(users.map((u) => u.name)).toEqual(["cid"]);
    expectUnloaded(db, users[0], "organization", { readLoads: true });
  });
});
