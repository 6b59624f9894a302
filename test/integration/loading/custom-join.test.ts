import { beforeAll, expect, it } from "vitest";
import { ArgumentError, and, Integer, StringType, declarativeBase, insert, joinedload, mappedColumn, relationship, select, selectinload, subqueryload } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { Account, CustomJoinBase, Entry, Person, follows } from "../../fixtures/loading-models/custom-joins.ts";
import { loaded, shapes } from "./loading-support.ts";


/**
 * Relationships declared with `primaryjoin` (and `secondaryjoin`) where foreign keys do not say
 * the join: every strategy joins on the condition's columns, and a flush writes the referencing
 * column from the referenced one.
 */
describeEachSessionKind("loading: primaryjoin / secondaryjoin", (db) => {
  const ctx = useSessionDatabase(db, "loading_custom_join", CustomJoinBase.metadata);

  beforeAll(async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    session.addAll([new Account({ id: 1, code: "A-1" }), new Account({ id: 2, code: "B-2" }), new Account({ id: 3, code: "C-3" })]);
    session.addAll([
      new Entry({ id: 1, amount: 10, accountCode: "A-1" }),
      new Entry({ id: 2, amount: 20, accountCode: "A-1" }),
      new Entry({ id: 3, amount: 30, accountCode: "B-2" }),
      new Entry({ id: 4, amount: 40, accountCode: null }),
    ]);
    session.addAll([new Person({ id: 1, name: "ann" }), new Person({ id: 2, name: "bob" }), new Person({ id: 3, name: "cid" })]);
    await session.flush();
    const conn = await session.connection();
    await conn.execute(insert(follows).values([{ followerId: 1, followedId: 2 }, { followerId: 1, followedId: 3 }, { followerId: 2, followedId: 3 }]));
    await session.commit();
  });

  const amounts = (accounts: readonly Account[]) => accounts.map((a) => loaded(a.entries).map((e) => e.amount));

  it("selectin: the IN statement keys on the condition's column (account_code), bound with the accounts' codes", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: accounts, statements } = await recorder.during(async () =>
      (await session.scalars(select(Account).options(selectinload(Account.entries)).orderBy(Account.id.asc()))).all(),
    );
    // As SQLAlchemy's selectin of a one-to-many: the key column first, to group the children by
    // parent, and not again among the entity's columns.
    expect(shapes(statements)[1]).toBe(
      'SELECT "cj_entries"."account_code", "cj_entries"."id", "cj_entries"."amount" FROM "cj_entries" WHERE "cj_entries"."account_code" IN (?, ?, ?) ORDER BY "cj_entries"."id" ASC',
    );
    expect(statements[1]?.params).toEqual(["A-1", "B-2", "C-3"]);
    expect(amounts(accounts)).toEqual([[10, 20], [30], []]);
  });

  it("joined: LEFT OUTER JOIN … ON entries.account_code = accounts.code", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: accounts, statements } = await recorder.during(async () =>
      (await session.execute(select(Account).options(joinedload(Account.entries)).orderBy(Account.id.asc()))).unique().scalars().all(),
    );
    expect(statements).toHaveLength(1);
    expect(shapes(statements)[0]).toContain('LEFT OUTER JOIN "cj_entries" AS "cj_entries_1" ON "cj_entries_1"."account_code" = "cj_accounts"."code"');
    expect(amounts(accounts)).toEqual([[10, 20], [30], []]);
  });

  it("subquery: the parents' codes from a subquery of the first statement", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: accounts, statements } = await recorder.during(async () =>
      (await session.scalars(select(Account).options(subqueryload(Account.entries)).orderBy(Account.id.asc()))).all(),
    );
    expect(statements).toHaveLength(2);
    expect(shapes(statements)[1]).toContain('SELECT DISTINCT "cj_accounts"."code" AS "cj_accounts_code" FROM "cj_accounts"');
    expect(shapes(statements)[1]).toContain('"cj_entries"."account_code" = "anon_1"."cj_accounts_code"');
    expect(amounts(accounts)).toEqual([[10, 20], [30], []]);
  });

  it("many-to-one on a column that is not the key: loaded by SQL on code (no identity-map shortcut), NULL reads as null", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const entries = (await session.scalars(select(Entry).orderBy(Entry.id.asc()))).all();
    await session.get(Account, 1); // in the identity map, but not by code: a load still needs SQL
    recorder.clear();
    const { value: account, statements } = await recorder.during(() => (entries[0] as Entry).awaitableAttrs.account);
    expect(account?.id).toBe(1);
    expect(shapes(statements)).toEqual(['SELECT "cj_accounts"."id", "cj_accounts"."code" FROM "cj_accounts" WHERE "cj_accounts"."code" = ?']);
    expect(statements[0]?.params).toEqual(["A-1"]);
    expect(await (entries[3] as Entry).awaitableAttrs.account).toBeNull();
  });

  it("flush: an entry appended to an account's collection gets the account's code; moved to another, the other's", async () => {
    await using session = ctx.openSession();
    const [a, c] = (await session.scalars(select(Account).options(selectinload(Account.entries)).where(Account.id.in([1, 3])).orderBy(Account.id.asc()))).all();
    const entry = new Entry({ id: 50, amount: 500 });
    loaded((a as Account).entries).push(entry);
    await session.flush();
    expect(entry.accountCode).toBe("A-1");
    entry.account = c as Account;
    await session.flush();
    expect(entry.accountCode).toBe("C-3");
    const conn = await session.connection();
    const rows = (await conn.execute(select(Entry.accountCode).where(Entry.id.eq(50)))).all();
    expect(rows.map((r) => r.accountCode)).toEqual(["C-3"]);
    await session.rollback();
  });

  it("many-to-many through two keys to one table: following and followers, selectin and joined", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: people, statements } = await recorder.during(async () =>
      (await session.scalars(select(Person).options(selectinload(Person.following), selectinload(Person.followers)).orderBy(Person.id.asc()))).all(),
    );
    expect(shapes(statements)[1]).toBe(
      'SELECT "cj_follows"."follower_id", "cj_people"."id", "cj_people"."name" FROM "cj_people" JOIN "cj_follows" ON "cj_people"."id" = "cj_follows"."followed_id" WHERE "cj_follows"."follower_id" IN (?, ?, ?) ORDER BY "cj_people"."id" ASC',
    );
    const names = (list: readonly Person[]) => list.map((p) => p.name);
    expect(people.map((p) => names(p.following))).toEqual([["bob", "cid"], ["cid"], []]);
    expect(people.map((p) => names(p.followers))).toEqual([[], ["ann"], ["ann", "bob"]]);

    await session.close(); // a fresh identity map for the joined load
    const joined = (await session.execute(select(Person).options(joinedload(Person.followers)).orderBy(Person.id.asc()))).unique().scalars().all();
    expect(joined.map((p) => names(p.followers))).toEqual([[], ["ann"], ["ann", "bob"]]);
  });

  it("a many-to-many append writes the association row with the condition's columns", async () => {
    await using session = ctx.openSession();
    const [ann, , cid] = (await session.scalars(select(Person).options(selectinload(Person.followers)).orderBy(Person.id.asc()))).all();
    loaded((ann as Person).followers).push(cid as Person);
    await session.flush();
    const conn = await session.connection();
    const rows = (await conn.execute(select(follows.c.followerId, follows.c.followedId).where(follows.c.followedId.eq(1)))).all();
    expect(rows.map((r) => [r.followerId, r.followedId])).toEqual([[3, 1]]);
    await session.rollback();
  });
});

