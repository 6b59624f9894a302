/**
 * Acceptance 3 of issue 2: every construct of the expression language, executed on every database
 * of the matrix (SQLite, PGlite, and the PostgreSQL / MariaDB servers when configured), with the
 * rows checked exactly. Optional features are gated on the dialect's capabilities, never its name.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import {
  type AsyncConnection,
  type AsyncEngine,
  type Expression,
  type Ordering,
  Column,
  DateTime,
  ForeignKey,
  Integer,
  IntegrityError,
  MetaData,
  NotSupportedFeatureError,
  PrimaryKeyConstraint,
  StringType,
  Table,
  Text,
  alias,
  and,
  bindparam,
  case_,
  cast,
  createAsyncEngine,
  delete_,
  distinct,
  except,
  excluded,
  exists,
  func,
  insert,
  intersect,
  literal,
  not,
  or,
  select,
  text,
  union,
  unionAll,
  update,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";

/** A prefix no other test file (or concurrent run of this one) uses. */
const P = `sc${process.pid.toString(36)}_`;

const metadata = new MetaData();
const organizations = new Table(`${P}organizations`, metadata, {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  name: Column(StringType(100), { nullable: false }),
  country: Column(StringType(10)),
});
const users = new Table(`${P}users`, metadata, {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  name: Column(StringType(100), { nullable: false }),
  organizationId: Column(Integer, ForeignKey(`${P}organizations.id`), { name: "organization_id" }),
  managerId: Column(Integer, ForeignKey(`${P}users.id`), { name: "manager_id" }),
  score: Column(Integer),
});
const posts = new Table(`${P}posts`, metadata, {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  userId: Column(Integer, ForeignKey(`${P}users.id`), { name: "user_id", nullable: false }),
  title: Column(StringType(200), { nullable: false }),
  views: Column(Integer, { nullable: false }),
});
const postArchive = new Table(`${P}post_archive`, metadata, {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  title: Column(StringType(200), { nullable: false }),
});
const notes = new Table(`${P}notes`, metadata, {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  body: Column(StringType(100), { nullable: false }),
});
let tokenCounter = 0;
const items = new Table(`${P}items`, metadata, {
  id: Column(Integer, { primaryKey: true }),
  code: Column(StringType(20), { nullable: false, unique: true }),
  qty: Column(Integer, { nullable: false, serverDefault: 0 }),
  status: Column(StringType(20), { nullable: false, serverDefault: "new" }),
  createdAt: Column(DateTime(), { name: "created_at", serverDefault: func.now() }),
  note: Column(StringType(50), { default: "hello" }),
  token: Column(StringType(50), { default: () => `tok-${++tokenCounter}` }),
});
const counters = new Table(`${P}counters`, metadata, {
  id: Column(Integer, { primaryKey: true }),
  hits: Column(Integer, { nullable: false, serverDefault: 0 }),
  label: Column(StringType(20), { serverDefault: "none" }),
});
const memberships = new Table(
  `${P}memberships`,
  metadata,
  {
    userId: Column(Integer, ForeignKey(`${P}users.id`), { name: "user_id", nullable: false }),
    organizationId: Column(Integer, ForeignKey(`${P}organizations.id`), { name: "organization_id", nullable: false }),
    role: Column(Text, { nullable: false }),
  },
  new PrimaryKeyConstraint(["userId", "organizationId"]),
);

const ORGANIZATIONS = [
  { id: 1, name: "Acme", country: "US" },
  { id: 2, name: "Globex", country: "DE" },
  { id: 3, name: "Initech", country: null },
];
// ann manages bob and cat; bob manages dan; dan manages eve. cat has no score, eve no organization.
const USERS = [
  { id: 1, name: "ann", organizationId: 1, managerId: null, score: 10 },
  { id: 2, name: "bob", organizationId: 1, managerId: 1, score: 20 },
  { id: 3, name: "cat", organizationId: 2, managerId: 1, score: null },
  { id: 4, name: "dan", organizationId: 2, managerId: 2, score: 40 },
  { id: 5, name: "eve", organizationId: null, managerId: 4, score: 50 },
];
const POSTS = [
  { id: 1, userId: 1, title: "First", views: 100 },
  { id: 2, userId: 1, title: "Second", views: 50 },
  { id: 3, userId: 2, title: "Third", views: 0 },
  { id: 4, userId: 4, title: "Fourth", views: 25 },
];
const NOTES = [
  { id: 1, body: "a_b%c" },
  { id: 2, body: "axbyc" },
  { id: 3, body: "Hello World" },
  { id: 4, body: "HELLO there" },
  { id: 5, body: "100% sure" },
  { id: 6, body: "under_score" },
  { id: 7, body: "path/slash" },
  { id: 8, body: "back\\slash" },
  { id: 9, body: "hello again" },
];

const byId = <T extends { id: number }>(rows: T[]): T[] => [...rows].sort((a, b) => a.id - b.id);
const sorted = <T>(values: T[]): T[] => [...values].sort();

