import { lookupId, type Contender } from "../workloads.ts";
import { type Row, type Runner, openRunner, rawContender, user, usersWithOrganization } from "./raw.ts";

/** Parent keys per `IN` statement, as tsalchemy's (and SQLAlchemy's) selectin loader sends them. */
const CHUNK = 500;

/**
 * The raw driver sending the statements tsalchemy sends (SQLAlchemy's), rows to plain objects
 * and stitched with maps as raw's are: the floor of an ORM that keeps SQLAlchemy's SQL. It differs
 * from raw where SQLAlchemy's statements do: W2's `LEFT OUTER JOIN` of six columns (`joinedload`),
 * W3 and W4's `IN` of up to 500 keys per statement with the foreign key leading (`selectinload`;
 * raw reads W3's users in one scan), W5's transaction per session of 100 lookups, and W7's one
 * `UPDATE … FROM (VALUES …)` on SQLite. W1, W6 and W8 send raw's statements, which are tsalchemy's.
 */
export function rawSameSqlContender(): Contender {
  const raw = rawContender();
  let db: Runner;
  let p: (n: number) => string;
  let sqlite: boolean;
  const placeholders = (count: number, from = 1) => Array.from({ length: count }, (_, i) => p(from + i)).join(", ");
  /** `sql(placeholders)` once per chunk of `keys`, as selectinload sends it; the rows of every chunk. */
  const inChunks = async (sql: (placeholders: string) => string, keys: readonly number[]): Promise<Row[]> => {
    const rows: Row[] = [];
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      for (const row of await db.all(sql(placeholders(chunk.length)), chunk)) rows.push(row);
    }
    return rows;
  };
  return {
    ...raw,
    name: "raw-same-sql",
    async open(url) {
      await raw.open(url);
      ({ db, p, sqlite } = openRunner(url));
    },
    async close() {
      await raw.close();
      await db.close();
    },
    async W2() {
      const rows = await db.all(
        "SELECT users.id, users.name, users.email, users.organization_id, organizations_1.id, organizations_1.name " +
          "FROM users LEFT OUTER JOIN organizations AS organizations_1 ON organizations_1.id = users.organization_id",
      );
      return usersWithOrganization(rows);
    },
    async W3() {
      const organizations = (await db.all("SELECT organizations.id, organizations.name FROM organizations")).map((r) => ({
        id: r[0] as number,
        name: r[1] as string,
        users: [] as unknown[],
      }));
      const byId = new Map(organizations.map((o) => [o.id, o]));
      const keys = organizations.map((o) => o.id).sort((a, b) => a - b);
      const rows = await inChunks((ps) => `SELECT users.organization_id, users.id, users.name, users.email FROM users WHERE users.organization_id IN (${ps})`, keys);
      for (const r of rows) byId.get(r[0] as number)?.users.push({ id: r[1], name: r[2], email: r[3], organizationId: r[0] });
      return organizations;
    },
    async W4() {
      const organizations = (await db.all(`SELECT organizations.id, organizations.name FROM organizations ORDER BY organizations.id LIMIT ${p(1)}`, [100])).map((r) => ({
        id: r[0] as number,
        name: r[1] as string,
        users: [] as unknown[],
      }));
      const orgById = new Map(organizations.map((o) => [o.id, o]));
      const userRows = await inChunks(
        (ps) => `SELECT users.organization_id, users.id, users.name, users.email FROM users WHERE users.organization_id IN (${ps})`,
        organizations.map((o) => o.id),
      );
      const userById = new Map<number, { posts: unknown[] }>();
      for (const r of userRows) {
        const u = { id: r[1] as number, name: r[2] as string, email: r[3] as string, organizationId: r[0] as number, posts: [] as unknown[] };
        userById.set(u.id, u);
        orgById.get(u.organizationId)?.users.push(u);
      }
      const postRows = await inChunks((ps) => `SELECT posts.user_id, posts.id, posts.title, posts.body FROM posts WHERE posts.user_id IN (${ps})`, [...userById.keys()].sort((a, b) => a - b));
      for (const r of postRows) userById.get(r[0] as number)?.posts.push({ id: r[1], userId: r[0], title: r[2], body: r[3] });
      return organizations;
    },
    async W5() {
      const found: unknown[] = [];
      for (let batch = 0; batch < 10; batch++) {
        // tsalchemy's session begins a transaction on its first statement and rolls it back at close.
        await db.run("BEGIN");
        for (let i = batch * 100; i < (batch + 1) * 100; i++) {
          found.push(user((await db.all(`SELECT users.id, users.name, users.email, users.organization_id FROM users WHERE users.id = ${p(1)}`, [lookupId(i)]))[0] as Row));
        }
        await db.run("ROLLBACK");
      }
      return found;
    },
    async W7() {
      // PostgreSQL: raw's one UPDATE FROM unnest is tsalchemy's statement already.
      if (!sqlite) return raw.W7();
      await db.run("BEGIN");
      try {
        const users = (await db.all("SELECT users.id, users.name, users.email, users.organization_id FROM users WHERE users.id <= ? ORDER BY users.id", [1000])).map(user);
        for (const u of users) u.name = `Renamed ${u.id}`;
        const values: unknown[] = [];
        for (const u of users) values.push(u.id, u.name);
        await db.run(`UPDATE users SET name = v.column2 FROM (VALUES ${users.map(() => "(?, ?)").join(", ")}) AS v WHERE users.id = v.column1`, values);
        return (await db.all("SELECT users.name FROM users WHERE users.id <= ? ORDER BY users.id", [1000])).map((r) => r[0] as string);
      } finally {
        await db.run("ROLLBACK");
      }
    },
  };
}
