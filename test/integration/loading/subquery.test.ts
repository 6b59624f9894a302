import { beforeAll, expect, it } from "vitest";
import { select, subqueryload } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, User } from "../../fixtures/loading-models/blog.ts";
import { names, seedBlog, shapes } from "./loading-support.ts";

const ORGS = '"organizations"."id", "organizations"."name"';

describeEachSessionKind("loading: subqueryload", (db) => {
  const ctx = useSessionDatabase(db, "loading_subquery", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("one-to-many: a second statement re-states the parent query (with its WHERE) as a subquery joined to the children", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: organizations, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).options(subqueryload(Organization.users)).where(Organization.id.ge(2)).orderBy(Organization.id.asc()))).all(),
    );
    expect(shapes(statements)).toEqual([
      `SELECT ${ORGS} FROM "organizations" WHERE "organizations"."id" >= ? ORDER BY "organizations"."id" ASC`,
      'SELECT "anon_1"."organizations_id", "users"."id", "users"."name", "users"."email", "users"."organization_id" ' +
        'FROM (SELECT DISTINCT "organizations"."id" AS "organizations_id" FROM "organizations" WHERE "organizations"."id" >= ?) AS "anon_1" ' +
        'JOIN "users" ON "users"."organization_id" = "anon_1"."organizations_id" ORDER BY "anon_1"."organizations_id" ASC',
    ]);
    expect(statements[1]?.params).toEqual([2]);
    recorder.clear();
    expect(organizations.map((o) => names(o.users))).toEqual([["cid"], []]);
    expect(recorder.statements).toEqual([]);
  });

  it("many-to-one: the subquery selects the parents' distinct foreign keys", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(subqueryload(User.organization)).orderBy(User.id.asc()))).all(),
    );
    expect(shapes(statements)[1]).toBe(
      `SELECT "anon_1"."users_organization_id", ${ORGS} ` +
        'FROM (SELECT DISTINCT "users"."organization_id" AS "users_organization_id" FROM "users") AS "anon_1" ' +
        'JOIN "organizations" ON "organizations"."id" = "anon_1"."users_organization_id" ORDER BY "anon_1"."users_organization_id" ASC',
    );
    expect(statements).toHaveLength(2);
    recorder.clear();
    expect(users.map((u) => u.organization?.name ?? null)).toEqual(["acme", "acme", "globex", null]);
    expect(recorder.statements).toEqual([]);
  });

  it("keeps the parent query's ORDER BY and LIMIT inside the subquery, so it loads children of the same parents", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: organizations, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).options(subqueryload(Organization.users)).orderBy(Organization.id.desc()).limit(2))).all(),
    );
    expect(statements).toHaveLength(2);
    expect(shapes(statements)[1]).toContain(
      '(SELECT DISTINCT "organizations"."id" AS "organizations_id" FROM "organizations" ORDER BY "organizations"."id" DESC LIMIT ?) AS "anon_1"',
    );
    expect(organizations.map((o) => [o.name, names(o.users)])).toEqual([
      ["initech", []],
      ["globex", ["cid"]],
    ]);
  });
});