describeEachDatabase("Core constructs on a database", (db) => {
  let engine: AsyncEngine;

  // A database that cannot be reached (or set up) fails every test of the block rather than
  // leaving them skipped.
  let setupError: unknown;
  beforeAll(async () => {
    try {
      engine = createAsyncEngine(db.url);
      await engine.begin(async (conn) => {
        await metadata.dropAll(conn);
        await metadata.createAll(conn);
        await conn.execute(insert(organizations).values(ORGANIZATIONS));
        await conn.execute(insert(users).values(USERS));
        await conn.execute(insert(posts).values(POSTS));
        await conn.execute(insert(notes).values(NOTES));
      });
    } catch (error) {
      setupError = error;
    }
  });

  beforeEach(() => {
    if (setupError !== undefined) throw setupError;
  });

  afterAll(async () => {
    if (!engine) return;
    try {
      await engine.begin((conn) => metadata.dropAll(conn));
    } finally {
      await engine.dispose();
    }
  });

  /** Runs `work` on a connection whose transaction is rolled back afterwards, leaving the seed intact. */
  async function rolledBack(work: (conn: AsyncConnection) => Promise<void>): Promise<void> {
    const conn = await engine.connect();
    try {
      await work(conn);
    } finally {
      await conn.rollback();
      await conn.close();
    }
  }

  async function names(where: Expression<boolean>): Promise<string[]> {
    const rows = (await engine.execute(select(users.c.name).where(where).orderBy(users.c.id))).all();
    return rows.map((r) => r.name);
  }

  async function noteBodies(where: Expression<boolean>): Promise<string[]> {
    const rows = (await engine.execute(select(notes.c.body).where(where).orderBy(notes.c.id))).all();
    return rows.map((r) => r.body);
  }

  it("selects the seeded rows with typed keys", async () => {
    const rows = (await engine.execute(select(users).orderBy(users.c.id))).all();
    expect(rows).toEqual(USERS);
    expect((await engine.execute(select(organizations).orderBy(organizations.c.id))).all()).toEqual(ORGANIZATIONS);
  });

  it("column comparisons: eq ne lt le gt ge, and eq(null) / ne(null) as IS [NOT] NULL", async () => {
    expect(await names(users.c.score.eq(20))).toEqual(["bob"]);
    expect(await names(users.c.score.ne(20))).toEqual(["ann", "dan", "eve"]);
    expect(await names(users.c.score.lt(20))).toEqual(["ann"]);
    expect(await names(users.c.score.le(20))).toEqual(["ann", "bob"]);
    expect(await names(users.c.score.gt(20))).toEqual(["dan", "eve"]);
    expect(await names(users.c.score.ge(20))).toEqual(["bob", "dan", "eve"]);
    expect(await names(users.c.score.eq(null))).toEqual(["cat"]);
    expect(await names(users.c.score.ne(null))).toEqual(["ann", "bob", "dan", "eve"]);
    expect(await names(users.c.name.eq("dan"))).toEqual(["dan"]);
    // column against column
    expect(await names(users.c.managerId.lt(users.c.id))).toEqual(["bob", "cat", "dan", "eve"]);
  });

  it("in / notIn over a list, the empty list (SQLAlchemy's semantics), and a subquery", async () => {
    expect(await names(users.c.organizationId.in([1]))).toEqual(["ann", "bob"]);
    expect(await names(users.c.organizationId.in([1, 2]))).toEqual(["ann", "bob", "cat", "dan"]);
    expect(await names(users.c.organizationId.notIn([1]))).toEqual(["cat", "dan"]);
    expect(await names(users.c.name.in(["eve", "ann", "nobody"]))).toEqual(["ann", "eve"]);
    // The empty IN is never true; the empty NOT IN is always true, even for a NULL column.
    expect(await names(users.c.organizationId.in([]))).toEqual([]);
    expect(await names(users.c.organizationId.notIn([]))).toEqual(["ann", "bob", "cat", "dan", "eve"]);
    expect(await names(users.c.id.in(select(posts.c.userId)))).toEqual(["ann", "bob", "dan"]);
    expect(await names(users.c.id.notIn(select(posts.c.userId).where(posts.c.views.gt(20))))).toEqual(["bob", "cat", "eve"]);
  });

  it("like / notLike with an escape character, and ilike case-insensitively everywhere", async () => {
    expect(await noteBodies(notes.c.body.like("%!_%", { escape: "!" }))).toEqual(["a_b%c", "under_score"]);
    expect(await noteBodies(notes.c.body.like("a_b%"))).toEqual(["a_b%c", "axbyc"]);
    expect(await noteBodies(notes.c.body.notLike("%!%%", { escape: "!" }))).toEqual([
      "axbyc",
      "Hello World",
      "HELLO there",
      "under_score",
      "path/slash",
      "back\\slash",
      "hello again",
    ]);
    expect(await noteBodies(notes.c.body.ilike("hello%"))).toEqual(["Hello World", "HELLO there", "hello again"]);
    expect(await noteBodies(notes.c.body.ilike("%WORLD"))).toEqual(["Hello World"]);
    expect(await noteBodies(notes.c.body.ilike("HELLO T%"))).toEqual(["HELLO there"]);
    expect(await noteBodies(notes.c.body.notIlike("%hello%"))).toEqual([
      "a_b%c",
      "axbyc",
      "100% sure",
      "under_score",
      "path/slash",
      "back\\slash",
    ]);
  });

  it("startsWith / endsWith / contains escape %, _ and the escape character in the data", async () => {
    expect(await noteBodies(notes.c.body.contains("_b%"))).toEqual(["a_b%c"]);
    expect(await noteBodies(notes.c.body.startsWith("a_"))).toEqual(["a_b%c"]);
    expect(await noteBodies(notes.c.body.endsWith("%c"))).toEqual(["a_b%c"]);
    expect(await noteBodies(notes.c.body.contains("%"))).toEqual(["a_b%c", "100% sure"]);
    expect(await noteBodies(notes.c.body.contains("_"))).toEqual(["a_b%c", "under_score"]);
    expect(await noteBodies(notes.c.body.contains("/"))).toEqual(["path/slash"]);
    expect(await noteBodies(notes.c.body.contains("\\"))).toEqual(["back\\slash"]);
    expect(await noteBodies(notes.c.body.startsWith("100%"))).toEqual(["100% sure"]);
    expect(await noteBodies(notes.c.body.endsWith("score"))).toEqual(["under_score"]);
  });

  it("isNull / isNotNull / between", async () => {
    expect(await names(users.c.score.isNull())).toEqual(["cat"]);
    expect(await names(users.c.organizationId.isNull())).toEqual(["eve"]);
    expect(await names(users.c.score.isNotNull())).toEqual(["ann", "bob", "dan", "eve"]);
    expect(await names(users.c.score.between(15, 45))).toEqual(["bob", "dan"]);
    expect(await names(users.c.score.between(20, 40))).toEqual(["bob", "dan"]);
  });

  it("arithmetic (add, sub, mul, div) and concatenation", async () => {
    const rows = (
      await engine.execute(
        select(
          users.c.name,
          users.c.score.add(5).label("plus"),
          users.c.score.sub(3).label("minus"),
          users.c.score.mul(2).label("times"),
          users.c.score.div(2).label("half"),
          users.c.name.concat("!").label("shout"),
          users.c.name.concat(users.c.name).label("twice"),
        )
          .where(users.c.score.isNotNull())
          .orderBy(users.c.id),
      )
    ).all();
    expect(rows).toEqual([
      { name: "ann", plus: 15, minus: 7, times: 20, half: 5, shout: "ann!", twice: "annann" },
      { name: "bob", plus: 25, minus: 17, times: 40, half: 10, shout: "bob!", twice: "bobbob" },
      { name: "dan", plus: 45, minus: 37, times: 80, half: 20, shout: "dan!", twice: "dandan" },
      { name: "eve", plus: 55, minus: 47, times: 100, half: 25, shout: "eve!", twice: "eveeve" },
    ]);
    // arithmetic in WHERE, column with column
    expect(await names(users.c.score.add(users.c.id).gt(40))).toEqual(["dan", "eve"]);
  });

  it("and / or / not", async () => {
    expect(await names(and(users.c.score.gt(10), users.c.score.lt(50)))).toEqual(["bob", "dan"]);
    expect(await names(or(users.c.id.eq(1), users.c.id.eq(5)))).toEqual(["ann", "eve"]);
    expect(await names(not(users.c.score.gt(15)))).toEqual(["ann"]);
    expect(await names(and(or(users.c.id.eq(1), users.c.id.eq(2)), not(users.c.name.eq("ann"))))).toEqual(["bob"]);
    expect(await names(or(and(users.c.id.eq(1), users.c.score.eq(10)), users.c.score.isNull()))).toEqual(["ann", "cat"]);
  });

  it("func.count / sum / min / max / coalesce / lower / now", async () => {
    const aggregates = (
      await engine.execute(
        select(
          func.count().label("n"),
          func.count(users.c.score).label("scored"),
          func.count(distinct(users.c.organizationId)).label("orgs"),
          func.sum(users.c.score).label("total"),
          func.min(users.c.score).label("low"),
          func.max(users.c.score).label("high"),
        ),
      )
    ).one();
    expect(aggregates).toEqual({ n: 5, scored: 4, orgs: 2, total: 120, low: 10, high: 50 });

    const coalesced = (
      await engine.execute(select(users.c.name, func.coalesce(users.c.score, 0).label("score")).orderBy(users.c.id))
    ).all();
    expect(coalesced.map((r) => r.score)).toEqual([10, 20, 0, 40, 50]);

    expect((await engine.execute(select(func.lower(notes.c.body)).where(notes.c.id.eq(4)))).scalarOne()).toBe("hello there");

    const now = (await engine.execute(select(func.now().label("now")))).scalarOne();
    expect(now).toBeInstanceOf(Date);
    expect(Number.isNaN(now.getTime())).toBe(false);

    // count(*) with no FROM-less ambiguity: from a table via selectFrom
    expect((await engine.execute(select(func.count()).selectFrom(posts))).scalarOne()).toBe(4);
  });

  it("literal, and bindparam with its value given at execute", async () => {
    const row = (await engine.execute(select(literal(5).label("five"), literal("x").label("ex")))).one();
    expect(row).toEqual({ five: 5, ex: "x" });

    const stmt = select(users.c.name).where(users.c.score.gt(bindparam("x", Integer))).orderBy(users.c.id);
    expect((await engine.execute(stmt, { x: 15 })).scalars().all()).toEqual(["bob", "dan", "eve"]);
    // The same statement again (from the compiled cache) with another value.
    expect((await engine.execute(stmt, { x: 45 })).scalars().all()).toEqual(["eve"]);
    // A bindparam with a default value, overridden or not.
    const withDefault = select(users.c.name).where(users.c.id.eq(bindparam("id", Integer, 2)));
    expect((await engine.execute(withDefault)).scalarOne()).toBe("bob");
    expect((await engine.execute(withDefault, { id: 4 })).scalarOne()).toBe("dan");
  });

  it("cast and case_", async () => {
    const casts = (
      await engine.execute(
        select(cast(users.c.score, StringType(10)).label("text"), cast(literal("42"), Integer).label("num")).where(
          users.c.id.eq(2),
        ),
      )
    ).one();
    expect(casts).toEqual({ text: "20", num: 42 });

    const bands = (
      await engine.execute(
        select(
          users.c.name,
          case_([[users.c.score.lt(25), "low"], [users.c.score.lt(45), "mid"]], { else: "high" }).label("band"),
        ).orderBy(users.c.id),
      )
    ).all();
    expect(bands).toEqual([
      { name: "ann", band: "low" },
      { name: "bob", band: "low" },
      { name: "cat", band: "high" },
      { name: "dan", band: "mid" },
      { name: "eve", band: "high" },
    ]);

    const valued = (
      await engine.execute(
        select(users.c.name, case_([[1, "one"], [2, "two"]], { value: users.c.organizationId }).label("org")).orderBy(
          users.c.id,
        ),
      )
    ).all();
    expect(valued.map((r) => r.org)).toEqual(["one", "one", "two", "two", null]);
  });

  it("labels, an aliased self-join (manager), joins with inferred ON, and outer joins", async () => {
    const manager = alias(users, "mgr");
    const pairs = (
      await engine.execute(
        select(users.c.name, manager.c.name.label("managerName"))
          .join(manager, users.c.managerId.eq(manager.c.id))
          .orderBy(users.c.id),
      )
    ).all();
    expect(pairs).toEqual([
      { name: "bob", managerName: "ann" },
      { name: "cat", managerName: "ann" },
      { name: "dan", managerName: "bob" },
      { name: "eve", managerName: "dan" },
    ]);

    const inner = (
      await engine.execute(
        select(users.c.name, organizations.c.name.label("organization")).join(organizations).orderBy(users.c.id),
      )
    ).all();
    expect(inner).toEqual([
      { name: "ann", organization: "Acme" },
      { name: "bob", organization: "Acme" },
      { name: "cat", organization: "Globex" },
      { name: "dan", organization: "Globex" },
    ]);

    const outer = (
      await engine.execute(
        select(users.c.name, organizations.c.name.label("organization")).outerjoin(organizations).orderBy(users.c.id),
      )
    ).all();
    expect(outer.map((r) => r.organization)).toEqual(["Acme", "Acme", "Globex", "Globex", null]);

    // The other direction, and a chain: organizations → users → posts.
    const chain = (
      await engine.execute(
        select(organizations.c.name, posts.c.title)
          .selectFrom(organizations)
          .join(users)
          .join(posts)
          .orderBy(posts.c.id),
      )
    ).all();
    expect(chain).toEqual([
      { name: "Acme", title: "First" },
      { name: "Acme", title: "Second" },
      { name: "Acme", title: "Third" },
      { name: "Globex", title: "Fourth" },
    ]);

    const leftFromOrgs = (
      await engine.execute(
        select(organizations.c.name, func.count(users.c.id).label("members"))
          .selectFrom(organizations)
          .outerjoin(users)
          .groupBy(organizations.c.id, organizations.c.name)
          .orderBy(organizations.c.id),
      )
    ).all();
    expect(leftFromOrgs).toEqual([
      { name: "Acme", members: 2 },
      { name: "Globex", members: 2 },
      { name: "Initech", members: 0 },
    ]);

    if (engine.dialect.capabilities.fullOuterJoin) {
      const full = (
        await engine.execute(
          select(users.c.name, organizations.c.name.label("organization")).join(organizations, undefined, { full: true }),
        )
      ).all();
      expect(full.map((r) => `${r.name}/${r.organization}`).sort()).toEqual(
        ["ann/Acme", "bob/Acme", "cat/Globex", "dan/Globex", "eve/null", "null/Initech"].sort(),
      );
    }
  });

  it("exists with a correlated subquery, and a scalar subquery in the select list", async () => {
    const hasPosts = exists(select(posts.c.id).where(posts.c.userId.eq(users.c.id)));
    expect(await names(hasPosts)).toEqual(["ann", "bob", "dan"]);
    expect(await names(not(hasPosts))).toEqual(["cat", "eve"]);
    expect(await names(select(posts.c.id).where(posts.c.userId.eq(users.c.id), posts.c.views.gt(60)).exists())).toEqual([
      "ann",
    ]);

    const counts = (
      await engine.execute(
        select(
          users.c.name,
          select(func.count()).where(posts.c.userId.eq(users.c.id)).scalarSubquery().label("postCount"),
          select(func.max(posts.c.views)).where(posts.c.userId.eq(users.c.id)).label("topViews"),
        ).orderBy(users.c.id),
      )
    ).all();
    expect(counts).toEqual([
      { name: "ann", postCount: 2, topViews: 100 },
      { name: "bob", postCount: 1, topViews: 0 },
      { name: "cat", postCount: 0, topViews: null },
      { name: "dan", postCount: 1, topViews: 25 },
      { name: "eve", postCount: 0, topViews: null },
    ]);

    // correlate() with no table: the subquery keeps its own FROM even though the enclosing query has it.
    // (func.avg is typed number | string; the comparison with an Integer column is asserted.)
    const uncorrelated = select(func.avg(users.c.score)).correlate().scalarSubquery() as Expression<number>;
    expect(await names(users.c.score.gt(uncorrelated))).toEqual(["dan", "eve"]);
  });

  it("a subquery whose only FROM is the enclosing query's table keeps it (SQLAlchemy auto-correlates only with more than one FROM)", async () => {
    // users above the average score
    const average = select(func.avg(users.c.score)).scalarSubquery() as Expression<number>;
    expect(await names(users.c.score.gt(average))).toEqual(["dan", "eve"]);
    // users who manage someone
    expect(await names(users.c.id.in(select(users.c.managerId)))).toEqual(["ann", "bob", "dan"]);
    expect(await names(exists(select(users.c.id).where(users.c.score.gt(45))))).toEqual(["ann", "bob", "cat", "dan", "eve"]);
    // a compound of selects on the same table as an IN subquery
    const nested = union(select(users.c.id).where(users.c.id.eq(1)), select(users.c.id).where(users.c.id.eq(5)));
    expect(await names(users.c.id.in(nested))).toEqual(["ann", "eve"]);
  });

  it("subquery() in FROM joined back to its table", async () => {
    const counts = select(posts.c.userId, func.count().label("n"), func.sum(posts.c.views).label("views"))
      .groupBy(posts.c.userId)
      .subquery("counts");
    const rows = (
      await engine.execute(
        select(users.c.name, counts.c.n, counts.c.views).join(counts, users.c.id.eq(counts.c.userId)).orderBy(users.c.id),
      )
    ).all();
    expect(rows).toEqual([
      { name: "ann", n: 2, views: 150 },
      { name: "bob", n: 1, views: 0 },
      { name: "dan", n: 1, views: 25 },
    ]);
    // Selecting straight from the subquery.
    const fromSub = (await engine.execute(select(counts.c.userId, counts.c.n).orderBy(counts.c.userId))).all();
    expect(fromSub).toEqual([
      { userId: 1, n: 2 },
      { userId: 2, n: 1 },
      { userId: 4, n: 1 },
    ]);
  });

  it("a CTE, and recursive CTEs (counting 1..10, walking the manager chain)", async () => {
    const totals = select(posts.c.userId, func.sum(posts.c.views).label("total")).groupBy(posts.c.userId).cte("totals");
    const rows = (
      await engine.execute(
        select(users.c.name, totals.c.total)
          .join(totals, users.c.id.eq(totals.c.userId))
          .where(totals.c.total.gt(20))
          .orderBy(users.c.id),
      )
    ).all();
    expect(rows).toEqual([
      { name: "ann", total: 150 },
      { name: "dan", total: 25 },
    ]);

    const anchor = select(literal(1).label("n")).cte("cnt", { recursive: true });
    const cnt = anchor.unionAll(select(anchor.c.n.add(1)).where(anchor.c.n.lt(10)));
    const numbers = (await engine.execute(select(cnt.c.n).orderBy(cnt.c.n))).scalars().all();
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await engine.execute(select(func.sum(cnt.c.n)))).scalarOne()).toBe(55);

    // eve's chain of managers: eve → dan → bob → ann.
    const start = select(users.c.id, users.c.name, users.c.managerId).where(users.c.id.eq(5)).cte("chain", { recursive: true });
    const chain = start.unionAll(
      select(users.c.id, users.c.name, users.c.managerId).join(start, users.c.id.eq(start.c.managerId)),
    );
    const walked = (await engine.execute(select(chain.c.name).orderBy(chain.c.id.desc()))).scalars().all();
    expect(walked).toEqual(["eve", "dan", "bob", "ann"]);
  });

  it("union / unionAll, and except / intersect where the database has them", async () => {
    const low = select(users.c.name).where(users.c.id.le(2));
    const mid = select(users.c.name).where(users.c.id.in([2, 3]));
    expect(sorted((await engine.execute(union(low, mid))).scalars().all())).toEqual(["ann", "bob", "cat"]);
    expect(sorted((await engine.execute(unionAll(low, mid))).scalars().all())).toEqual(["ann", "bob", "bob", "cat"]);
    expect(sorted((await engine.execute(low.union(mid))).scalars().all())).toEqual(["ann", "bob", "cat"]);

    const a = select(users.c.id).where(users.c.id.le(4));
    const b = select(users.c.id).where(users.c.id.ge(2));
    if (engine.dialect.capabilities.exceptIntersect) {
      expect((await engine.execute(except(a, b))).scalars().all()).toEqual([1]);
      expect(sorted((await engine.execute(intersect(a, b))).scalars().all())).toEqual([2, 3, 4]);
      expect(sorted((await engine.execute(a.intersect(b))).scalars().all())).toEqual([2, 3, 4]);
    } else {
      expect(() => engine.dialect.compiler.compile(except(a, b).node)).toThrow(NotSupportedFeatureError);
    }
  });

  it("a compound select ordered and limited as a whole, with limited members, nested, and as a subquery", async () => {
    const low = select(users.c.id, users.c.name).where(users.c.id.le(2));
    const high = select(users.c.id, users.c.name).where(users.c.id.ge(4));
    const both = union(low, high).subquery("both");
    const rows = (await engine.execute(select(both.c.name).orderBy(both.c.id.desc()).limit(3))).scalars().all();
    expect(rows).toEqual(["eve", "dan", "bob"]);

    const ordered = await engine.execute(union(low, high).orderBy(users.c.name.desc()).limit(3).offset(1));
    expect(ordered.all()).toEqual([
      { id: 4, name: "dan" },
      { id: 2, name: "bob" },
      { id: 1, name: "ann" },
    ]);

    // Members with their own ORDER BY / LIMIT: the first and the last user.
    const firstAndLast = unionAll(
      select(users.c.name).orderBy(users.c.id).limit(1),
      select(users.c.name).orderBy(users.c.id.desc()).limit(1),
    );
    expect(sorted((await engine.execute(firstAndLast)).scalars().all())).toEqual(["ann", "eve"]);

    // A compound inside a compound, and a compound as an IN subquery.
    const nested = union(select(users.c.id).where(users.c.id.eq(1)), unionAll(select(users.c.id).where(users.c.id.eq(3)), select(users.c.id).where(users.c.id.eq(5))));
    expect(sorted((await engine.execute(nested)).scalars().all())).toEqual([1, 3, 5]);
    expect(await names(users.c.id.in(union(select(posts.c.userId.label("id")), select(organizations.c.id))))).toEqual([
      "ann",
      "bob",
      "cat",
      "dan",
    ]);
  });

  it("boolean expressions in the select list come back as booleans (or null)", async () => {
    const rows = (
      await engine.execute(
        select(
          users.c.name,
          users.c.score.gt(15).label("high"),
          exists(select(posts.c.id).where(posts.c.userId.eq(users.c.id))).label("posted"),
          users.c.organizationId.isNull().label("orphan"),
        ).orderBy(users.c.id),
      )
    ).all();
    expect(rows).toEqual([
      { name: "ann", high: false, posted: true, orphan: false },
      { name: "bob", high: true, posted: true, orphan: false },
      { name: "cat", high: null, posted: false, orphan: false },
      { name: "dan", high: true, posted: true, orphan: false },
      { name: "eve", high: true, posted: false, orphan: true },
    ]);
  });

  it("integer division means the same on every database (SQLAlchemy 2.0: true division)", async () => {
    // 7 / 2 with a bound divisor, and column / column: the same answer everywhere.
    const rows = (
      await engine.execute(
        select(users.c.id, users.c.score.div(4).label("byBound"), users.c.score.div(users.c.id).label("byColumn"))
          .where(users.c.id.in([2, 4]))
          .orderBy(users.c.id),
      )
    ).all();
    expect(rows).toEqual([
      { id: 2, byBound: 5, byColumn: 10 },
      { id: 4, byBound: 10, byColumn: 10 },
    ]);
    const odd = (
      await engine.execute(
        select(users.c.score.div(3).label("byBound"), users.c.score.div(users.c.managerId).label("byColumn")).where(
          users.c.id.eq(5),
        ),
      )
    ).one();
    // eve: 50 / 3 and 50 / 4 (her manager is dan, id 4)
    expect(odd.byBound).toBeCloseTo(50 / 3, 10);
    expect(odd.byColumn).toBe(12.5);
  });

  it("orderBy asc / desc with nullsFirst / nullsLast puts NULL where asked", async () => {
    const ordered = async (ordering: Ordering) =>
      (await engine.execute(select(users.c.name).orderBy(ordering, users.c.id))).scalars().all();
    expect(await ordered(users.c.score.asc().nullsFirst())).toEqual(["cat", "ann", "bob", "dan", "eve"]);
    expect(await ordered(users.c.score.asc().nullsLast())).toEqual(["ann", "bob", "dan", "eve", "cat"]);
    expect(await ordered(users.c.score.desc().nullsFirst())).toEqual(["cat", "eve", "dan", "bob", "ann"]);
    expect(await ordered(users.c.score.desc().nullsLast())).toEqual(["eve", "dan", "bob", "ann", "cat"]);
    const desc = (await engine.execute(select(users.c.name).where(users.c.score.isNotNull()).orderBy(users.c.score.desc())))
      .scalars()
      .all();
    expect(desc).toEqual(["eve", "dan", "bob", "ann"]);
    const asc = (await engine.execute(select(users.c.name).where(users.c.score.isNotNull()).orderBy(users.c.score.asc())))
      .scalars()
      .all();
    expect(asc).toEqual(["ann", "bob", "dan", "eve"]);
    // Two keys: organization descending, then name ascending.
    const twoKeys = (
      await engine.execute(
        select(users.c.name).where(users.c.organizationId.isNotNull()).orderBy(users.c.organizationId.desc(), users.c.name),
      )
    )
      .scalars()
      .all();
    expect(twoKeys).toEqual(["cat", "dan", "ann", "bob"]);
  });

  it("limit / offset, including an offset without a limit and limit(0)", async () => {
    const base = select(users.c.name).orderBy(users.c.id);
    expect((await engine.execute(base.limit(2))).scalars().all()).toEqual(["ann", "bob"]);
    expect((await engine.execute(base.limit(2).offset(1))).scalars().all()).toEqual(["bob", "cat"]);
    expect((await engine.execute(base.offset(3))).scalars().all()).toEqual(["dan", "eve"]);
    expect((await engine.execute(base.limit(0))).scalars().all()).toEqual([]);
    expect((await engine.execute(base.offset(10))).scalars().all()).toEqual([]);
    expect((await engine.execute(base.limit(10).offset(4))).scalars().all()).toEqual(["eve"]);
  });

  it("groupBy / having / distinct", async () => {
    const grouped = (
      await engine.execute(
        select(posts.c.userId, func.count().label("n"))
          .groupBy(posts.c.userId)
          .having(func.count().gt(1))
          .orderBy(posts.c.userId),
      )
    ).all();
    expect(grouped).toEqual([{ userId: 1, n: 2 }]);

    const byOrg = (
      await engine.execute(
        select(users.c.organizationId, func.sum(users.c.score).label("total"))
          .where(users.c.organizationId.isNotNull())
          .groupBy(users.c.organizationId)
          .having(func.sum(users.c.score).ge(30))
          .orderBy(users.c.organizationId),
      )
    ).all();
    expect(byOrg).toEqual([
      { organizationId: 1, total: 30 },
      { organizationId: 2, total: 40 },
    ]);

    const distinctOrgs = (
      await engine.execute(
        select(users.c.organizationId).distinct().where(users.c.organizationId.isNotNull()).orderBy(users.c.organizationId),
      )
    )
      .scalars()
      .all();
    expect(distinctOrgs).toEqual([1, 2]);
    const distinctManagers = (await engine.execute(select(users.c.managerId).distinct())).scalars().all();
    expect(distinctManagers.length).toBe(4); // null, 1, 2, 4
    expect(distinctManagers.filter((m) => m !== null).sort()).toEqual([1, 2, 4]);
  });

  it("forUpdate runs inside a transaction (ignored where there are no row locks)", async () => {
    const rows = await engine.begin(async (conn) =>
      (await conn.execute(select(users.c.name).where(users.c.id.le(2)).orderBy(users.c.id).forUpdate())).scalars().all(),
    );
    expect(rows).toEqual(["ann", "bob"]);
    const shared = await engine.begin(async (conn) =>
      (await conn.execute(select(users.c.name).where(users.c.id.eq(3)).forUpdate({ read: true }))).scalars().all(),
    );
    expect(shared).toEqual(["cat"]);
    const sql = engine.dialect.compiler.compile(select(users.c.id).forUpdate().node).compiled.sql;
    expect(sql.includes("FOR UPDATE")).toBe(engine.dialect.capabilities.rowLocking);
  });

  it("insert: single row, multi-row, fromSelect", async () => {
    await rolledBack(async (conn) => {
      await conn.execute(insert(organizations).values({ id: 10, name: "Hooli", country: "US" }));
      const multi = await conn.execute(
        insert(organizations).values([
          { id: 11, name: "Umbrella", country: null },
          { id: 12, name: "Wonka", country: "GB" },
        ]),
      );
      expect(multi.rowsAffected).toBe(2);
      const rows = (await conn.execute(select(organizations).where(organizations.c.id.ge(10)).orderBy(organizations.c.id))).all();
      expect(rows).toEqual([
        { id: 10, name: "Hooli", country: "US" },
        { id: 11, name: "Umbrella", country: null },
        { id: 12, name: "Wonka", country: "GB" },
      ]);

      const copied = await conn.execute(
        insert(postArchive).fromSelect(["id", "title"], select(posts.c.id, posts.c.title).where(posts.c.views.gt(20))),
      );
      expect(copied.rowsAffected).toBe(3);
      expect(byId((await conn.execute(select(postArchive))).all())).toEqual([
        { id: 1, title: "First" },
        { id: 2, title: "Second" },
        { id: 4, title: "Fourth" },
      ]);
    });
  });

  it("insert … returning (where the database has it), with server and client defaults filled in", async () => {
    await rolledBack(async (conn) => {
      const returningColumns = [items.c.id, items.c.code, items.c.qty, items.c.status, items.c.note, items.c.token] as const;
      const first = insert(items).values({ code: "r1" }).returning(...returningColumns);
      const second = insert(items)
        .values([
          { code: "r2", qty: 7, status: "used", note: "mine", token: "given" },
          { code: "r3", qty: 8, status: "done", note: null, token: "other" },
        ])
        .returning(...returningColumns);
      if (!engine.dialect.capabilities.insertReturning) {
        await expect(conn.execute(first)).rejects.toBeInstanceOf(NotSupportedFeatureError);
        return;
      }
      const returned = [...(await conn.execute(first)).all(), ...(await conn.execute(second)).all()];
      expect(returned.map(({ id: _id, token, ...rest }) => ({ ...rest, token: token?.startsWith("tok-") ? "tok-*" : token }))).toEqual([
        { code: "r1", qty: 0, status: "new", note: "hello", token: "tok-*" },
        { code: "r2", qty: 7, status: "used", note: "mine", token: "given" },
        { code: "r3", qty: 8, status: "done", note: null, token: "other" },
      ]);
      const ids = returned.map((r) => r.id);
      expect(ids.every((id) => Number.isInteger(id))).toBe(true);
      expect(new Set(ids).size).toBe(3);
      const stored = (await conn.execute(select(items.c.id, items.c.code).where(items.c.id.in(ids)).orderBy(items.c.code))).all();
      expect(stored).toEqual(returned.map((r) => ({ id: r.id, code: r.code })));
    });
  });

  it("server defaults and client defaults (a value and a function) fill the columns an INSERT omits", async () => {
    await rolledBack(async (conn) => {
      const before = tokenCounter;
      await conn.execute(insert(items).values({ code: "d1" }));
      await conn.execute(insert(items).values([{ code: "d2", qty: 3 }, { code: "d3", qty: 4 }]));
      const rows = (
        await conn.execute(
          select(items.c.code, items.c.qty, items.c.status, items.c.note, items.c.token, items.c.createdAt)
            .where(items.c.code.in(["d1", "d2", "d3"]))
            .orderBy(items.c.code),
        )
      ).all();
      expect(rows.map(({ createdAt: _c, ...rest }) => rest)).toEqual([
        { code: "d1", qty: 0, status: "new", note: "hello", token: `tok-${before + 1}` },
        { code: "d2", qty: 3, status: "new", note: "hello", token: `tok-${before + 2}` },
        { code: "d3", qty: 4, status: "new", note: "hello", token: `tok-${before + 3}` },
      ]);
      for (const row of rows) {
        expect(row.createdAt).toBeInstanceOf(Date);
        expect(Number.isNaN(row.createdAt?.getTime())).toBe(false);
      }
    });
  });

  it("an INSERT naming no column gives every column its default (DEFAULT VALUES)", async () => {
    await rolledBack(async (conn) => {
      await conn.execute(insert(counters).values({}));
      await conn.execute(insert(counters).values({ hits: 5 }));
      const rows = (await conn.execute(select(counters.c.hits, counters.c.label).orderBy(counters.c.id))).all();
      expect(rows).toEqual([
        { hits: 0, label: "none" },
        { hits: 5, label: "none" },
      ]);
      if (engine.dialect.capabilities.insertReturning) {
        const returned = (await conn.execute(insert(counters).values({}).returning(counters.c.id, counters.c.hits))).one();
        expect(returned.hits).toBe(0);
        expect(Number.isInteger(returned.id)).toBe(true);
      }
    });
  });

  it("upsert: ON CONFLICT DO NOTHING / DO UPDATE with excluded(), or ON DUPLICATE KEY UPDATE", async () => {
    await rolledBack(async (conn) => {
      await conn.execute(insert(items).values({ code: "u1", qty: 1, note: "first" }));
      const row = async () =>
        (await conn.execute(select(items.c.code, items.c.qty, items.c.note).where(items.c.code.eq("u1")))).all();

      if (engine.dialect.capabilities.upsert === "on-conflict") {
        await conn.execute(insert(items).values({ code: "u1", qty: 5, note: "second" }).onConflictDoNothing({ indexElements: ["code"] }));
        expect(await row()).toEqual([{ code: "u1", qty: 1, note: "first" }]);
        await conn.execute(insert(items).values({ code: "u1", qty: 5, note: "second" }).onConflictDoNothing());
        expect(await row()).toEqual([{ code: "u1", qty: 1, note: "first" }]);

        await conn.execute(
          insert(items)
            .values({ code: "u1", qty: 5, note: "second" })
            .onConflictDoUpdate({ indexElements: ["code"], set: { qty: excluded(items.c.qty), note: excluded(items.c.note) } }),
        );
        expect(await row()).toEqual([{ code: "u1", qty: 5, note: "second" }]);

        // SET from the existing row and the proposed one; a WHERE that refuses the update.
        await conn.execute(
          insert(items)
            .values({ code: "u1", qty: 5 })
            .onConflictDoUpdate({ indexElements: ["code"], set: { qty: items.c.qty.add(excluded(items.c.qty)) } }),
        );
        expect(await row()).toEqual([{ code: "u1", qty: 10, note: "second" }]);
        await conn.execute(
          insert(items)
            .values({ code: "u1", qty: 99 })
            .onConflictDoUpdate({ indexElements: ["code"], set: { qty: excluded(items.c.qty) }, where: items.c.qty.gt(100) }),
        );
        expect(await row()).toEqual([{ code: "u1", qty: 10, note: "second" }]);

        // A row without a conflict is simply inserted.
        await conn.execute(
          insert(items)
            .values({ code: "u2", qty: 2 })
            .onConflictDoUpdate({ indexElements: ["code"], set: { qty: excluded(items.c.qty) } }),
        );
        expect((await conn.execute(select(items.c.qty).where(items.c.code.eq("u2")))).scalarOne()).toBe(2);
        expect(() => engine.dialect.compiler.compile(insert(items).values({ code: "x" }).onDuplicateKeyUpdate({ qty: 1 }).node)).toThrow(
          NotSupportedFeatureError,
        );
      } else {
        await conn.execute(
          insert(items)
            .values({ code: "u1", qty: 5, note: "second" })
            .onDuplicateKeyUpdate({ qty: excluded(items.c.qty), note: excluded(items.c.note) }),
        );
        expect(await row()).toEqual([{ code: "u1", qty: 5, note: "second" }]);
        await conn.execute(insert(items).values({ code: "u1", qty: 5 }).onDuplicateKeyUpdate({ qty: items.c.qty.add(excluded(items.c.qty)) }));
        expect(await row()).toEqual([{ code: "u1", qty: 10, note: "second" }]);
        await conn.execute(insert(items).values({ code: "u2", qty: 2 }).onDuplicateKeyUpdate({ qty: excluded(items.c.qty) }));
        expect((await conn.execute(select(items.c.qty).where(items.c.code.eq("u2")))).scalarOne()).toBe(2);
        expect(() =>
          engine.dialect.compiler.compile(insert(items).values({ code: "x" }).onConflictDoNothing({ indexElements: ["code"] }).node),
        ).toThrow(NotSupportedFeatureError);
      }
      expect((await conn.execute(select(func.count()).where(items.c.code.in(["u1", "u2"])))).scalarOne()).toBe(2);
    });
  });

  it("update and delete with WHERE, and RETURNING where the database has it", async () => {
    await rolledBack(async (conn) => {
      const updated = await conn.execute(update(users).values({ score: 99 }).where(users.c.id.eq(3)));
      expect(updated.rowsAffected).toBe(1);
      const bumped = await conn.execute(update(users).values({ score: users.c.score.add(1) }).where(users.c.score.lt(30)));
      expect(bumped.rowsAffected).toBe(2);
      expect((await conn.execute(select(users.c.id, users.c.score).orderBy(users.c.id))).all()).toEqual([
        { id: 1, score: 11 },
        { id: 2, score: 21 },
        { id: 3, score: 99 },
        { id: 4, score: 40 },
        { id: 5, score: 50 },
      ]);

      const returningUpdate = update(users).values({ name: "EVE" }).where(users.c.id.eq(5)).returning(users.c.id, users.c.name);
      if (engine.dialect.capabilities.updateReturning) {
        expect((await conn.execute(returningUpdate)).all()).toEqual([{ id: 5, name: "EVE" }]);
      } else {
        await expect(conn.execute(returningUpdate)).rejects.toBeInstanceOf(NotSupportedFeatureError);
      }

      const deleted = await conn.execute(delete_(posts).where(posts.c.views.lt(30)));
      expect(deleted.rowsAffected).toBe(2);
      expect((await conn.execute(select(posts.c.id).orderBy(posts.c.id))).scalars().all()).toEqual([1, 2]);

      const returningDelete = delete_(posts).where(posts.c.id.eq(2)).returning(posts.c.id, posts.c.title);
      if (engine.dialect.capabilities.deleteReturning) {
        expect((await conn.execute(returningDelete)).all()).toEqual([{ id: 2, title: "Second" }]);
        expect((await conn.execute(select(posts.c.id))).scalars().all()).toEqual([1]);
      } else {
        await expect(conn.execute(returningDelete)).rejects.toBeInstanceOf(NotSupportedFeatureError);
      }
    });
    // The rollback left the seed as it was.
    expect((await engine.execute(select(users).orderBy(users.c.id))).all()).toEqual(USERS);
    expect((await engine.execute(select(posts).orderBy(posts.c.id))).all()).toEqual(POSTS);
  });

  it("a correlated subquery in an UPDATE's SET and WHERE, and in a DELETE's WHERE", async () => {
    await rolledBack(async (conn) => {
      const postCount = select(func.count()).where(posts.c.userId.eq(users.c.id)).scalarSubquery();
      const result = await conn.execute(
        update(users)
          .values({ score: postCount })
          .where(exists(select(posts.c.id).where(posts.c.userId.eq(users.c.id)))),
      );
      expect(result.rowsAffected).toBe(3);
      expect((await conn.execute(select(users.c.id, users.c.score).orderBy(users.c.id))).all()).toEqual([
        { id: 1, score: 2 },
        { id: 2, score: 1 },
        { id: 3, score: null },
        { id: 4, score: 1 },
        { id: 5, score: 50 },
      ]);

      const topViews = select(func.max(posts.c.views)).where(posts.c.userId.eq(users.c.id)).scalarSubquery();
      await conn.execute(update(users).values({ score: topViews }).where(users.c.id.in(select(posts.c.userId).where(posts.c.views.ge(25)))));
      expect((await conn.execute(select(users.c.id, users.c.score).orderBy(users.c.id))).all()).toEqual([
        { id: 1, score: 100 },
        { id: 2, score: 1 },
        { id: 3, score: null },
        { id: 4, score: 25 },
        { id: 5, score: 50 },
      ]);

      const gone = await conn.execute(
        delete_(posts).where(exists(select(users.c.id).where(users.c.id.eq(posts.c.userId), users.c.name.eq("ann")))),
      );
      expect(gone.rowsAffected).toBe(2);
      expect((await conn.execute(select(posts.c.id).orderBy(posts.c.id))).scalars().all()).toEqual([3, 4]);
    });
  });

  it("text() with named parameters, bound at bindparams() or at execute", async () => {
    const query = text(`SELECT name FROM ${P}users WHERE id = :id OR name = :name ORDER BY id`);
    const rows = (await engine.execute(query.bindparams({ id: 1, name: "dan" }))).all();
    expect(rows).toEqual([{ name: "ann" }, { name: "dan" }]);
    expect((await engine.execute(query, { id: 2, name: "eve" })).all()).toEqual([{ name: "bob" }, { name: "eve" }]);
    // The same parameter twice, and typed result columns.
    const twice = text(`SELECT id, name FROM ${P}users WHERE id = :id OR manager_id = :id ORDER BY id`).columns(users.c.id, users.c.name);
    expect((await engine.execute(twice, { id: 2 })).all()).toEqual([
      { id: 2, name: "bob" },
      { id: 4, name: "dan" },
    ]);
    // A colon inside a string literal is not a parameter.
    const colons = text(`SELECT name, 'at 10:30 or :id' AS quoted FROM ${P}users WHERE id = :id`);
    expect((await engine.execute(colons, { id: 3 })).all()).toEqual([{ name: "cat", quoted: "at 10:30 or :id" }]);
    // DML through text().
    await rolledBack(async (conn) => {
      const changed = await conn.execute(text(`UPDATE ${P}users SET score = :score WHERE id = :id`), { score: 7, id: 3 });
      expect(changed.rowsAffected).toBe(1);
      expect((await conn.execute(select(users.c.score).where(users.c.id.eq(3)))).scalarOne()).toBe(7);
    });
  });

  it("a composite primary key: insert, duplicate refused, update and delete by the whole key", async () => {
    await rolledBack(async (conn) => {
      await conn.execute(
        insert(memberships).values([
          { userId: 1, organizationId: 1, role: "owner" },
          { userId: 1, organizationId: 2, role: "guest" },
          { userId: 2, organizationId: 1, role: "member" },
        ]),
      );
      const sp = await conn.beginNested();
      await expect(conn.execute(insert(memberships).values({ userId: 1, organizationId: 2, role: "again" }))).rejects.toBeInstanceOf(
        IntegrityError,
      );
      await sp.rollback();
      await conn.execute(
        update(memberships)
          .values({ role: "admin" })
          .where(memberships.c.userId.eq(1), memberships.c.organizationId.eq(2)),
      );
      await conn.execute(delete_(memberships).where(memberships.c.userId.eq(2), memberships.c.organizationId.eq(1)));
      const rows = (
        await conn.execute(select(memberships).orderBy(memberships.c.userId, memberships.c.organizationId))
      ).all();
      expect(rows).toEqual([
        { userId: 1, organizationId: 1, role: "owner" },
        { userId: 1, organizationId: 2, role: "admin" },
      ]);
    });
  });
});
