/**
 * Read replicas on the scale-out kit's real primary and streaming replica (TEST_PG_PRIMARY_URL,
 * TEST_PG_REPLICA_URL): replicaRouting() sends reads to the replica and writes to the primary,
 * reads after a write in the same transaction to the primary; explicit binds win; a write that
 * reaches the replica is a ReadOnlyTransactionError; waitForReplay waits for the replica.
 */
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type AsyncEngine,
  AsyncSession,
  ReadOnlyTransactionError,
  TimeoutError,
  createAsyncEngine,
  insert,
  replicaRouting,
  select,
  selectinload,
  text,
  waitForReplay,
} from "../../../src/index.ts";
import { LoadingBase, Organization, Post, User, postTags } from "../../fixtures/loading-models/blog.ts";
import { useIsolatedDatabase, withDatabase } from "../../support/isolated-database.ts";
import { replicaPair } from "../../support/scaleout.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { seedBlog } from "../loading/loading-support.ts";

const pair = replicaPair();

describe.skipIf(!pair)("read replicas (primary and streaming replica)", () => {
  const ctx = useIsolatedDatabase(pair?.primary ?? { name: "postgresql", url: "" }, "replicas", LoadingBase.metadata);
  let primary: AsyncEngine;
  let replica: AsyncEngine;
  let onPrimary: StatementRecorder;
  let onReplica: StatementRecorder;

  beforeAll(async () => {
    primary = ctx.engine;
    await seedBlog(ctx);
    // The database and its rows reach the replica by replication: the same name there.
    // Replay is waited for over the replica's own database: the new one may not exist there yet
    // (a CREATE DATABASE not replayed under load), and replay positions are cluster-wide.
    const replicaAdmin = createAsyncEngine(pair?.replica.url ?? "");
    try {
      await waitForReplay(primary, replicaAdmin);
    } finally {
      await replicaAdmin.dispose();
    }
    const database = new URL(primary.url).pathname.slice(1);
    replica = createAsyncEngine(withDatabase(pair?.replica.url ?? "", database));
  });
  afterAll(async () => {
    // Before the primary drops the database, whose replay would end these sessions anyway.
    await replica?.dispose();
  });
  beforeEach(() => {
    onPrimary?.stop();
    onReplica?.stop();
    onPrimary = new StatementRecorder(primary);
    onReplica = new StatementRecorder(replica);
  });

  const routed = () => new AsyncSession(primary, { getBind: replicaRouting({ primary, replicas: [replica] }) });

  it("a read goes to the replica; a flush to the primary, and the transaction's reads after it too (read-your-writes)", async () => {
    await using session = routed();
    const before = (await session.scalars(select(User).orderBy(User.id))).all();
    expect(before.map((u) => u.name)).toEqual(["ann", "bob", "cid", "dee"]);
    expect(onReplica.sql).toEqual([expect.stringMatching(/^SELECT .* FROM "users" ORDER BY "users"."id"$/)]);
    expect(onPrimary.all).toEqual([]);

    session.add(new User({ id: 50, name: "eve" }));
    onReplica.clear();
    const after = (await session.scalars(select(User).orderBy(User.id))).all();
    // The autoflush wrote on the primary, so the read went there and sees the uncommitted row.
    expect(after.map((u) => u.name)).toEqual(["ann", "bob", "cid", "dee", "eve"]);
    expect(onPrimary.sql).toEqual([expect.stringMatching(/^INSERT INTO "users"/), expect.stringMatching(/^SELECT .* FROM "users"/)]);
    expect(onReplica.all).toEqual([]);
    await session.commit();
    expect(onPrimary.all.at(-1)?.sql).toBe("COMMIT");

    // A new transaction reads from the replica again; after waitForReplay it has the commit.
    onPrimary.clear();
    await waitForReplay(primary, replica);
    onPrimary.clear();
    onReplica.clear();
    expect((await session.get(User, 50))?.name).toBe("eve");
    expect(onReplica.sql).toEqual([expect.stringMatching(/^SELECT .* FROM "users" WHERE "users"."id" = \$1$/)]);
    expect(onPrimary.all).toEqual([]);
    await session.rollback();
    await primary.execute(text("DELETE FROM users WHERE id = 50"));
  });

  it("a locking read, DML and text() go to the primary; an eager load follows its query to the replica", async () => {
    await using session = routed();
    const orgs = (await session.scalars(select(Organization).options(selectinload(Organization.users)).orderBy(Organization.id))).all();
    expect(orgs.map((o) => o.users.length)).toEqual([2, 1, 0]);
    expect(onReplica.sql).toEqual([expect.stringMatching(/FROM "organizations"/), expect.stringMatching(/FROM "users" WHERE "users"."organization_id" IN/)]);
    expect(onPrimary.all).toEqual([]);
    await session.rollback();

    onReplica.clear();
    await session.scalars(select(User).where(User.id.eq(1)).forUpdate());
    expect(onPrimary.sql).toEqual([expect.stringMatching(/FOR UPDATE$/)]);
    await session.execute(text("SELECT 1"));
    expect(onPrimary.sql).toHaveLength(2);
    expect(onReplica.all).toEqual([]);
    await session.rollback();
  });

  it("an explicit bind wins over the routing, for the statement and the loads its options run", async () => {
    await using session = routed();
    const users = (await session.scalars(select(User).options(selectinload(User.posts)).orderBy(User.id), undefined, { bind: primary })).all();
    expect(users[0]?.posts.map((p) => p.title)).toEqual(["a1", "a2"]);
    expect(onPrimary.sql).toEqual([expect.stringMatching(/FROM "users"/), expect.stringMatching(/FROM "posts"/)]);
    expect(onReplica.all).toEqual([]);
  });

  it("binds by model: each model's loads, lazy or eager, go to its engine", async () => {
    await using session = new AsyncSession(primary, { binds: new Map([[Organization, replica]]) });
    const user = await session.get(User, 1);
    expect(onPrimary.sql).toEqual([expect.stringMatching(/FROM "users"/)]);
    const organization = await user?.awaitableAttrs.organization;
    expect(organization?.name).toBe("acme");
    expect(onReplica.sql).toEqual([expect.stringMatching(/FROM "organizations" WHERE "organizations"."id" = \$1/)]);
    expect(onPrimary.sql).toHaveLength(1);
  });

  it("a write that reaches the replica is a ReadOnlyTransactionError (25006), and nothing is written", async () => {
    await using session = new AsyncSession(primary, { binds: new Map([[Post, replica]]) });
    session.add(new Post({ id: 90, title: "nowhere", userId: 1 }));
    const error = await session.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReadOnlyTransactionError);
    expect((error as ReadOnlyTransactionError).driverCode).toBe("25006");
    expect((error as Error).message).toMatch(/read-only transaction/);
    await session.rollback();

    const direct = await session.execute(insert(postTags).values({ postId: 3, tagId: 3 }), undefined, { bind: replica }).catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(ReadOnlyTransactionError);
    await session.rollback();
    expect((await primary.execute(text("SELECT count(*)::int AS n FROM posts WHERE id = 90"))).scalar()).toBe(0);
    expect((await primary.execute(text("SELECT count(*)::int AS n FROM post_tags WHERE post_id = 3"))).scalar()).toBe(0);
  });

  it("waitForReplay waits until the replica has the commit, and times out while replay is paused", async () => {
    const admin = new pg.Client({ connectionString: replica.url });
    await admin.connect();
    try {
      await admin.query("SELECT pg_wal_replay_pause()");
      await primary.execute(text("UPDATE organizations SET name = 'acme2' WHERE id = 1"));
      const error = await waitForReplay(primary, replica, { timeoutMs: 200 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((await replica.execute(text("SELECT name FROM organizations WHERE id = 1"))).scalar()).toBe("acme");
    } finally {
      await admin.query("SELECT pg_wal_replay_resume()");
      await admin.end();
    }
    const { lsn } = await waitForReplay(primary, replica);
    expect(lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    expect((await replica.execute(text("SELECT name FROM organizations WHERE id = 1"))).scalar()).toBe("acme2");
    await primary.execute(text("UPDATE organizations SET name = 'acme' WHERE id = 1"));
    await waitForReplay(primary, replica);
  });
});
