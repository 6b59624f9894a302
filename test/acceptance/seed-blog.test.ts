import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  AsyncSession,
  InvalidRequestError,
  MissingGreenlet,
  StrictLoadingError,
  joinedload,
  select,
} from "../../src/index.ts";
import { describeEachDatabase } from "../support/databases.ts";
import { useIsolatedDatabase } from "../support/isolated-database.ts";
import { StatementRecorder } from "../support/statements.ts";
import { Base } from "../fixtures/seed-models/base.ts";
import { Organization } from "../fixtures/seed-models/organization.ts";
import { User } from "../fixtures/seed-models/user.ts";
import * as joinedModels from "../fixtures/seed-variants/joined.ts";
import * as immediateModels from "../fixtures/seed-variants/immediate.ts";
import * as raiseModels from "../fixtures/seed-variants/raise.ts";
import { shapes, thrown } from "../integration/loading/loading-support.ts";

/**
 * The seed post ("What to do when MissingGreenlet happens"), translated line for line: user1 and
 * user2 belong to organization 1, user_ng (id 100) to organization 2. Loading user1 with
 * joinedload puts organization 1 in the session, so user2's organization reads without a query,
 * while user_ng's raises MissingGreenlet; then the post's other claims about `lazy=`.
 */

const USER_COLUMNS = '"users"."id", "users"."name", "users"."email", "users"."organization_id"';

type SeedModels = {
  readonly Organization: new (values: { id: number; name?: string | null }) => object;
  readonly User: new (values: { id: number; name: string; email: string; organizationId: number }) => object;
};

/** The post's data: organizations 1 and 2, user1 and user2 in organization 1, user_ng (100) in 2. */
async function addThePostsRows(session: AsyncSession, models: SeedModels): Promise<void> {
  session.add(new models.Organization({ id: 1 }));
  session.add(new models.Organization({ id: 2 }));
  await session.flush();
  session.add(new models.User({ id: 1, name: "user1", email: "user1@example.com", organizationId: 1 }));
  session.add(new models.User({ id: 2, name: "user2", email: "user2@example.com", organizationId: 1 }));
  session.add(new models.User({ id: 100, name: "user_ng", email: "user_ng@example.com", organizationId: 2 }));
  await session.commit();
}

