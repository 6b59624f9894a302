import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { AsyncSession, MetaData, select, selectinload } from "../../../src/index.ts";
import { generateModels } from "../../../src/migrations/codegen/generate-models.ts";
import { runCli } from "../../../src/migrations/cli/run-cli.ts";
import { createAsyncEngine, dialectNamed } from "../../../src/core/engine/create-async-engine.ts";
import { describeEachDatabase, type TestDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";

const ROOT = resolve(import.meta.dirname, "../../..");

/** The brief's schema, written by hand as someone else's database would be. */
function schemaSql(db: TestDatabase): string[] {
  const id = { sqlite: "INTEGER PRIMARY KEY", pglite: "SERIAL PRIMARY KEY", postgresql: "SERIAL PRIMARY KEY", mysql: "INTEGER AUTO_INCREMENT PRIMARY KEY" }[db.name];
  return [
    `CREATE TABLE orgs (id ${id}, name VARCHAR(50) NOT NULL, CONSTRAINT uq_orgs_name UNIQUE (name))`,
    `CREATE TABLE users (id ${id}, org_id INTEGER, email VARCHAR(100) NOT NULL, status VARCHAR(20) DEFAULT 'active' NOT NULL,
      CONSTRAINT fk_users_org FOREIGN KEY (org_id) REFERENCES orgs (id))`,
    "CREATE INDEX ix_users_email ON users (email)",
    `CREATE TABLE posts (id ${id}, author_id INTEGER NOT NULL, reviewer_id INTEGER, title VARCHAR(80) NOT NULL, price NUMERIC(10, 2),
      CONSTRAINT fk_posts_author FOREIGN KEY (author_id) REFERENCES users (id),
      CONSTRAINT fk_posts_reviewer FOREIGN KEY (reviewer_id) REFERENCES users (id))`,
    `CREATE TABLE tags (id ${id}, label VARCHAR(30) NOT NULL)`,
    `CREATE TABLE post_tags (post_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, PRIMARY KEY (post_id, tag_id),
      CONSTRAINT fk_post_tags_post FOREIGN KEY (post_id) REFERENCES posts (id),
      CONSTRAINT fk_post_tags_tag FOREIGN KEY (tag_id) REFERENCES tags (id))`,
    `CREATE TABLE categories (id ${id}, parent_id INTEGER, name VARCHAR(30) NOT NULL,
      CONSTRAINT fk_categories_parent FOREIGN KEY (parent_id) REFERENCES categories (id))`,
    "CREATE TABLE audit_log (at VARCHAR(40), message TEXT)",
    `CREATE TABLE order_lines (id ${id}, qty INTEGER NOT NULL, price INTEGER NOT NULL, total INTEGER GENERATED ALWAYS AS (qty * price) STORED,
      CONSTRAINT ck_order_lines_qty CHECK (qty > 0))`,
  ];
}

/** Uses the generated module through its types: relationship attributes in loader options, loaded values. */
const USE_SOURCE = `import { AsyncSession, select, selectinload, type AsyncEngine } from "../../src/index.ts";
import { Category, Org, Post, Tag, User, auditLog } from "./models.ts";

export async function titles(engine: AsyncEngine): Promise<string[]> {
  await using session = new AsyncSession(engine);
  const posts = (await session.execute(select(Post).options(selectinload(Post.tags), selectinload(Post.author)).orderBy(Post.id))).scalars().all();
  return posts.map((post) => \`\${post.title} by \${post.author.email}: \${post.tags.map((tag) => tag.label).join(",")}\`);
}

export const made = [new Org({ name: "acme" }), new User({ email: "a@x", org: null }), new Tag({ label: "t" }), new Category({ name: "c", parent: null })];
export const columns: string[] = [User.email.key, auditLog.c.message.name];
// @ts-expect-error: the generated class has no such attribute
User.nickname;
`;

describeEachDatabase("tsalchemy codegen", (db) => {
  const ctx = useIsolatedDatabase(db, "codegen", new MetaData());
  const dir = join(ROOT, ".tmp", `codegen-${db.name}-${process.pid}`);
  let source = "";

  beforeAll(async () => {
    await ctx.engine.begin(async (conn) => {
      for (const sql of schemaSql(db)) await conn.execDriverSql(sql);
    });
    source = await generateModels(ctx.engine, { module: "../../src/index.ts" });
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "models.ts"), source);
    await writeFile(join(dir, "use.ts"), USE_SOURCE);
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ extends: "../../tsconfig.json", include: ["*.ts"] }));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes a class per mapped table, Core tables for the association and the keyless table", () => {
    expect(source).toContain("export const Base = declarativeBase();");
    expect(source).toContain('export const postTags = new Table("post_tags", Base.metadata, {');
    expect(source).toContain('export const auditLog = new Table("audit_log", Base.metadata, {');
    expect(source).toContain('  orgId: mappedColumn(Integer, ForeignKey("orgs.id"), { name: "org_id" }),');
    expect(source).toContain("  name: mappedColumn(StringType(50), { nullable: false, unique: true }),");
    expect(source).toContain("  email: mappedColumn(StringType(100), { nullable: false, index: true }),");
    expect(source).toMatch(/ {2}status: mappedColumn\(StringType\(20\), \{ nullable: false, serverDefault: literalColumn\(".*'active'.*"\) \}\),/);
    expect(source).toContain("  price: mappedColumn(Numeric(10, 2)),");
    expect(source).toContain('  org: relationship<Org | null>("Org", { backPopulates: "users" }),');
    expect(source).toContain('  users: relationship<User[]>("User", { backPopulates: "org" }),');
    expect(source).toContain('  author: relationship<User>("User", { foreignKeys: ["authorId"], backPopulates: "postsAuthor" }),');
    expect(source).toContain('  postsReviewer: relationship<Post[]>("Post", { foreignKeys: ["reviewerId"], backPopulates: "reviewer" }),');
    expect(source).toContain('  tags: relationship<Tag[]>("Tag", { secondary: "post_tags", backPopulates: "posts" }),');
    expect(source).toContain('  parent: relationship<Category | null>("Category", { remoteSide: ["id"], backPopulates: "parentReverse" }),');
    expect(source).toMatch(/ {2}total: mappedColumn\(Integer, \{ computed: new Computed\(".*qty.*price.*", \{ persisted: true \}\) \}\),/);
    expect(source).toMatch(/ {4}new CheckConstraint\(literalColumn<boolean>\(".*qty.*0.*"\), \{ name: "ck_order_lines_qty" \}\),/);
    expect(source).toContain("Base.register(Category, OrderLine, Org, Post, Tag, User);");
  });

  it("the generated module type-checks with the repository's tsc", async () => {
    const tsc = join(ROOT, "node_modules", ".bin", "tsc");
    const result = await promisify(execFile)(tsc, ["-p", join(dir, "tsconfig.json"), "--noEmit"]).then(
      () => "",
      (error: { stdout: string }) => error.stdout,
    );
    expect(result).toBe("");
  }, 120_000);

  it("the generated module maps the database: insert through relationships, select with selectinload", async () => {
    const models = (await import(join(dir, "models.ts"))) as Record<string, any>;
    const { Org, User, Post, Tag, Category } = models;
    {
      await using session = new AsyncSession(ctx.engine);
      const acme = new Org({ name: "acme" });
      const ann = new User({ email: "ann@x", org: acme });
      const bob = new User({ email: "bob@x", org: acme });
      const [red, blue] = [new Tag({ label: "red" }), new Tag({ label: "blue" })];
      const root = new Category({ name: "root" });
      session.addAll([
        new Post({ title: "one", author: ann, reviewer: bob, tags: [red, blue] }),
        new Post({ title: "two", author: bob, tags: [blue] }),
        new Category({ name: "leaf", parent: root }),
      ]);
      await session.commit();
    }
    await using session = new AsyncSession(ctx.engine);
    const posts = (
      await session.execute(select(Post).options(selectinload(Post.author), selectinload(Post.reviewer), selectinload(Post.tags)).orderBy(Post.id))
    ).scalars().all();
    expect(posts.map((p: any) => [p.title, p.author.email, p.reviewer?.email ?? null, p.tags.map((t: any) => t.label).sort()])).toEqual([
      ["one", "ann@x", "bob@x", ["blue", "red"]],
      ["two", "bob@x", null, ["blue"]],
    ]);
    const users = (await session.execute(select(User).options(selectinload(User.postsAuthor), selectinload(User.org)).orderBy(User.id))).scalars().all();
    expect(users.map((u: any) => [u.email, u.status, u.org.name, u.postsAuthor.map((p: any) => p.title)])).toEqual([
      ["ann@x", "active", "acme", ["one"]],
      ["bob@x", "active", "acme", ["two"]],
    ]);
    const { OrderLine } = models;
    session.add(new OrderLine({ qty: 3, price: 5 }));
    await session.flush();
    expect((await session.execute(select(OrderLine))).scalars().all().map((l: any) => [l.qty, l.total])).toEqual([[3, 15]]);
    const roots = (await session.execute(select(Category).where(Category.parentId.isNull()).options(selectinload(Category.parentReverse)))).scalars().all();
    expect(roots.map((c: any) => [c.name, c.parentReverse.map((child: any) => child.name)])).toEqual([["root", ["leaf"]]]);
  });
});

