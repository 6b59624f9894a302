import { beforeAll, expect, it } from "vitest";
import { select, selectinload } from "../../../src/index.ts";
import { describeEachSessionKind, expectUnloaded, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, User } from "../../fixtures/loading-models/blog.ts";
import { names, seedBlog, shapes } from "./loading-support.ts";

const USERS = '"users"."id", "users"."name", "users"."email", "users"."organization_id"';
const ORGS = '"organizations"."id", "organizations"."name"';

describeEachSessionKind("loading: selectinload", (db) => {
  const ctx = useSessionDatabase(db, "loading_selectin", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("many-to-one: one IN query over the distinct, sorted, non-NULL foreign keys", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    // Descending, so the keys arrive as 1 (dee: NULL), 2, 1, 1: the IN list is still (1, 2).
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(selectinload(User.organization)).orderBy(User.id.desc()))).all(),
    );
    expect(shapes(statements)).toEqual([
      `SELECT ${USERS} FROM "users" ORDER BY "users"."id" DESC`,
      `SELECT ${ORGS} FROM "organizations" WHERE "organizations"."id" IN (?, ?)`,
    ]);
    expect(statements[1]?.params).toEqual([1, 2]);
    recorder.clear();
    expect(users.map((u) => u.organization?.name ?? null)).toEqual([null, "globex", "acme", "acme"]);
    expect(users[2]?.organization).toBe(users[3]?.organization);
    expect(recorder.statements).toEqual([]);
  });

  it("one-to-many: every parent's key, children included or not, grouped by the selected foreign key", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: organizations, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).options(selectinload(Organization.users)).orderBy(Organization.id.asc()))).all(),
    );
    expect(statements).toHaveLength(2);
    expect(shapes(statements)[1]).toMatch(/^SELECT "users"\."organization_id", "users"\."id", .* FROM "users" WHERE "users"\."organization_id" IN \(\?, \?, \?\)$/);
    expect(statements[1]?.params).toEqual([1, 2, 3]);
    recorder.clear();
    expect(organizations.map((o) => names(o.users))).toEqual([["ann", "bob"], ["cid"], []]);
    expect(recorder.statements).toEqual([]);
  });

  it("one-to-many: the foreign key is selected once, leading, not again among the child's columns (as SQLAlchemy renders it)", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: organizations, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).options(selectinload(Organization.users)).orderBy(Organization.id.asc()))).all(),
    );
    expect(shapes(statements)[1]).toBe(
      'SELECT "users"."organization_id", "users"."id", "users"."name", "users"."email" FROM "users" WHERE "users"."organization_id" IN (?, ?, ?)',
    );
    // The child's own foreign key is filled from that one column.
    expect(organizations.flatMap((o) => o.users.map((u) => [u.organizationId, o.id]))).toEqual([
      [1, 1],
      [1, 1],
      [2, 2],
    ]);
  });

  it("does not consult the identity map: targets already loaded are still in the IN list, and stay the same objects", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const acme = await session.get(Organization, 1);
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(selectinload(User.organization)).where(User.id.le(3)))).all(),
    );
    expect(statements).toHaveLength(2);
    expect(statements[1]?.params).toEqual([1, 2]);
    expect(users.find((u) => u.id === 1)?.organization).toBe(acme);
  });

  it("re-selecting parents already in the session keeps their loaded collections and loads the unloaded ones", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const ann = (await session.scalars(select(User).options(selectinload(User.posts)).where(User.id.eq(1)))).one();
    const annsPosts = ann.posts;
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(selectinload(User.posts)).where(User.id.le(2)).orderBy(User.id.asc()))).all(),
    );
    expect(statements).toHaveLength(2);
    // SQLAlchemy puts every parent in the IN list and skips the loaded ones when populating;
    // either way bob's key is there and ann's collection is not replaced.
    expect(statements[1]?.params).toContain(2);
    expect(ann.posts).toBe(annsPosts);
    expect(users.map((u) => u.posts.length)).toEqual([2, 1]);
  });

  it("leaves the relationship unloaded where the option does not reach", async () => {
    await using session = ctx.openSession();
    const organizations = (await session.scalars(select(Organization).options(selectinload(Organization.users)).where(Organization.id.eq(1)))).all();
    const ann = organizations[0]?.users.find((u) => u.name === "ann");
    expectUnloaded(db, ann, "posts", { readLoads: true });
  });

  it("batches 500 parent keys per statement: 1,201 parents → 500, 500 and 201", async () => {
    {
      await using setup = ctx.openSession();
      for (let id = 1001; id <= 2201; id++) setup.add(new Organization({ id, name: `org ${id}` }));
      await setup.flush();
      setup.add(new User({ id: 1001, name: "last", email: null, organizationId: 2201 }));
      await setup.commit();
    }
    try {
      const recorder = new StatementRecorder(ctx.sessionEngine);
      await using session = ctx.openSession();
      const { value: organizations, statements } = await recorder.during(async () =>
        (await session.scalars(select(Organization).options(selectinload(Organization.users)).where(Organization.id.ge(1001)).orderBy(Organization.id.asc()))).all(),
      );
      expect(organizations).toHaveLength(1201);
      expect(statements).toHaveLength(4);
      expect(statements.slice(1).map((s) => s.params.length)).toEqual([500, 500, 201]);
      for (const statement of shapes(statements.slice(1))) expect(statement).toMatch(/ FROM "users" WHERE "users"\."organization_id" IN \(\?(, \?)*\)$/);
      expect(statements[1]?.params[0]).toBe(1001);
      expect(statements[3]?.params.at(-1)).toBe(2201);
      recorder.clear();
      expect(organizations.at(-1)?.users.map((u) => u.name)).toEqual(["last"]);
      expect(organizations.slice(0, -1).every((o) => o.users.length === 0)).toBe(true);
      expect(recorder.statements).toEqual([]);
    } finally {
      await ctx.engine.begin(async (conn) => {
        await conn.execDriverSql("DELETE FROM users WHERE id = 1001");
        await conn.execDriverSql("DELETE FROM organizations WHERE id >= 1001");
      });
    }
  });
});
