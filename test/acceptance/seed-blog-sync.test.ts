import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Engine, InvalidRequestError, MissingGreenlet, Session, StrictLoadingError, createEngine, joinedload, select } from "../../src/index.ts";
import { StatementRecorder } from "../support/statements.ts";
import { Base } from "../fixtures/seed-models/base.ts";
import { Organization } from "../fixtures/seed-models/organization.ts";
import { User } from "../fixtures/seed-models/user.ts";
import * as joinedModels from "../fixtures/seed-variants/joined.ts";
import * as immediateModels from "../fixtures/seed-variants/immediate.ts";
import * as raiseModels from "../fixtures/seed-variants/raise.ts";
import { shapes, thrown } from "../integration/loading/loading-support.ts";

/**
 * The seed post's other world: the same data and steps as seed-blog.test.ts, with SQLAlchemy's
 * synchronous `Session` (here over better-sqlite3). What raises MissingGreenlet under AsyncSession
 * is an ordinary lazy load: reading `user_ng.organization` runs one SELECT by primary key, and
 * user2's organization still comes from the identity map without one. The statement counts of
 * each step are SQLAlchemy 2.0's synchronous session's: 1 query + 0 for a joinedload-ed or
 * identity-mapped many-to-one, 1 query + 1 lazy SELECT for one not in the session.
 */

const USER_COLUMNS = '"users"."id", "users"."name", "users"."email", "users"."organization_id"';
const ORGANIZATION_BY_KEY = 'SELECT "organizations"."id", "organizations"."name" FROM "organizations" WHERE "organizations"."id" = ?';

type SeedModels = {
  readonly Organization: new (values: { id: number; name?: string | null }) => object;
  readonly User: new (values: { id: number; name: string; email: string; organizationId: number }) => object;
};

/** The post's data: organizations 1 and 2, user1 and user2 in organization 1, user_ng (100) in 2. */
function addThePostsRows(session: Session, models: SeedModels): void {
  session.add(new models.Organization({ id: 1 }));
  session.add(new models.Organization({ id: 2 }));
  session.flush();
  session.add(new models.User({ id: 1, name: "user1", email: "user1@example.com", organizationId: 1 }));
  session.add(new models.User({ id: 2, name: "user2", email: "user2@example.com", organizationId: 1 }));
  session.add(new models.User({ id: 100, name: "user_ng", email: "user_ng@example.com", organizationId: 2 }));
  session.commit();
}

/** A fresh in-memory SQLite database through the synchronous engine, with `metadata`'s tables. */
function useSyncDatabase(metadata: { createAll(engine: Engine): void }): { readonly engine: Engine; readonly recorder: StatementRecorder } {
  const state = {} as { engine: Engine; recorder: StatementRecorder };
  beforeEach(() => {
    state.engine = createEngine("sqlite://:memory:");
    metadata.createAll(state.engine);
    state.recorder = new StatementRecorder(state.engine);
  });
  afterEach(() => state.engine.dispose());
  return state;
}