describeEachSessionKind("primaryjoin: refused conditions", () => {
  it("a term other than an equality of the two tables' columns is refused, pointing to criteria on the query", () => {
    const Base = declarativeBase();
    class Box extends Base.model("cj_boxes", {
      id: mappedColumn(Integer, { primaryKey: true }),
      label: mappedColumn(StringType(10)),
      items: relationship<Item[]>("Item", { primaryjoin: (): never => and(Box.id.eq(Item.boxId), Item.name.eq("x")) as never, foreignKeys: ["boxId"] }),
    }) {}
    class Item extends Base.model("cj_items", {
      id: mappedColumn(Integer, { primaryKey: true }),
      name: mappedColumn(StringType(10)),
      boxId: mappedColumn(Integer),
    }) {}
    Base.register(Box, Item);
    expect(() => select(Box).join(Box.items)).toThrow(ArgumentError);
    expect(() => select(Box).join(Box.items)).toThrow(/primaryjoin may only equate columns .* join\(Parent\.children\.and\(criteria\)\)/);
  });

  it("without foreignKeys or a ForeignKey, the direction cannot be told: an error naming both columns", () => {
    const Base = declarativeBase();
    class Shelf extends Base.model("cj_shelves", {
      id: mappedColumn(Integer, { primaryKey: true }),
      books: relationship<Book[]>("Book", { primaryjoin: (): never => Shelf.id.eq(Book.shelfId) as never }),
    }) {}
    class Book extends Base.model("cj_books", {
      id: mappedColumn(Integer, { primaryKey: true }),
      shelfId: mappedColumn(Integer, { name: "shelf_id" }),
    }) {}
    Base.register(Shelf, Book);
    expect(() => select(Shelf).join(Shelf.books)).toThrow(/neither of cj_shelves\.id and cj_books\.shelf_id hold a foreign key.*foreignKeys/);
  });
});
