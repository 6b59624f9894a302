import { beforeAll, expect, it } from "vitest";
import { joinedload, lazyload, select, selectinload } from "../../../src/index.ts";
import { describeEachSessionKind, expectUnloaded, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { ConfiguredBase, Organization, User } from "../../fixtures/loading-models/configured.ts";
import { loaded, names, seedConfigured, shapes, summary } from "./loading-support.ts";

/**
 * Strategies configured on the relationships (`User.organization` joined, `Organization.users`
 * and `User.posts` selectin): they apply without options, stop at cycles, and options override
 * them for the path they name only.
 */
describeEachSessionKind("loading: configured strategies", (db) => {
  const ctx = useSessionDatabase(db, "loading_configured", ConfiguredBase.metadata);
  beforeAll(() => seedConfigured(ctx));

  it("load without options: users join their organization and select their posts, and stop at the cycle back to users", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: users, statements } = await recorder.during(async () => (await session.scalars(select(User).orderBy(User.id.asc()))).all());
    expect(shapes(statements)).toEqual([
      'SELECT "users"."id", "users"."name", "users"."organization_id", "organizations_1"."id" AS "id_1", "organizations_1"."name" AS "name_1" ' +
        'FROM "users" LEFT OUTER JOIN "organizations" AS "organizations_1" ON "organizations_1"."id" = "users"."organization_id" ORDER BY "users"."id" ASC',
      expect.stringMatching(/ FROM "posts" WHERE "posts"\."user_id" IN \(\?, \?, \?\)$/),
    ]);
    recorder.clear();
    expect(users.map((u) => [u.organization?.name, u.posts.map((p) => p.title)])).toEqual([
      ["acme", ["a1"]],
      ["acme", ["b1"]],
      ["globex", []],
    ]);
    expect(recorder.statements).toEqual([]);
    // Organization.users is selectin too, but loading it here would revisit User: it stays unloaded.
    expectUnloaded(db, users[0]?.organization, "users", { readLoads: true });
  });

  it("from the other side: organizations select users and their posts; the users' organization is not joined again", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: organizations, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).orderBy(Organization.id.asc()))).all(),
    );
    expect(summary(statements)).toEqual(["SELECT organizations", "SELECT users", "SELECT posts"]);
    expect(shapes(statements).some((s) => s.includes("JOIN"))).toBe(false);
    recorder.clear();
    expect(organizations.map((o) => names(o.users))).toEqual([["ann", "bob"], ["cid"]]);
    // Unloaded, but a many-to-one whose target is in the identity map: it reads with no SQL.
    expect(organizations[0]?.users[0]?.organization).toBe(organizations[0]);
    expect(recorder.statements).toEqual([]);
  });

  it("an option overrides the configured strategy for the path it names only", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(lazyload(User.organization)).orderBy(User.id.asc()))).all(),
    );
    // No join any more; User.posts keeps its selectin.
    expect(summary(statements)).toEqual(["SELECT users", "SELECT posts"]);
    expect(shapes(statements)[0]).toBe('SELECT "users"."id", "users"."name", "users"."organization_id" FROM "users" ORDER BY "users"."id" ASC');
    expect(users.map((u) => u.posts.length)).toEqual([1, 1, 0]);
    expectUnloaded(db, users[0], "organization");

    await session.close(); // a fresh identity map, so the configured selectin of posts runs again
    const switched = await recorder.during(async () => (await session.scalars(select(User).options(selectinload(User.organization)))).all());
    expect(summary(switched.statements).sort()).toEqual(["SELECT organizations", "SELECT posts", "SELECT users"]);
    expect(shapes(switched.statements).some((s) => s.includes("JOIN"))).toBe(false);
  });

  it("an explicit chain goes through the cycle the configured strategies stop at", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: ann, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(joinedload(User.organization).selectinload(Organization.users)).where(User.id.eq(1)))).one(),
    );
    // ann with acme joined; acme's users; their posts (User.posts configured selectin, below the chain).
    expect(summary(statements)).toEqual(["SELECT users", "SELECT users", "SELECT posts"]);
    expect(statements[1]?.params).toEqual([1]);
    recorder.clear();
    expect(names(loaded(ann.organization?.users ?? []))).toEqual(["ann", "bob"]);
    expect(recorder.statements).toEqual([]);
  });
});