describeEachDatabase("tsalchemy codegen (command line)", (db) => {
  const ctx = useIsolatedDatabase(db, "codegen_cli", new MetaData());
  const dir = join(ROOT, ".tmp", `codegen-cli-${db.name}-${process.pid}`);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("codegen <url> --tables a --out <file>: the tables, and those their foreign keys refer to", async () => {
    await ctx.engine.begin(async (conn) => {
      for (const sql of schemaSql(db).slice(0, 2)) await conn.execDriverSql(sql);
    });
    await mkdir(dir, { recursive: true });
    const out: string[] = [];
    const errors: string[] = [];
    const code = await runCli(["codegen", "test-url", "--out", "models.ts", "--tables", "users"], {
      cwd: dir,
      env: {},
      // SQLite and PGlite are in memory: the command gets the test's engine, and leaves it open.
      createEngine: (url) => (url === "test-url" ? ctx.engine : createAsyncEngine(url)),
      keepEngines: true,
      dialectNamed,
      write: (text) => out.push(text),
      error: (text) => errors.push(text),
    });
    expect([code, errors]).toEqual([0, []]);
    expect(out).toEqual(["wrote models.ts\n"]);
    const written = await readFile(join(dir, "models.ts"), "utf8");
    expect(written).toMatch(/^import \{ .* \} from "tsalchemy";/);
    expect(written).toContain("Base.register(Org, User);");
  });

  it("a table that does not exist fails with the inspector's message", async () => {
    const errors: string[] = [];
    const io = { cwd: dir, env: {}, createEngine: () => ctx.engine, keepEngines: true, dialectNamed, write: () => {}, error: (t: string) => errors.push(t) };
    expect(await runCli(["codegen", "test-url", "--tables", "nope"], io)).toBe(1);
    expect(errors.join("")).toContain('FAILED: Table "nope" does not exist');
  });

  it("a usage error without a URL", async () => {
    const errors: string[] = [];
    const code = await runCli(["codegen"], { cwd: dir, env: {}, createEngine: createAsyncEngine, dialectNamed, write: () => {}, error: (t) => errors.push(t) });
    expect(code).toBe(2);
    expect(errors.join("")).toContain("usage: tsalchemy codegen <url>");
  });
});

