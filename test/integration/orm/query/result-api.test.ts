/**
 * Issue 12 item 5, "Result API parity", on every database: ORM rows read by key as SQLAlchemy's
 * (`row.User`, `row.name`), `mappings()` and `tuples()` of ORM results, and when a result that was
 * read answers with nothing (read to its end) or raises ResourceClosedError (closed).
 */
import { beforeAll, expect, it } from "vitest";
import { ResourceClosedError, insert, joinedload, select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { LoadingBase, Organization, Tag, User } from "../../../fixtures/loading-models/blog.ts";
import { seedBlog } from "../../loading/loading-support.ts";

/** A row read by key (the keys are runtime names: an entity's class name is not in its type). */
type Keyed = Record<string, unknown>;

describeEachSessionKind("ORM result API", (db) => {
  const ctx = useSessionDatabase(db, "orm_result_api", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("select(User, Organization): rows destructure as tuples and read by class name", async () => {
    await using session = ctx.openSession();
    const result = await session.execute(select(User, Organization).join(User.organization).orderBy(User.id));
    expect(result.keys()).toEqual(["User", "Organization"]);
    const rows = result.all();
    expect(rows).toHaveLength(3);
    const [user, organization] = rows[0] as [User, Organization];
    expect([user.name, organization.name]).toEqual(["ann", "acme"]);
    const keyed = rows[2] as unknown as Keyed;
    expect(keyed.User).toBe(rows[2]?.[0]);
    expect(keyed.Organization).toBe(rows[2]?.[1]);
    expect((keyed.User as User).name).toBe("cid");
    expect(rows.map((row) => row.length)).toEqual([3, 3, 3].map(() => 2));
  });

  it("select(User, User.name, Organization.name): columns by key, a repeated key as name_1", async () => {
    await using session = ctx.openSession();
    const result = await session.execute(select(User, User.name, Organization.name).join(User.organization).where(User.id.eq(1)));
    expect(result.keys()).toEqual(["User", "name", "name_1"]);
    const row = result.one();
    const keyed = row as unknown as Keyed;
    expect([keyed.name, keyed.name_1]).toEqual(["ann", "acme"]);
    expect(keyed.User).toBe(row[0]);
  });

  it("select(User): one-element rows read by class name; scalars() the instances", async () => {
    await using session = ctx.openSession();
    const rows = (await session.execute(select(User).orderBy(User.id))).all();
    expect(rows.map((row) => ((row as unknown as Keyed).User as User).name)).toEqual(["ann", "bob", "cid", "dee"]);
    const [first] = rows[0] as [User];
    expect(first.id).toBe(1);
  });

  it("mappings(): ORM rows as objects keyed as SQLAlchemy keys them, with fetchone, fetchmany and partitions", async () => {
    await using session = ctx.openSession();
    const mappings = (await session.execute(select(User, User.email).orderBy(User.id))).mappings();
    expect(mappings.keys()).toEqual(["User", "email"]);
    const first = mappings.fetchone();
    expect(Object.keys(first ?? {})).toEqual(["User", "email"]);
    expect((first?.User as User).name).toBe("ann");
    expect(first?.email).toBe("ann@acme");
    expect(mappings.fetchmany(2).map((m) => m.email)).toEqual(["bob@acme", "cid@globex"]);
    expect([...mappings.partitions(5)].map((part) => part.map((m) => (m.User as User).id))).toEqual([[4]]);
    expect(mappings.fetchone()).toBeNull();
    const single = (await session.execute(select(Organization).where(Organization.id.eq(2)))).mappings().one();
    expect((single.Organization as Organization).name).toBe("globex");
  });

  it("tuples(): the same rows, typed as tuples", async () => {
    await using session = ctx.openSession();
    const result = await session.execute(select(User, User.name).orderBy(User.id).limit(2));
    const tuples = result.tuples();
    expect(tuples).toBe(result);
    expect(tuples.all().map(([user, name]) => [user.id, name])).toEqual([
      [1, "ann"],
      [2, "bob"],
    ]);
  });

  it("read to its end: all() again, fetchmany(), fetchone() and iteration give nothing; the result is not closed", async () => {
    await using session = ctx.openSession();
    const result = await session.execute(select(User, Organization).join(User.organization));
    expect(result.all()).toHaveLength(3);
    expect(result.all()).toEqual([]);
    expect(result.fetchmany(2)).toEqual([]);
    expect(result.fetchone()).toBeNull();
    expect([...result]).toEqual([]);
    expect(result.closed).toBe(false);
    const scalars = (await session.execute(select(Tag))).scalars();
    expect(scalars.all()).toHaveLength(3);
    expect(scalars.all()).toEqual([]);
    const core = await session.execute(select(User.id, User.name));
    expect(core.all()).toHaveLength(4);
    expect(core.all()).toEqual([]);
    expect(core.closed).toBe(false);
  });

  it("first(), one(), scalar() and friends close the result: further fetches raise ResourceClosedError", async () => {
    await using session = ctx.openSession();
    const result = await session.execute(select(User).orderBy(User.id));
    expect(result.scalars().first()?.name).toBe("ann");
    expect(result.closed).toBe(true);
    expect(() => result.all()).toThrow(ResourceClosedError);
    expect(() => result.fetchone()).toThrow("This result object is closed.");
    const one = await session.execute(select(User, Organization).join(User.organization).where(User.id.eq(2)));
    expect((one.one()[0] as User).name).toBe("bob");
    expect(() => one.first()).toThrow(ResourceClosedError);
    const scalar = await session.execute(select(User.name).where(User.id.eq(3)));
    expect(scalar.scalarOne()).toBe("cid");
    expect(() => scalar.mappings().all()).toThrow(ResourceClosedError);
    const closed = await session.execute(select(User.id).orderBy(User.id));
    expect(closed.fetchone()).toEqual({ id: 1 });
    closed.close();
    expect(() => closed.fetchmany(1)).toThrow(ResourceClosedError);
  });

  it("a joined eager collection: unique() carries into scalars() and mappings()", async () => {
    await using session = ctx.openSession();
    const statement = select(User).options(joinedload(User.posts)).orderBy(User.id);
    const users = (await session.execute(statement)).unique().scalars().all();
    expect(users.map((u) => u.name)).toEqual(["ann", "bob", "cid", "dee"]);
    const mapped = (await session.execute(statement)).unique().mappings().all();
    expect(mapped.map((m) => (m.User as User).name)).toEqual(["ann", "bob", "cid", "dee"]);
  });

  it("RETURNING rows read by key too: returning(User.name, User) → name, User", async ({ skip }) => {
    if (!ctx.engine.dialect.capabilities.insertReturning) skip("this database has no INSERT … RETURNING");
    await using session = ctx.openSession();
    const result = await session.execute(insert(User).returning(User.name, User), [{ id: 50, name: "eve", email: null, bio: null, organizationId: null }]);
    expect(result.keys()).toEqual(["name", "User"]);
    const row = result.one();
    expect((row as unknown as Keyed).name).toBe("eve");
    expect((row as unknown as Keyed).User).toBe(row[1]);
    await session.rollback();
  });
});
