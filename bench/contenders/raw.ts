import Database from "better-sqlite3";
import pg from "pg";
import { BULK_ROWS, bulkUser, lookupId, type Contender } from "../workloads.ts";

/**
 * The floor: the driver alone, rows to plain objects, relations stitched by hand with maps. On
 * PostgreSQL rows come as arrays (`rowMode: "array"`), the driver's fastest form, and W7's 1,000
 * updates travel as one statement (on SQLite, in process, a prepared statement per row).
 */
export type Row = unknown[];
export interface Runner {
  all(sql: string, params?: unknown[]): Promise<Row[]>;
  /** `named`: on PostgreSQL a named statement (parsed and planned once per connection); SQLite always prepares. */
  run(sql: string, params?: unknown[], named?: boolean): Promise<void>;
  close(): Promise<void>;
}

function sqliteRunner(path: string): Runner {
  const db = new Database(path);
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) cache.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  return {
    async all(sql, params = []) {
      return prepare(sql).raw(true).all(...params) as Row[];
    },
    async run(sql, params = []) {
      prepare(sql).run(...params);
    },
    async close() {
      db.close();
    },
  };
}

function pgRunner(url: string): Runner {
  const client = new pg.Client({ connectionString: url });
  const ready = client.connect();
  // Named statements: parsed and planned once per connection, as the ORMs' drivers do.
  const names = new Map<string, string>();
  const nameOf = (sql: string) => {
    let name = names.get(sql);
    if (!name) names.set(sql, (name = `raw_${names.size + 1}`));
    return name;
  };
  return {
    async all(sql, params = []) {
      await ready;
      return (await client.query({ name: nameOf(sql), text: sql, values: params, rowMode: "array" })).rows as Row[];
    },
    async run(sql, params = [], named = false) {
      await ready;
      await client.query(named ? { name: nameOf(sql), text: sql, values: params } : { text: sql, values: params });
    },
    async close() {
      await client.end();
    },
  };
}

/** W2's rows (a user's four columns, then its organization's two) as users, each organization one object. */
export function usersWithOrganization(rows: readonly Row[]) {
  const organizations = new Map<number, { id: number; name: string }>();
  return rows.map((r) => {
    let organization = organizations.get(r[4] as number);
    if (!organization) organizations.set(r[4] as number, (organization = { id: r[4] as number, name: r[5] as string }));
    return { id: r[0] as number, name: r[1] as string, email: r[2] as string, organizationId: r[3] as number, organization };
  });
}

export const user = (r: Row) => ({ id: r[0] as number, name: r[1] as string, email: r[2] as string, organizationId: r[3] as number });

/** The driver for `url` (one connection), and how its SQL writes the n-th bound parameter. */
export function openRunner(url: string): { db: Runner; sqlite: boolean; p: (n: number) => string } {
  const sqlite = url.startsWith("sqlite:");
  return { db: sqlite ? sqliteRunner(url.slice("sqlite://".length)) : pgRunner(url), sqlite, p: sqlite ? () => "?" : (n) => `$${n}` };
}

