import { beforeAll, expect, it } from "vitest";
import { immediateload, select } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, User } from "../../fixtures/loading-models/blog.ts";
import { names, seedBlog, shapes } from "./loading-support.ts";

const USERS = '"users"."id", "users"."name", "users"."email", "users"."organization_id"';
const ORGS = '"organizations"."id", "organizations"."name"';

describeEachSessionKind("loading: immediateload", (db) => {
  const ctx = useSessionDatabase(db, "loading_immediate", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("one-to-many: one statement per parent, in row order, all inside the awaited execute", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: organizations, statements } = await recorder.during(async () =>
      (await session.scalars(select(Organization).options(immediateload(Organization.users)).orderBy(Organization.id.asc()))).all(),
    );
    expect(shapes(statements)).toEqual([
      `SELECT ${ORGS} FROM "organizations" ORDER BY "organizations"."id" ASC`,
      ...[1, 2, 3].map(() => `SELECT ${USERS} FROM "users" WHERE "users"."organization_id" = ?`),
    ]);
    expect(statements.slice(1).map((s) => s.params)).toEqual([[1], [2], [3]]);
    recorder.clear();
    expect(organizations.map((o) => names(o.users))).toEqual([["ann", "bob"], ["cid"], []]);
    expect(recorder.statements).toEqual([]);
  });

  it("many-to-one: one SELECT by primary key per target not in the identity map; NULL foreign keys need none", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const globex = await session.get(Organization, 2);
    const { value: users, statements } = await recorder.during(async () =>
      (await session.scalars(select(User).options(immediateload(User.organization)).orderBy(User.id.asc()))).all(),
    );
    // ann loads acme; bob finds it in the identity map; cid finds globex there; dee has NULL.
    expect(shapes(statements)).toEqual([
      `SELECT ${USERS} FROM "users" ORDER BY "users"."id" ASC`,
      `SELECT ${ORGS} FROM "organizations" WHERE "organizations"."id" = ?`,
    ]);
    expect(statements[1]?.params).toEqual([1]);
    recorder.clear();
    expect(users.map((u) => u.organization?.name ?? null)).toEqual(["acme", "acme", "globex", null]);
    expect(users[2]?.organization).toBe(globex);
    expect(recorder.statements).toEqual([]);
  });
});
