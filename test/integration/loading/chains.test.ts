import { beforeAll, expect, it } from "vitest";
import {
  defaultload,
  immediateload,
  joinedload,
  select,
  selectinload,
  subqueryload,
} from "../../../src/index.ts";
import { describeEachSessionKind, expectUnloaded, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, User } from "../../fixtures/loading-models/blog.ts";
import { Post } from "../../fixtures/loading-models/blog.ts";
import { loaded, seedBlog, shapes, summary } from "./loading-support.ts";

/**
 * Chained options, parent / child / grandchild (organization → users → posts → author): the case
 * the seed post's author was unsure of. Statement counts as SQLAlchemy emits them
 * (reference §5, opt_chain_three_levels).
 */

/** What every chain below loads: each organization's users and their posts' titles. */
function tree(organizations: readonly Organization[]): [string, [string, string[]][]][] {
  return organizations
    .map((o) => [o.name, loaded(o.users).map((u) => [u.name, loaded(u.posts).map((p) => p.title).sort()] as [string, string[]]).sort()] as [string, [string, string[]][]])
    .sort();
}

const EXPECTED_TREE = [
  ["acme", [["ann", ["a1", "a2"]], ["bob", ["b1"]]]],
  ["globex", [["cid", ["c1"]]]],
  ["initech", []],
];

describeEachSessionKind("loading: chains to any depth", (db) => {
  const ctx = useSessionDatabase(db, "loading_chains", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("selectin → selectin → selectin: 4 statements, the last over the authors already in the identity map", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const option = selectinload(Organization.users).selectinload(User.posts).selectinload(Post.author);
    const { value, statements } = await recorder.during(async () => (await session.scalars(select(Organization).options(option))).all());
    expect(summary(statements)).toEqual(["SELECT organizations", "SELECT users", "SELECT posts", "SELECT users"]);
    expect(shapes(statements)[2]).toMatch(/ FROM "posts" WHERE "posts"\."user_id" IN \(\?, \?, \?\)$/);
    expect(statements[3]?.params).toEqual([1, 2, 3]);
    recorder.clear();
    expect(tree(value)).toEqual(EXPECTED_TREE);
    const ann = loaded(value.find((o) => o.name === "acme")?.users ?? []).find((u) => u.name === "ann");
    expect(loaded(ann?.posts ?? [])[0]?.author).toBe(ann);
    expect(recorder.statements).toEqual([]);
  });

  it("selectin → joined → joined: 2 statements, the second with two LEFT OUTER JOINs", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const option = selectinload(Organization.users).joinedload(User.posts).joinedload(Post.author);
    const { value, statements } = await recorder.during(async () => (await session.scalars(select(Organization).options(option))).all());
    expect(statements).toHaveLength(2);
    expect(shapes(statements)[1]).toMatch(
      /^SELECT "users"\."organization_id", .* FROM "users" LEFT OUTER JOIN "posts" AS "posts_1" ON "posts_1"\."user_id" = "users"\."id" LEFT OUTER JOIN "users" AS "users_1" ON "users_1"\."id" = "posts_1"\."user_id" WHERE "users"\."organization_id" IN \(\?, \?, \?\)$/,
    );
    recorder.clear();
    expect(tree(value)).toEqual(EXPECTED_TREE);
    expect(recorder.statements).toEqual([]);
  });

  it("joined → selectin → joined: 2 statements", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const option = joinedload(Organization.users).selectinload(User.posts).joinedload(Post.author);
    const { value, statements } = await recorder.during(async () => (await session.execute(select(Organization).options(option))).unique().scalars().all());
    expect(summary(statements)).toEqual(["SELECT organizations", "SELECT posts"]);
    expect(shapes(statements)[0]).toContain('LEFT OUTER JOIN "users" AS "users_1"');
    expect(shapes(statements)[1]).toContain('FROM "posts" LEFT OUTER JOIN "users" AS "users_1" ON "users_1"."id" = "posts"."user_id" WHERE "posts"."user_id" IN (?, ?, ?)');
    recorder.clear();
    expect(tree(value)).toEqual(EXPECTED_TREE);
    expect(recorder.statements).toEqual([]);
  });

  it("subquery → subquery: 3 statements, the third nesting the second's subquery", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const option = subqueryload(Organization.users).subqueryload(User.posts);
    const { value, statements } = await recorder.during(async () => (await session.scalars(select(Organization).options(option))).all());
    expect(summary(statements)).toEqual(["SELECT organizations", "SELECT (subquery)", "SELECT (subquery)"]);
    expect(shapes(statements)[2]).toContain(
      'FROM (SELECT DISTINCT "users"."id" AS "users_id" FROM (SELECT DISTINCT "organizations"."id" AS "organizations_id" FROM "organizations") AS "anon_1" JOIN "users"',
    );
    recorder.clear();
    expect(tree(value)).toEqual(EXPECTED_TREE);
    expect(recorder.statements).toEqual([]);
  });

  it("immediate → immediate: 1 + 3 + 3 = 7 statements, depth first per row", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const option = immediateload(Organization.users).immediateload(User.posts);
    const { value, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).options(option).orderBy(Organization.id.asc()))).all(),
    );
    expect(summary(statements)).toEqual([
      "SELECT organizations",
      "SELECT users",
      "SELECT posts",
      "SELECT posts",
      "SELECT users",
      "SELECT posts",
      "SELECT users",
    ]);
    expect(statements.map((s) => s.params)).toEqual([[], [1], [1], [2], [2], [3], [3]]);
    recorder.clear();
    expect(tree(value)).toEqual(EXPECTED_TREE);
    expect(recorder.statements).toEqual([]);
  });

  it("a chain loads what it names only: the grandchild's other relationships stay lazy", async () => {
    await using session = ctx.openSession();
    const organizations = (await session.scalars(select(Organization).options(selectinload(Organization.users).selectinload(User.posts)))).all();
    const post = loaded(loaded(organizations.find((o) => o.name === "acme")?.users ?? [])[0]?.posts ?? [])[0];
    expectUnloaded(db, post, "tags", { readLoads: true });
  });

  it("defaultload reaches a nested path without loading the first step", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const option = defaultload(User.posts).selectinload(Post.tags);
    const { value: users, statements } = await recorder.during(async () => (await session.scalars(select(User).options(option).where(User.id.eq(1)))).all());
    expect(summary(statements)).toEqual(["SELECT users"]);
    const ann = users[0] as User;
    expectUnloaded(db, ann, "posts", { readLoads: true });
  });

  // Known gap (reported to the lead): options are not yet remembered by the loaded objects, so the
  // later load runs without the chain's joinedload. Turn into `it` when they are.
  it("defaultload options travel with the objects: a later explicit load of the first step applies the rest of the chain", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).options(defaultload(User.organization).joinedload(Organization.users)).where(User.id.eq(1)))).one();
    const { value: acme, statements } = await recorder.during(() => ann.awaitableAttrs.organization);
    // SQLAlchemy: the lazy load of organizations carries the propagated option's LEFT OUTER JOIN users.
    expect(statements).toHaveLength(1);
    expect(shapes(statements)[0]).toContain('FROM "organizations" LEFT OUTER JOIN "users" AS "users_1"');
    expect(acme?.name).toBe("acme");
    recorder.clear();
    expect(loaded(acme?.users ?? []).map((u) => u.name).sort()).toEqual(["ann", "bob"]);
    expect(recorder.statements).toEqual([]);
  });
});