export function rawContender(): Contender {
  let db: Runner;
  let p: (n: number) => string;
  let sqlite: boolean;
  const bulkInsertSqls = new Map<number, string>();
  const bulkInsertSql = (rows: number) => {
    let sql = bulkInsertSqls.get(rows);
    if (!sql) {
      const tuples = Array.from({ length: rows }, (_, r) => `(${p(4 * r + 1)}, ${p(4 * r + 2)}, ${p(4 * r + 3)}, ${p(4 * r + 4)})`);
      bulkInsertSqls.set(rows, (sql = `INSERT INTO users (id, name, email, organization_id) VALUES ${tuples.join(", ")}`));
    }
    return sql;
  };
  return {
    name: "raw",
    async open(url) {
      ({ db, sqlite, p } = openRunner(url));
    },
    async close() {
      await db.close();
    },
    async W1() {
      return (await db.all("SELECT id, name, email, organization_id FROM users")).map(user);
    },
    async W2() {
      const rows = await db.all(
        "SELECT u.id, u.name, u.email, u.organization_id, o.id, o.name FROM users u JOIN organizations o ON o.id = u.organization_id",
      );
      return usersWithOrganization(rows);
    },
    async W3() {
      const organizations = (await db.all("SELECT id, name FROM organizations")).map((r) => ({ id: r[0] as number, name: r[1] as string, users: [] as unknown[] }));
      const byId = new Map(organizations.map((o) => [o.id, o]));
      for (const r of await db.all("SELECT id, name, email, organization_id FROM users")) byId.get(r[3] as number)?.users.push(user(r));
      return organizations;
    },
    async W4() {
      const organizations = (await db.all("SELECT id, name FROM organizations ORDER BY id LIMIT 100")).map((r) => ({
        id: r[0] as number,
        name: r[1] as string,
        users: [] as unknown[],
      }));
      const orgById = new Map(organizations.map((o) => [o.id, o]));
      const ids = organizations.map((o) => o.id);
      const users = (await db.all(`SELECT id, name, email, organization_id FROM users WHERE organization_id IN (${ids.map((_, i) => p(i + 1)).join(", ")})`, ids)).map((r) => ({
        id: r[0] as number,
        name: r[1] as string,
        email: r[2] as string,
        organizationId: r[3] as number,
        posts: [] as unknown[],
      }));
      const userById = new Map(users.map((u) => [u.id, u]));
      for (const u of users) orgById.get(u.organizationId)?.users.push(u as never);
      const userIds = users.map((u) => u.id);
      const posts = await db.all(`SELECT id, user_id, title, body FROM posts WHERE user_id IN (${userIds.map((_, i) => p(i + 1)).join(", ")})`, userIds);
      for (const r of posts) userById.get(r[1] as number)?.posts.push({ id: r[0], userId: r[1], title: r[2], body: r[3] });
      return organizations;
    },
    async W5() {
      const found: unknown[] = [];
      for (let i = 0; i < 1000; i++) found.push(user((await db.all(`SELECT id, name, email, organization_id FROM users WHERE id = ${p(1)}`, [lookupId(i)]))[0] as Row));
      return found;
    },
    async W6() {
      await db.run("BEGIN");
      try {
        const values: unknown[] = [];
        const tuples: string[] = [];
        for (let i = 0; i < 1000; i++) {
          const id = 100_001 + i;
          tuples.push(`(${p(values.length + 1)}, ${p(values.length + 2)}, ${p(values.length + 3)}, ${p(values.length + 4)})`);
          values.push(id, `New ${id}`, `new${id}@example.com`, 1);
        }
        await db.run(`INSERT INTO users (id, name, email, organization_id) VALUES ${tuples.join(", ")}`, values);
        return Number((await db.all("SELECT count(*) FROM users WHERE id > 100000"))[0]?.[0]);
      } finally {
        await db.run("ROLLBACK");
      }
    },
    async W7() {
      await db.run("BEGIN");
      try {
        const users = (await db.all("SELECT id, name, email, organization_id FROM users WHERE id <= 1000 ORDER BY id")).map(user);
        for (const u of users) u.name = `Renamed ${u.id}`;
        if (sqlite) {
          // In-process driver: a prepared statement per row costs no round trip.
          for (const u of users) await db.run("UPDATE users SET name = ? WHERE id = ?", [u.name, u.id]);
        } else {
          // Over the network: one statement for all rows, as efficient hand-written code does.
          await db.run("UPDATE users AS u SET name = v.name FROM unnest($1::int[], $2::text[]) AS v (id, name) WHERE u.id = v.id", [
            users.map((u) => u.id),
            users.map((u) => u.name),
          ]);
        }
        return (await db.all("SELECT name FROM users WHERE id <= 1000 ORDER BY id")).map((r) => r[0] as string);
      } finally {
        await db.run("ROLLBACK");
      }
    },
    async W8() {
      await db.run("BEGIN");
      try {
        // Multi-row INSERTs under the bound-parameter limit (4 a row). SQLite: as many rows as its
        // 32,766 allow (8,191: two statements; 1,000-row statements took the same time).
        // PostgreSQL: 1,000 rows a statement, not the 16,383 its 65,535 would allow, as a named
        // statement: with unnamed statements one 10,000-row INSERT took 250–310 ms against
        // 120–150 ms for ten of 1,000 (interleaved, same data; psql with literal values, 245
        // against 150 ms), and named 1,000-row statements 130–137 ms against 180–240 unnamed.
        // The SQL text of each size is built once, as hand-written code keeps it.
        const perStatement = sqlite ? Math.floor(32_766 / 4) : 1000;
        for (let start = 0; start < BULK_ROWS; start += perStatement) {
          const end = Math.min(BULK_ROWS, start + perStatement);
          const values: unknown[] = [];
          for (let i = start; i < end; i++) {
            const u = bulkUser(i);
            values.push(u.id, u.name, u.email, u.organizationId);
          }
          await db.run(bulkInsertSql(end - start), values, true);
        }
        const row = (await db.all("SELECT count(*), sum(organization_id) FROM users WHERE id > 100000"))[0] as Row;
        return [Number(row[0]), Number(row[1])];
      } finally {
        await db.run("ROLLBACK");
      }
    },
  };
}