describeEachDatabase("tsalchemy codegen --schema", (db) => {
  const ctx = useIsolatedDatabase(db, "codegen_schema", new MetaData());
  const schema = db.name === "sqlite" ? "main" : `tsa_codegen_other_${process.pid}`;
  const qualified = db.name === "sqlite" ? "" : `${schema}.`;
  const dir = join(ROOT, ".tmp", `codegen-schema-${db.name}-${process.pid}`);

  beforeAll(async () => {
    await ctx.engine.begin(async (conn) => {
      if (db.name === "mysql") await conn.execDriverSql(`CREATE DATABASE ${schema}`);
      else if (db.name !== "sqlite") await conn.execDriverSql(`CREATE SCHEMA ${schema}`);
      await conn.execDriverSql(`CREATE TABLE ${qualified}owners (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(30))`);
      await conn.execDriverSql(
        `CREATE TABLE ${qualified}pets (id INTEGER NOT NULL PRIMARY KEY, owner_id INTEGER, ` +
          `CONSTRAINT fk_pets_owner FOREIGN KEY (owner_id) REFERENCES ${qualified}owners (id))`,
      );
    });
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await ctx.engine.begin(async (conn) => {
      if (db.name === "mysql") await conn.execDriverSql(`DROP DATABASE ${schema}`);
      else if (db.name !== "sqlite") await conn.execDriverSql(`DROP SCHEMA ${schema} CASCADE`);
    });
  });

  it("qualifies tables and foreign keys with the schema, and the models load through it", async () => {
    const source = await generateModels(ctx.engine, { schema, module: "../../src/index.ts" });
    expect(source).toContain(`  id: mappedColumn(Integer, { primaryKey: true${db.name === "sqlite" ? "" : ", autoincrement: false"} }),`);
    expect(source).toContain(`  ownerId: mappedColumn(Integer, ForeignKey("${schema}.owners.id"), { name: "owner_id" }),`);
    expect(source).toContain('  pets: relationship<Pet[]>("Pet", { backPopulates: "owner" }),');
    expect(source).toContain(`    { schema: "${schema}" },`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, "models.ts"), source);
    const { Owner, Pet } = (await import(join(dir, "models.ts"))) as Record<string, any>;
    {
      await using session = new AsyncSession(ctx.engine);
      session.add(new Pet({ id: 1, owner: new Owner({ id: 1, name: "ann" }) }));
      await session.commit();
    }
    await using session = new AsyncSession(ctx.engine);
    const owners = (await session.execute(select(Owner).options(selectinload(Owner.pets)))).scalars().all();
    expect(owners.map((o: any) => [o.name, o.pets.map((p: any) => p.id)])).toEqual([["ann", [1]]]);
  });
});
