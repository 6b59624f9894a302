/**
 * The ORM through pgbouncer in transaction mode (TEST_PG_POOLER_URL) with
 * `preparedStatements: "unnamed"`: concurrent sessions, savepoints, streams and every loader
 * strategy run with no error and the right rows, and no server connection is left holding a named
 * statement.
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import {
  AsyncSession,
  type LoaderOption,
  func,
  immediateload,
  joinedload,
  select,
  selectinload,
  subqueryload,
} from "../../../src/index.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";
import { poolerDatabase } from "../../support/pooler.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, Post, User } from "../../fixtures/loading-models/blog.ts";
import { names, seedBlog, summary } from "../loading/loading-support.ts";

const pooler = poolerDatabase();

describe.skipIf(!pooler)('the ORM behind pgbouncer (transaction mode) with preparedStatements: "unnamed"', () => {
  const ctx = useIsolatedDatabase(pooler ?? { name: "postgresql", url: "" }, "pooler_orm", LoadingBase.metadata, {
    preparedStatements: "unnamed",
    poolSize: 8,
  });
  beforeAll(() => seedBlog(ctx));

  it("8 concurrent sessions × 50 rounds of insert, get, select with selectinload and update: no error, every row right", async () => {
    await Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        await using session = new AsyncSession(ctx.engine);
        for (let round = 0; round < 50; round++) {
          const id = 1000 + worker * 100 + round;
          const authorId = (worker % 3) + 1;
          session.add(new Post({ id, title: `w${worker}-${round}`, userId: authorId }));
          await session.commit();
          const post = await session.get(Post, id);
          expect(post?.title).toBe(`w${worker}-${round}`);
          const [found] = (await session.scalars(select(Post).options(selectinload(Post.author)).where(Post.title.eq(`w${worker}-${round}`)))).all();
          expect(found?.author?.id).toBe(authorId);
          (found as Post).title = `w${worker}-${round}!`;
          await session.commit();
        }
      }),
    );
    await using session = new AsyncSession(ctx.engine);
    const done = await session.scalar(select(func.count(Post.id)).where(Post.title.like("w%!")));
    expect(Number(done)).toBe(400);
  });

  it("savepoints: a rolled-back nested transaction undoes only its own work", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    session.add(new Organization({ id: 10, name: "kept" }));
    const dropped = await session.beginNested();
    session.add(new Organization({ id: 11, name: "dropped" }));
    await session.flush();
    await dropped.rollback();
    const kept = await session.beginNested();
    session.add(new Organization({ id: 12, name: "kept too" }));
    await session.flush();
    await kept.commit();
    await session.commit();
    expect(recorder.all.map((s) => s.sql.split(" ")[0])).toEqual([
      "BEGIN", "INSERT", "SAVEPOINT", "INSERT", "ROLLBACK", "SAVEPOINT", "INSERT", "RELEASE", "COMMIT",
    ]);
    recorder.stop();
    const rows = (await session.scalars(select(Organization).where(Organization.id.ge(10)).orderBy(Organization.id))).all();
    expect(rows.map((o) => o.name)).toEqual(["kept", "kept too"]);
  });

  it("streams: session.stream and conn.stream in small batches, two at once on different connections, and one stopped early", async () => {
    await using session = new AsyncSession(ctx.engine);
    const streamed: string[] = [];
    for await (const [user] of await session.stream(select(User).orderBy(User.id))) streamed.push(user.name);
    expect(streamed).toEqual(["ann", "bob", "cid", "dee"]);

    const titles = async (ids: [number, number]) => {
      await using conn = await ctx.engine.connect();
      const query = select(Post.id, Post.title).where(Post.id.between(ids[0], ids[1])).orderBy(Post.id);
      const out: string[] = [];
      for await (const row of await conn.stream(query, undefined, { batchSize: 3 })) out.push(row.title);
      return out;
    };
    const [first, second] = await Promise.all([titles([1000, 1009]), titles([1100, 1109])]);
    expect(first).toEqual(Array.from({ length: 10 }, (_, round) => `w0-${round}!`));
    expect(second).toEqual(Array.from({ length: 10 }, (_, round) => `w1-${round}!`));

    await using conn = await ctx.engine.connect();
    let firstRow: { id: number } | undefined;
    for await (const row of await conn.stream(select(Post.id).orderBy(Post.id), undefined, { batchSize: 2 })) {
      firstRow = row;
      break;
    }
    expect(firstRow?.id).toBe(1);
    // The abandoned portal is closed, and the same transaction goes on.
    expect(Number((await conn.execute(select(func.count(User.id)))).scalar())).toBe(4);
    await conn.commit();
  });

  describe("every loader strategy: the statements expected, the rows right", () => {
    async function loadOrganizations(option: LoaderOption<Organization, "users">) {
      const recorder = new StatementRecorder(ctx.engine);
      await using session = new AsyncSession(ctx.engine);
      const { value, statements } = await recorder.during(async () =>
        (await session.scalars(select(Organization).options(option).where(Organization.id.le(3)).orderBy(Organization.id))).unique().all(),
      );
      recorder.stop();
      expect(value.map((o) => names(o.users))).toEqual([["ann", "bob"], ["cid"], []]);
      return summary(statements);
    }

    it("joined: one statement", async () => {
      expect(await loadOrganizations(joinedload(Organization.users))).toEqual(["SELECT organizations"]);
    });

    it("selectin: two statements", async () => {
      expect(await loadOrganizations(selectinload(Organization.users))).toEqual(["SELECT organizations", "SELECT users"]);
    });

    it("subquery: two statements, the second over the parent query", async () => {
      expect(await loadOrganizations(subqueryload(Organization.users))).toEqual(["SELECT organizations", "SELECT (subquery)"]);
    });

    it("immediate: one statement per parent", async () => {
      expect(await loadOrganizations(immediateload(Organization.users))).toEqual([
        "SELECT organizations", "SELECT users", "SELECT users", "SELECT users",
      ]);
    });

    it("lazy through awaitableAttrs: one statement per awaited relationship", async () => {
      const recorder = new StatementRecorder(ctx.engine);
      await using session = new AsyncSession(ctx.engine);
      const acme = await session.get(Organization, 1);
      const { value: users, statements } = await recorder.during(async () => (acme as Organization).awaitableAttrs.users);
      expect(summary(statements)).toEqual(["SELECT users"]);
      expect(names(users)).toEqual(["ann", "bob"]);
      const ann = users.find((u) => u.name === "ann") as User;
      const posts = await recorder.during(async () => ann.awaitableAttrs.posts);
      expect(summary(posts.statements)).toEqual(["SELECT posts"]);
      expect(posts.value.map((p) => p.title).filter((t) => !t.startsWith("w")).sort()).toEqual(["a1", "a2"]);
      recorder.stop();
    });
  });

  it("leaves no named statement on any server connection of the pool", async () => {
    // Twenty clients inside transactions hold twenty server connections: the whole pool at the
    // kit's default_pool_size (20), which is more than this file ever had busy at once.
    const clients = await Promise.all(Array.from({ length: 20 }, async () => {
      const client = new pg.Client({ connectionString: ctx.engine.url });
      await client.connect();
      return client;
    }));
    try {
      const seen = await Promise.all(clients.map(async (client) => {
        await client.query("BEGIN");
        const { rows } = await client.query("SELECT pg_backend_pid() AS pid, (SELECT count(*) FROM pg_prepared_statements)::int AS named");
        return rows[0] as { pid: number; named: number };
      }));
      expect(new Set(seen.map((s) => s.pid)).size).toBe(20);
      expect(seen.map((s) => s.named)).toEqual(Array(20).fill(0));
    } finally {
      await Promise.all(clients.map(async (client) => {
        await client.query("ROLLBACK");
        await client.end();
      }));
    }
  });
});
