import Database from "better-sqlite3";
import { count, eq, gt, inArray, lte, relations, sum } from "drizzle-orm";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import * as pgCore from "drizzle-orm/pg-core";
import * as sqliteCore from "drizzle-orm/sqlite-core";
import pg from "pg";
import { BULK_ROWS, bulkUser, lookupId, type Contender } from "../workloads.ts";

/** Drizzle ORM with its relational queries (`db.query.users.findMany({ with: … })`). */
function sqliteSchema() {
  const { integer, sqliteTable, text } = sqliteCore;
  const organizations = sqliteTable("organizations", { id: integer("id").primaryKey(), name: text("name").notNull() });
  const users = sqliteTable("users", {
    id: integer("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    organizationId: integer("organization_id").notNull(),
  });
  const posts = sqliteTable("posts", { id: integer("id").primaryKey(), userId: integer("user_id").notNull(), title: text("title").notNull(), body: text("body").notNull() });
  return withRelations(organizations, users, posts);
}

function pgSchema() {
  const { integer, pgTable, text, varchar } = pgCore;
  const organizations = pgTable("organizations", { id: integer("id").primaryKey(), name: varchar("name", { length: 100 }).notNull() });
  const users = pgTable("users", {
    id: integer("id").primaryKey(),
    name: varchar("name", { length: 100 }).notNull(),
    email: varchar("email", { length: 200 }).notNull(),
    organizationId: integer("organization_id").notNull(),
  });
  const posts = pgTable("posts", { id: integer("id").primaryKey(), userId: integer("user_id").notNull(), title: varchar("title", { length: 200 }).notNull(), body: text("body").notNull() });
  return withRelations(organizations, users, posts);
}

// biome-ignore lint: the two dialects' table types differ; the workloads use what they share.
function withRelations(organizations: any, users: any, posts: any) {
  const organizationsRelations = relations(organizations, ({ many }) => ({ users: many(users) }));
  const usersRelations = relations(users, ({ one, many }) => ({
    organization: one(organizations, { fields: [users.organizationId], references: [organizations.id] }),
    posts: many(posts),
  }));
  const postsRelations = relations(posts, ({ one }) => ({ user: one(users, { fields: [posts.userId], references: [users.id] }) }));
  return { organizations, users, posts, organizationsRelations, usersRelations, postsRelations };
}

export function drizzleContender(): Contender {
  // biome-ignore lint: one code path over both dialects' databases.
  let db: any;
  let schema: ReturnType<typeof sqliteSchema>;
  let close: () => Promise<void>;
  let transaction: <T>(work: (tx: any) => Promise<T>) => Promise<T>;
  /** Rows per `insert().values()`: Drizzle sends one statement, so SQLite's 32,766 bound parameters (4 a row) cap it. */
  let bulkChunk: number;
  const rollback = new Error("rollback");
  return {
    name: "drizzle",
    async open(url) {
      if (url.startsWith("sqlite:")) {
        const sqlite = new Database(url.slice("sqlite://".length));
        schema = sqliteSchema();
        bulkChunk = Math.floor(32_766 / 4);
        db = drizzleSqlite(sqlite, { schema });
        close = async () => {
          sqlite.close();
        };
        // better-sqlite3 transactions are synchronous: BEGIN/ROLLBACK around async work instead.
        transaction = async (work) => {
          sqlite.exec("BEGIN");
          try {
            return await work(db);
          } finally {
            sqlite.exec("ROLLBACK");
          }
        };
      } else {
        const pool = new pg.Pool({ connectionString: url, max: 1 });
        schema = pgSchema();
        bulkChunk = Math.floor(65_535 / 4);
        db = drizzlePg(pool, { schema });
        close = () => pool.end();
        transaction = async (work) => {
          let value: any;
          try {
            await db.transaction(async (tx: any) => {
              value = await work(tx);
              throw rollback;
            });
          } catch (error) {
            if (error !== rollback) throw error;
          }
          return value;
        };
      }
    },
    async close() {
      await close();
    },
    W1: () => db.query.users.findMany(),
    W2: () => db.query.users.findMany({ with: { organization: true } }),
    W3: () => db.query.organizations.findMany({ with: { users: true } }),
    W4: () =>
      db.query.organizations.findMany({ orderBy: (o: any, { asc }: any) => [asc(o.id)], limit: 100, with: { users: { with: { posts: true } } } }),
    async W5() {
      const found: unknown[] = [];
      for (let i = 0; i < 1000; i++) found.push(await db.query.users.findFirst({ where: eq(schema.users.id, lookupId(i)) }));
      return found;
    },
    W6: () =>
      transaction(async (tx) => {
        const rows = Array.from({ length: 1000 }, (_, i) => ({ id: 100_001 + i, name: `New ${100_001 + i}`, email: `new${100_001 + i}@example.com`, organizationId: 1 }));
        await tx.insert(schema.users).values(rows);
        const [{ n }] = await tx.select({ n: count() }).from(schema.users).where(gt(schema.users.id, 100_000));
        return Number(n);
      }),
    W7: () =>
      transaction(async (tx) => {
        const users = await tx.select().from(schema.users).where(lte(schema.users.id, 1000)).orderBy(schema.users.id);
        for (const u of users) await tx.update(schema.users).set({ name: `Renamed ${u.id}` }).where(eq(schema.users.id, u.id));
        const rows = await tx.select({ name: schema.users.name }).from(schema.users).where(inArray(schema.users.id, users.map((u: any) => u.id))).orderBy(schema.users.id);
        return rows.map((r: any) => r.name);
      }),
    W8: () =>
      transaction(async (tx) => {
        const rows = Array.from({ length: BULK_ROWS }, (_, i) => bulkUser(i));
        for (let i = 0; i < rows.length; i += bulkChunk) await tx.insert(schema.users).values(rows.slice(i, i + bulkChunk));
        const [{ n, s }] = await tx.select({ n: count(), s: sum(schema.users.organizationId) }).from(schema.users).where(gt(schema.users.id, 100_000));
        return [Number(n), Number(s)] as [number, number];
      }),
  };
}
