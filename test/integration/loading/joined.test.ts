import { beforeAll, expect, it } from "vitest";
import { InvalidRequestError, joinedload, select } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, User } from "../../fixtures/loading-models/blog.ts";
import { names, seedBlog, shapes } from "./loading-support.ts";

const USERS = '"users"."id", "users"."name", "users"."email", "users"."organization_id"';
const JOINED_USERS = '"users_1"."id" AS "id_1", "users_1"."name" AS "name_1", "users_1"."email", "users_1"."organization_id"';
const UNIQUE_REQUIRED =
  "The unique() method must be invoked on this Result, as it contains results that include joined eager loads against collections";

describeEachSessionKind("loading: joinedload", (db) => {
  const ctx = useSessionDatabase(db, "loading_joined", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("many-to-one: one statement with a LEFT OUTER JOIN to an anonymous alias; a NULL foreign key loads as null", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(joinedload(User.organization)).orderBy(User.id.asc()))).all(),
    );
    expect(shapes(statements)).toEqual([
      `SELECT ${USERS}, "organizations_1"."id" AS "id_1", "organizations_1"."name" AS "name_1" FROM "users" ` +
        'LEFT OUTER JOIN "organizations" AS "organizations_1" ON "organizations_1"."id" = "users"."organization_id" ORDER BY "users"."id" ASC',
    ]);
    recorder.clear();
    expect(users.map((u) => u.organization?.name ?? null)).toEqual(["acme", "acme", "globex", null]);
    expect(users[0]?.organization).toBe(users[1]?.organization);
    expect(recorder.statements).toEqual([]);
  });

  it("one-to-many: the result must be made unique, with SQLAlchemy's error when it is not", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const statement = select(Organization).options(joinedload(Organization.users)).orderBy(Organization.id.asc());
    const { value: result, statements } = await recorder.during(() => session.execute(statement));
    expect(shapes(statements)).toEqual([
      `SELECT "organizations"."id", "organizations"."name", ${JOINED_USERS} FROM "organizations" ` +
        'LEFT OUTER JOIN "users" AS "users_1" ON "users_1"."organization_id" = "organizations"."id" ORDER BY "organizations"."id" ASC',
    ]);
    expect(() => result.scalars().all()).toThrow(InvalidRequestError);
    expect(() => result.scalars().all()).toThrow(UNIQUE_REQUIRED);
    const organizations = (await session.execute(statement)).unique().scalars().all();
    expect(organizations.map((o) => o.name)).toEqual(["acme", "globex", "initech"]);
    expect(organizations.map((o) => names(o.users))).toEqual([["ann", "bob"], ["cid"], []]);
    await expect(async () => (await session.scalars(statement)).all()).rejects.toThrow(UNIQUE_REQUIRED);
  });

  it("one-to-many: first() and scalar() are exempt from the unique() requirement", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const statement = select(Organization).options(joinedload(Organization.users)).orderBy(Organization.id.asc());
    const first = await recorder.during(async () => (await session.execute(statement)).scalars().first());
    expect(first.statements).toHaveLength(1);
    expect(names(first.value?.users ?? [])).toEqual(["ann", "bob"]);
    const scalar = await recorder.during(() => session.scalar(statement));
    expect(scalar.statements).toHaveLength(1);
    expect(scalar.value?.name).toBe("acme");
  });

  it("innerjoin: an INNER JOIN, which drops parents without a related row", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const users = await recorder.during(async () =>
      (await session.scalars(select(User).options(joinedload(User.organization, { innerjoin: true })).orderBy(User.id.asc()))).all(),
    );
    expect(shapes(users.statements)).toEqual([
      `SELECT ${USERS}, "organizations_1"."id" AS "id_1", "organizations_1"."name" AS "name_1" FROM "users" ` +
        'JOIN "organizations" AS "organizations_1" ON "organizations_1"."id" = "users"."organization_id" ORDER BY "users"."id" ASC',
    ]);
    expect(users.value.map((u) => u.name)).toEqual(["ann", "bob", "cid"]); // dee has no organization

    const organizations = await recorder.during(async () =>
      (await session.execute(select(Organization).options(joinedload(Organization.users, { innerjoin: true })).orderBy(Organization.id.asc())))
        .unique()
        .scalars()
        .all(),
    );
    expect(shapes(organizations.statements)[0]).toContain('FROM "organizations" JOIN "users" AS "users_1" ON');
    expect(organizations.value.map((o) => o.name)).toEqual(["acme", "globex"]); // initech has no users
  });

  it("a LIMIT on the parent query is applied to the parents in a subquery, not to the joined rows", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: organizations, statements } = await recorder.during(async () =>
      (await session.execute(select(Organization).options(joinedload(Organization.users)).orderBy(Organization.id.asc()).limit(1)))
        .unique()
        .scalars()
        .all(),
    );
    expect(statements).toHaveLength(1);
    expect(shapes(statements)[0]).toMatch(
      /^SELECT "anon_1"\."id", "anon_1"\."name", "users_1"\."id" AS "id_1", .* FROM \(SELECT "organizations"\."id", "organizations"\."name" FROM "organizations" ORDER BY "organizations"\."id" ASC LIMIT \?\) AS "anon_1" LEFT OUTER JOIN "users" AS "users_1" ON "users_1"\."organization_id" = "anon_1"\."id" ORDER BY "anon_1"\."id" ASC$/,
    );
    // Without the wrapping, LIMIT 1 would cut acme's two users to one.
    expect(organizations).toHaveLength(1);
    expect(names(organizations[0]?.users ?? [])).toEqual(["ann", "bob"]);
  });
});
