import Database from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { BULK_ROWS, bulkUser, lookupId, type Contender } from "../workloads.ts";

/** Kysely, a typed query builder (no identity map, no relations): rows to objects, relations stitched by hand. */
interface Schema {
  organizations: { id: number; name: string };
  users: { id: number; name: string; email: string; organization_id: number };
  posts: { id: number; user_id: number; title: string; body: string };
}

const toUser = (r: Schema["users"]) => ({ id: r.id, name: r.name, email: r.email, organizationId: r.organization_id });

export function kyselyContender(): Contender {
  let db: Kysely<Schema>;
  /** Rows per `insertInto().values()`: Kysely sends one statement, so SQLite's 32,766 bound parameters (4 a row) cap it. */
  let bulkChunk: number;
  const rollback = new Error("rollback");
  const inRolledBackTransaction = async <T>(work: (tx: Kysely<Schema>) => Promise<T>): Promise<T> => {
    let value: T | undefined;
    try {
      await db.transaction().execute(async (tx) => {
        value = await work(tx);
        throw rollback;
      });
    } catch (error) {
      if (error !== rollback) throw error;
    }
    return value as T;
  };
  return {
    name: "kysely",
    async open(url) {
      bulkChunk = Math.floor((url.startsWith("sqlite:") ? 32_766 : 65_535) / 4);
      const dialect = url.startsWith("sqlite:")
        ? new SqliteDialect({ database: new Database(url.slice("sqlite://".length)) })
        : new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) });
      db = new Kysely<Schema>({ dialect });
    },
    async close() {
      await db.destroy();
    },
    async W1() {
      return (await db.selectFrom("users").selectAll().execute()).map(toUser);
    },
    async W2() {
      const rows = await db
        .selectFrom("users")
        .innerJoin("organizations", "organizations.id", "users.organization_id")
        .select(["users.id", "users.name", "users.email", "users.organization_id", "organizations.name as organization_name"])
        .execute();
      const organizations = new Map<number, { id: number; name: string }>();
      return rows.map((r) => {
        let organization = organizations.get(r.organization_id);
        if (!organization) organizations.set(r.organization_id, (organization = { id: r.organization_id, name: r.organization_name }));
        return { id: r.id, name: r.name, email: r.email, organizationId: r.organization_id, organization };
      });
    },
    async W3() {
      const organizations = (await db.selectFrom("organizations").selectAll().execute()).map((o) => ({ ...o, users: [] as unknown[] }));
      const byId = new Map(organizations.map((o) => [o.id, o]));
      for (const u of await db.selectFrom("users").selectAll().execute()) byId.get(u.organization_id)?.users.push(toUser(u));
      return organizations;
    },
    async W4() {
      const organizations = (await db.selectFrom("organizations").selectAll().orderBy("id").limit(100).execute()).map((o) => ({ ...o, users: [] as unknown[] }));
      const byId = new Map(organizations.map((o) => [o.id, o]));
      const users = (await db.selectFrom("users").selectAll().where("organization_id", "in", [...byId.keys()]).execute()).map((u) => ({ ...toUser(u), posts: [] as unknown[] }));
      const userById = new Map(users.map((u) => [u.id, u]));
      for (const u of users) byId.get(u.organizationId)?.users.push(u);
      const posts = await db.selectFrom("posts").selectAll().where("user_id", "in", [...userById.keys()]).execute();
      for (const p of posts) userById.get(p.user_id)?.posts.push({ id: p.id, userId: p.user_id, title: p.title, body: p.body });
      return organizations;
    },
    async W5() {
      const found: unknown[] = [];
      for (let i = 0; i < 1000; i++) found.push(toUser(await db.selectFrom("users").selectAll().where("id", "=", lookupId(i)).executeTakeFirstOrThrow()));
      return found;
    },
    W6: () =>
      inRolledBackTransaction(async (tx) => {
        const rows = Array.from({ length: 1000 }, (_, i) => ({ id: 100_001 + i, name: `New ${100_001 + i}`, email: `new${100_001 + i}@example.com`, organization_id: 1 }));
        await tx.insertInto("users").values(rows).execute();
        const { n } = await tx.selectFrom("users").select(sql<number>`count(*)`.as("n")).where("id", ">", 100_000).executeTakeFirstOrThrow();
        return Number(n);
      }),
    W7: () =>
      inRolledBackTransaction(async (tx) => {
        const users = await tx.selectFrom("users").selectAll().where("id", "<=", 1000).orderBy("id").execute();
        for (const u of users) await tx.updateTable("users").set({ name: `Renamed ${u.id}` }).where("id", "=", u.id).execute();
        return (await tx.selectFrom("users").select("name").where("id", "<=", 1000).orderBy("id").execute()).map((r) => r.name);
      }),
    W8: () =>
      inRolledBackTransaction(async (tx) => {
        const rows = Array.from({ length: BULK_ROWS }, (_, i) => {
          const u = bulkUser(i);
          return { id: u.id, name: u.name, email: u.email, organization_id: u.organizationId };
        });
        for (let i = 0; i < rows.length; i += bulkChunk) await tx.insertInto("users").values(rows.slice(i, i + bulkChunk)).execute();
        const { n, s } = await tx
          .selectFrom("users")
          .select([sql<number>`count(*)`.as("n"), sql<number>`sum(organization_id)`.as("s")])
          .where("id", ">", 100_000)
          .executeTakeFirstOrThrow();
        return [Number(n), Number(s)] as [number, number];
      }),
  };
}