describe("the seed post's scenario, synchronous Session (SQLite)", () => {
  describe("lazy='select' (the default)", () => {
    const ctx = useSyncDatabase(Base.metadata);

    it("joinedload loads user1's organization; user2's reads from the identity map; user_ng's loads on access with one SELECT", () => {
      const { recorder } = ctx;
      using db = new Session(ctx.engine);
      addThePostsRows(db, { Organization, User });

      // query = select(User).options(joinedload(User.organization)).where(User.id == 1)
      const first = recorder.duringSync(() => db.execute(select(User).options(joinedload(User.organization)).where(User.id.eq(1))).scalars().first());
      expect(shapes(first.statements)).toEqual([
        `SELECT ${USER_COLUMNS}, "organizations_1"."id" AS "id_1", "organizations_1"."name" AS "name_1" FROM "users" ` +
          `LEFT OUTER JOIN "organizations" AS "organizations_1" ON "organizations_1"."id" = "users"."organization_id" WHERE "users"."id" = ?`,
      ]);
      const user1 = first.value;
      if (user1 === null) throw new Error("user1 was not found");
      const organization1 = recorder.duringSync(() => user1.organization);
      expect(organization1.value).toBeInstanceOf(Organization);
      expect(organization1.value.id).toBe(1);
      expect(organization1.statements).toEqual([]);

      // user2 was loaded without joinedload; its organization (1) is in the session already.
      const second = recorder.duringSync(() => db.execute(select(User).where(User.id.eq(2))).scalars().one());
      expect(shapes(second.statements)).toEqual([`SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."id" = ?`]);
      const user2Organization = recorder.duringSync(() => second.value.organization);
      expect(user2Organization.value).toBe(organization1.value);
      expect(user2Organization.statements).toEqual([]);

      // user_ng's organization (2) is not in the session: the read loads it, where AsyncSession raises MissingGreenlet.
      const third = recorder.duringSync(() => db.execute(select(User).where(User.id.eq(100))).scalars().one());
      expect(third.statements).toHaveLength(1);
      const userNg = third.value;
      const lazy = recorder.duringSync(() => userNg.organization);
      expect(shapes(lazy.statements)).toEqual([ORGANIZATION_BY_KEY]);
      expect(lazy.statements[0]?.params).toEqual([2]);
      expect(lazy.value).toBeInstanceOf(Organization);
      expect(lazy.value.id).toBe(2);
      // Loaded once: the second read is an attribute read.
      expect(recorder.duringSync(() => userNg.organization).statements).toEqual([]);
    });

    it("a collection loads on access too: organization 1's users with one SELECT, then from memory", () => {
      const { recorder } = ctx;
      using db = new Session(ctx.engine);
      addThePostsRows(db, { Organization, User });
      db.expungeAll();
      const organization = db.get(Organization, 1);
      if (organization === null) throw new Error("organization 1 was not found");
      const users = recorder.duringSync(() => organization.users.map((user) => user.name).sort());
      expect(users.value).toEqual(["user1", "user2"]);
      expect(shapes(users.statements)).toEqual([`SELECT ${USER_COLUMNS} FROM "users" WHERE "users"."organization_id" = ?`]);
      expect(users.statements[0]?.params).toEqual([1]);
      expect(recorder.duringSync(() => organization.users.length).statements).toEqual([]);
    });

    it("with strictLoading: 'raise', the lucky user2 read raises, as under AsyncSession", () => {
      {
        using setup = new Session(ctx.engine);
        addThePostsRows(setup, { Organization, User });
      }
      using db = new Session(ctx.engine, { strictLoading: "raise" });
      const user1 = db.execute(select(User).options(joinedload(User.organization)).where(User.id.eq(1))).scalars().one();
      expect(user1.organization.id).toBe(1);
      const user2 = db.execute(select(User).where(User.id.eq(2))).scalars().one();
      ctx.recorder.clear();
      const error = thrown(() => user2.organization);
      expect(ctx.recorder.statements).toEqual([]);
      expect(error).toBeInstanceOf(StrictLoadingError);
      expect(error.message).toContain("User(id=2).organization");
    });
  });

  describe("lazy='joined'", () => {
    const ctx = useSyncDatabase(joinedModels.JoinedBase.metadata);

    it("loads user_ng's organization with a LEFT OUTER JOIN in the same statement", () => {
      using db = new Session(ctx.engine);
      addThePostsRows(db, joinedModels);
      const { value: userNg, statements } = ctx.recorder.duringSync(() =>
        db.execute(select(joinedModels.User).where(joinedModels.User.id.eq(100))).scalars().one(),
      );
      expect(shapes(statements)).toEqual([
        `SELECT ${USER_COLUMNS}, "organizations_1"."id" AS "id_1", "organizations_1"."name" AS "name_1" FROM "users" ` +
          `LEFT OUTER JOIN "organizations" AS "organizations_1" ON "organizations_1"."id" = "users"."organization_id" WHERE "users"."id" = ?`,
      ]);
      expect(ctx.recorder.duringSync(() => userNg.organization.id)).toEqual({ value: 2, statements: [] });
    });
  });

  describe("lazy='immediate'", () => {
    const ctx = useSyncDatabase(immediateModels.ImmediateBase.metadata);

    it("loads each distinct organization not yet in the session once, inside execute()", () => {
      {
        using setup = new Session(ctx.engine);
        addThePostsRows(setup, immediateModels);
      }
      using db = new Session(ctx.engine);
      const { value: users, statements } = ctx.recorder.duringSync(() =>
        db.execute(select(immediateModels.User).orderBy(immediateModels.User.id.asc())).scalars().all(),
      );
      expect(shapes(statements)).toEqual([`SELECT ${USER_COLUMNS} FROM "users" ORDER BY "users"."id" ASC`, ORGANIZATION_BY_KEY, ORGANIZATION_BY_KEY]);
      expect(statements.slice(1).map((s) => s.params)).toEqual([[1], [2]]);
      expect(ctx.recorder.duringSync(() => users.map((u) => u.organization.id))).toEqual({ value: [1, 1, 2], statements: [] });
    });
  });

  describe("lazy='raise'", () => {
    const ctx = useSyncDatabase(raiseModels.RaiseBase.metadata);

    it("still raises InvalidRequestError, for user_ng and for user2", () => {
      using db = new Session(ctx.engine);
      addThePostsRows(db, raiseModels);
      const { User } = raiseModels;
      for (const id of [2, 100]) {
        const user = db.execute(select(User).where(User.id.eq(id))).scalars().one();
        ctx.recorder.clear();
        const error = thrown(() => user.organization);
        expect(ctx.recorder.statements).toEqual([]);
        expect(error).toBeInstanceOf(InvalidRequestError);
        expect(error).not.toBeInstanceOf(MissingGreenlet);
        expect(error.message).toBe("'User.organization' is not available due to lazy='raise'");
      }
    });
  });
});
