import { beforeAll, expect, it } from "vitest";
import { Integer, bindparam, select, subqueryload } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, User } from "../../fixtures/loading-models/blog.ts";
import { loaded, names, seedBlog, shapes, summary } from "./loading-support.ts";

const ORGS = '"organizations"."id", "organizations"."name"';

/**
 * `session.get()` runs one statement per mapper with the key as named parameters (built, compiled
 * and planned once); loads that re-state it (subqueryload) must carry those parameters along.
 */
describeEachSessionKind("loading: get()'s cached statement", (db) => {
  const ctx = useSessionDatabase(db, "loading_get_statement", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("the same SQL for every key, each lookup binding its own key", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const { value, statements } = await recorder.during(async () => {
      const found: (string | undefined)[] = [];
      for (const id of [1, 2, 99]) {
        await using session = ctx.openSession();
        found.push((await session.get(Organization, id))?.name);
      }
      return found;
    });
    expect(value).toEqual(["acme", "globex", undefined]);
    const selects = statements.filter((s) => s.sql.startsWith("SELECT"));
    expect(new Set(shapes(selects))).toEqual(new Set([`SELECT ${ORGS} FROM "organizations" WHERE "organizations"."id" = ?`]));
    expect(selects.map((s) => s.params)).toEqual([[1], [2], [99]]);
  });

  it("with subqueryload: the re-stated get() query in the second statement binds the same key", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: organization, statements } = await recorder.during(() => session.get(Organization, 1, { options: [subqueryload(Organization.users)] }));
    expect(summary(statements)).toEqual(["SELECT organizations", "SELECT (subquery)"]);
    expect(shapes(statements)[1]).toContain(
      'FROM (SELECT DISTINCT "organizations"."id" AS "organizations_id" FROM "organizations" WHERE "organizations"."id" = ?) AS "anon_1"',
    );
    expect(statements.map((s) => s.params)).toEqual([[1], [1]]);
    expect(names(loaded(organization?.users) ?? [])).toEqual(["ann", "bob"]);
  });

  it("subquery → subquery below get(): the third statement nests the key too", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const option = subqueryload(Organization.users).subqueryload(User.posts);
    const { value: organization, statements } = await recorder.during(() => session.get(Organization, 2, { options: [option] }));
    expect(summary(statements)).toEqual(["SELECT organizations", "SELECT (subquery)", "SELECT (subquery)"]);
    expect(statements.map((s) => s.params)).toEqual([[2], [2], [2]]);
    const users = loaded(organization?.users) ?? [];
    expect(users.map((u) => [u.name, loaded(u.posts).map((p) => p.title)])).toEqual([["cid", ["c1"]]]);
  });

  it("a statement's named parameters reach its subqueryload's statement", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const statement = select(Organization)
      .where(Organization.id.eq(bindparam("org", Integer)))
      .options(subqueryload(Organization.users));
    const { value, statements } = await recorder.during(async () => (await session.scalars(statement, { org: 2 })).all());
    expect(statements.map((s) => s.params)).toEqual([[2], [2]]);
    expect(value.map((o) => names(o.users))).toEqual([["cid"]]);
  });
});