describeEachDatabase("the seed post's scenario", (db) => {
  describe("lazy='select' (the default)", () => {
    const ctx = useIsolatedDatabase(db, "seed_blog", Base.metadata);

    it("joinedload loads user1's organization; user2's reads from the identity map; user_ng's raises MissingGreenlet that leads to the fix", async () => {
      const recorder = new StatementRecorder(ctx.engine);
      await using db = new AsyncSession(ctx.engine);
      await addThePostsRows(db, { Organization, User });

      // query = select(User).options(joinedload(User.organization)).where(User.id == 1)
      const query = select(User).options(joinedload(User.organization)).where(User.id.eq(1));
      const first = await recorder.during(async () => (await db.execute(query)).scalars().first());
      const user1 = first.value;
      expect(shapes(first.statements)).toEqual([
        `SELECT ${USER_COLUMNS}, "organizations_1"."id" AS "id_1", "organizations_1"."name" AS "name_1" FROM "users" ` +
          `LEFT OUTER JOIN "organizations" AS "organizations_1" ON "organizations_1"."id" = "users"."organization_id" WHERE "users"."id" = ?`,
      ]);
      expect(first.statements[0]?.params).toEqual([1]);
      if (user1 === null) throw new Error("user1 was not found");
      const organization1 = (await recorder.during(async () => user1.organization)).value;
      expect(organization1).toBeInstanceOf(Organization);
      expect(organization1.id).toBe(1);
      expect(recorder.statements).toEqual([]);

      // user2 was loaded without joinedload, yet its organization (1) is in the session already.
      const second = await recorder.during(async () => (await db.execute(select(User).where(User.id.eq(2)))).scalars().first());
      expect(shapes(second.statements)).toEqual([`SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."id" = ?`]);
      const user2 = second.value as User;
      recorder.clear();
      expect((user2.organization as unknown as Organization).id).toBe(1);
      expect(user2.organization as unknown).toBe(organization1);
      expect(recorder.statements).toEqual([]);

      // user_ng's organization (2) is not in the session: the same read raises.
      const third = await recorder.during(async () => (await db.execute(select(User).where(User.id.eq(100)))).scalars().first());
      expect(third.statements).toHaveLength(1);
      const userNg = third.value as User;
      recorder.clear();
      const error = thrown(() => (userNg.organization as unknown as Organization).id);
      expect(recorder.statements).toEqual([]);
      expect(error).toBeInstanceOf(MissingGreenlet);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as MissingGreenlet).code).toBe("xd2s");
      expect(error.message).toContain("User(id=100).organization");
      expect(error.message).toContain("select(User).options(selectinload(User.organization))");
      expect(error.message).toMatch(/relationship\(\.\.\., \{ lazy: "(selectin|joined|immediate)" \}\)/);
      expect(error.message).toContain("await user.awaitableAttrs.organization");
      // The documentation link is absolute (it resolves wherever the package is installed) and
      // points at the section of a page that exists.
      const link = /\((file:\/\/\S+?)#(\S+), code xd2s\)/.exec(error.message);
      expect(link?.[2]).toBe("missinggreenlet");
      expect(readFileSync(fileURLToPath(link?.[1] ?? "file:///missing"), "utf8")).toMatch(/^## MissingGreenlet$/m);
      // Nothing was cached: the second read raises again.
      expect(() => userNg.organization as unknown as Organization).toThrow(MissingGreenlet);

      // The third fix in the message works: one SELECT of the organization by primary key.
      const explicit = await recorder.during(() => userNg.awaitableAttrs.organization);
      expect(shapes(explicit.statements)).toEqual([
        'SELECT "organizations"."id", "organizations"."name" FROM "organizations" WHERE "organizations"."id" = ?',
      ]);
      expect(explicit.statements[0]?.params).toEqual([2]);
      expect(explicit.value.id).toBe(2);
      expect((userNg.organization as unknown as Organization).id).toBe(2);
    });

    it("with strictLoading: 'raise', the lucky user2 read raises too", async () => {
      await ctx.reset();
      const recorder = new StatementRecorder(ctx.engine);
      {
        await using setup = new AsyncSession(ctx.engine);
        await addThePostsRows(setup, { Organization, User });
      }
      await using db = new AsyncSession(ctx.engine, { strictLoading: "raise" });
      const user1 = (await db.execute(select(User).options(joinedload(User.organization)).where(User.id.eq(1)))).scalars().first();
      expect(user1?.organization.id).toBe(1); // loaded by the query: no complaint
      const user2 = (await db.execute(select(User).where(User.id.eq(2)))).scalars().one();
      recorder.clear();
      const error = thrown(() => user2.organization);
      expect(recorder.statements).toEqual([]);
      expect(error).toBeInstanceOf(StrictLoadingError);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.message).toContain("User(id=2).organization");
      expect(error.message).toContain("selectinload(User.organization)");
      expect(error.message).toContain("joinedload(User.organization)");
    });
  });

  describe("lazy='joined'", () => {
    const ctx = useIsolatedDatabase(db, "seed_blog_joined", joinedModels.JoinedBase.metadata);

    it("loads user_ng's organization with a LEFT OUTER JOIN in the same statement: no error", async () => {
      const recorder = new StatementRecorder(ctx.engine);
      await using db = new AsyncSession(ctx.engine);
      await addThePostsRows(db, joinedModels);
      const { value: userNg, statements } = await recorder.during(async () =>
        (await db.execute(select(joinedModels.User).where(joinedModels.User.id.eq(100)))).scalars().first(),
      );
      expect(shapes(statements)).toEqual([
        `SELECT ${USER_COLUMNS}, "organizations_1"."id" AS "id_1", "organizations_1"."name" AS "name_1" FROM "users" ` +
          `LEFT OUTER JOIN "organizations" AS "organizations_1" ON "organizations_1"."id" = "users"."organization_id" WHERE "users"."id" = ?`,
      ]);
      recorder.clear();
      expect(userNg?.organization.id).toBe(2);
      expect(recorder.statements).toEqual([]);
    });
  });

  describe("lazy='immediate'", () => {
    const ctx = useIsolatedDatabase(db, "seed_blog_immediate", immediateModels.ImmediateBase.metadata);

    it("loads user_ng's organization with a separate query inside the awaited execute: no error", async () => {
      const recorder = new StatementRecorder(ctx.engine);
      await using db = new AsyncSession(ctx.engine);
      await addThePostsRows(db, immediateModels);
      const { value: userNg, statements } = await recorder.during(async () =>
        (await db.execute(select(immediateModels.User).where(immediateModels.User.id.eq(100)))).scalars().first(),
      );
      expect(shapes(statements)).toEqual([
        `SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."id" = ?`,
        'SELECT "organizations"."id", "organizations"."name" FROM "organizations" WHERE "organizations"."id" = ?',
      ]);
      expect(statements[1]?.params).toEqual([2]);
      recorder.clear();
      expect(userNg?.organization.id).toBe(2);
      expect(recorder.statements).toEqual([]);
    });

    it("loads each distinct organization not yet in the session once, for every user", async () => {
      const recorder = new StatementRecorder(ctx.engine);
      await using db = new AsyncSession(ctx.engine);
      const { value: users, statements } = await recorder.during(async () =>
        (await db.execute(select(immediateModels.User).orderBy(immediateModels.User.id.asc()))).scalars().all(),
      );
      // users; organization 1 (for user1; user2 finds it in the identity map); organization 2.
      expect(shapes(statements)).toEqual([
        `SELECT ${USER_COLUMNS} FROM "users" ORDER BY "users"."id" ASC`,
        'SELECT "organizations"."id", "organizations"."name" FROM "organizations" WHERE "organizations"."id" = ?',
        'SELECT "organizations"."id", "organizations"."name" FROM "organizations" WHERE "organizations"."id" = ?',
      ]);
      expect(statements.slice(1).map((s) => s.params)).toEqual([[1], [2]]);
      expect(users.map((u) => u.organization.id)).toEqual([1, 1, 2]);
    });
  });

  describe("lazy='raise'", () => {
    const ctx = useIsolatedDatabase(db, "seed_blog_raise", raiseModels.RaiseBase.metadata);

    it("raises InvalidRequestError for user_ng, and for user2 even with organization 1 in the session", async () => {
      const recorder = new StatementRecorder(ctx.engine);
      await using db = new AsyncSession(ctx.engine);
      await addThePostsRows(db, raiseModels);
      const { User } = raiseModels;
      const user1 = (await db.execute(select(User).options(joinedload(User.organization)).where(User.id.eq(1)))).scalars().one();
      expect(user1.organization.id).toBe(1);
      for (const id of [2, 100]) {
        const user = (await db.execute(select(User).where(User.id.eq(id)))).scalars().one();
        recorder.clear();
        const error = thrown(() => user.organization);
        expect(recorder.statements).toEqual([]);
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect(error).not.toBeInstanceOf(MissingGreenlet);
        expect(error.message).toBe("'User.organization' is not available due to lazy='raise'");
      }
    });
  });
});

