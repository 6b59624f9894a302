/**
 * Horizontal sharding on the scale-out kit's two independent shard clusters (TEST_PG_SHARD_URLS),
 * with SQLAlchemy's horizontal_shard semantics: a new object goes where shardChooser says, get()
 * looks in identityChooser's shards, a select runs on executeChooser's shards with the rows
 * concatenated, the shard is part of the identity, and an instance's relationships and expired
 * attributes load from its own shard.
 */
import { beforeEach, describe, expect, it } from "vitest";
import {
  type AsyncEngine,
  ForeignKey,
  Integer,
  InvalidRequestError,
  ShardedSession,
  StringType,
  declarativeBase,
  inspect,
  joinedload,
  mappedColumn,
  relationship,
  select,
  selectinload,
  text,
} from "../../../src/index.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";
import { shardDatabases } from "../../support/scaleout.ts";
import { StatementRecorder } from "../../support/statements.ts";

const ShardBase = declarativeBase();

class Customer extends ShardBase.model("customers", {
  id: mappedColumn(Integer, { primaryKey: true, autoincrement: false }),
  region: mappedColumn(StringType(10), { nullable: false }),
  name: mappedColumn(StringType(30), { nullable: false }),
  orders: relationship<Order[]>("Order", { backPopulates: "customer", orderBy: ["id"] }),
}) {}

class Order extends ShardBase.model("orders", {
  id: mappedColumn(Integer, { primaryKey: true, autoincrement: false }),
  customerId: mappedColumn(Integer, ForeignKey("customers.id"), { name: "customer_id", nullable: false }),
  item: mappedColumn(StringType(30), { nullable: false }),
  customer: relationship<Customer>("Customer", { backPopulates: "orders" }),
}) {}

ShardBase.register(Customer, Order);

const shards = shardDatabases();

describe.skipIf(!shards)("horizontal sharding (two shard clusters)", () => {
  const east = useIsolatedDatabase(shards?.[0] ?? { name: "postgresql", url: "" }, "sharding", ShardBase.metadata);
  const west = useIsolatedDatabase(shards?.[1] ?? { name: "postgresql", url: "" }, "sharding", ShardBase.metadata);
  let onEast: StatementRecorder;
  let onWest: StatementRecorder;

  const regionOf = (object: object): string => (object instanceof Order ? (object.customer as Customer).region : (object as Customer).region);
  const sharded = () =>
    new ShardedSession({
      shards: { east: east.engine, west: west.engine },
      shardChooser: (_model, object) => regionOf(object),
      identityChooser: () => ["east", "west"],
      executeChooser: () => ["east", "west"],
    });
  const count = async (engine: AsyncEngine, table: string) => Number((await engine.execute(text(`SELECT count(*) AS n FROM ${table}`))).scalar());

  beforeEach(async () => {
    await east.reset();
    await west.reset();
    // The same primary keys on both shards: only the shard tells the rows apart.
    await using session = sharded();
    session.addAll([
      new Customer({ id: 1, region: "east", name: "ann", orders: [new Order({ id: 1, item: "east-1a" }), new Order({ id: 2, item: "east-1b" })] }),
      new Customer({ id: 2, region: "east", name: "bob", orders: [] }),
      new Customer({ id: 1, region: "west", name: "wes", orders: [new Order({ id: 1, item: "west-1a" })] }),
    ]);
    await session.commit();
    onEast?.stop();
    onWest?.stop();
    onEast = new StatementRecorder(east.engine);
    onWest = new StatementRecorder(west.engine);
  });

  it("a flush writes each new object on the shard the chooser names", async () => {
    expect([await count(east.engine, "customers"), await count(east.engine, "orders")]).toEqual([2, 2]);
    expect([await count(west.engine, "customers"), await count(west.engine, "orders")]).toEqual([1, 1]);
    expect((await west.engine.execute(text("SELECT name FROM customers WHERE id = 1"))).scalar()).toBe("wes");
  });

  it("a select runs on every chosen shard, rows concatenated in shard order; the same key on two shards is two instances", async () => {
    await using session = sharded();
    const customers = (await session.scalars(select(Customer).orderBy(Customer.id))).all();
    expect(customers.map((c) => [c.name, inspect(c).identityToken])).toEqual([["ann", "east"], ["bob", "east"], ["wes", "west"]]);
    expect(onEast.sql).toEqual([expect.stringMatching(/FROM "customers" ORDER BY/)]);
    expect(onWest.sql).toEqual([expect.stringMatching(/FROM "customers" ORDER BY/)]);
    // shardId: one shard only.
    onEast.clear();
    const west1 = (await session.scalars(select(Customer).where(Customer.id.eq(1)), undefined, { shardId: "west" })).all();
    expect(west1).toEqual([customers[2]]);
    expect(onEast.all).toEqual([]);
  });

  it("relationships load from their parent's shard: selectinload, joinedload and a lazy load", async () => {
    await using session = sharded();
    const customers = (await session.scalars(select(Customer).options(selectinload(Customer.orders)).orderBy(Customer.id))).all();
    expect(customers.map((c) => c.orders.map((o) => o.item))).toEqual([["east-1a", "east-1b"], [], ["west-1a"]]);
    // One IN query per shard, each for its own parents.
    expect(onEast.sql.filter((sql) => sql.includes('FROM "orders"'))).toHaveLength(1);
    expect(onWest.sql.filter((sql) => sql.includes('FROM "orders"'))).toHaveLength(1);
    expect(customers[2]?.orders.map((o) => inspect(o).identityToken)).toEqual(["west"]);

    await using other = sharded();
    const joined = (await other.execute(select(Customer).options(joinedload(Customer.orders)).orderBy(Customer.id, Customer.region))).unique().scalars().all();
    expect(joined.map((c) => [c.name, c.orders.map((o) => o.item)])).toEqual([
      ["ann", ["east-1a", "east-1b"]],
      ["bob", []],
      ["wes", ["west-1a"]],
    ]);

    await using lazy = sharded();
    const [wes] = (await lazy.scalars(select(Customer), undefined, { shardId: "west" })).all();
    onWest.clear();
    onEast.clear();
    const orders = await wes?.awaitableAttrs.orders;
    expect(orders?.map((o) => o.item)).toEqual(["west-1a"]);
    expect(onWest.sql).toEqual([expect.stringMatching(/FROM "orders" WHERE \$1 = "orders"."customer_id"|FROM "orders" WHERE "orders"."customer_id" = \$1/)]);
    expect(onEast.all).toEqual([]);
  });

  it("get() looks in the identity chooser's shards in order, and finds each shard's instance in the identity map", async () => {
    await using session = sharded();
    expect((await session.get(Customer, 2))?.name).toBe("bob");
    expect(onEast.sql).toHaveLength(1);
    expect(onWest.all).toEqual([]);
    // Id 1 is on both: the first shard the chooser names wins.
    const first = await session.get(Customer, 1);
    expect([first?.name, inspect(first as object).identityToken]).toEqual(["ann", "east"]);
    onEast.clear();
    expect(await session.get(Customer, 1)).toBe(first);
    expect(onEast.all).toEqual([]);
    expect(await session.get(Customer, 3)).toBeNull();
    expect(onEast.sql).toHaveLength(1);
    expect(onWest.sql).toHaveLength(1);
  });

  it("changes and deletes are written on the object's shard; expired attributes reload from it", async () => {
    await using session = sharded();
    const [wes] = (await session.scalars(select(Customer), undefined, { shardId: "west" })).all();
    (wes as Customer).name = "wesley";
    await session.commit();
    expect(onWest.sql).toEqual([expect.stringMatching(/FROM "customers"/), expect.stringMatching(/^UPDATE "customers" SET "name"=\$1 WHERE "customers"."id" = \$2$/)]);
    expect(onEast.all).toEqual([]);
    expect((await east.engine.execute(text("SELECT name FROM customers WHERE id = 1"))).scalar()).toBe("ann");

    onWest.clear();
    onEast.clear();
    await session.refresh(wes as Customer);
    expect(wes?.name).toBe("wesley");
    expect(onWest.sql).toEqual([expect.stringMatching(/FROM "customers" WHERE "customers"."id" = \$1/)]);
    expect(onEast.all).toEqual([]);

    const orders = await wes?.awaitableAttrs.orders;
    await session.delete(orders?.[0] as Order);
    await session.commit();
    expect([await count(west.engine, "orders"), await count(east.engine, "orders")]).toEqual([0, 2]);
  });

  it("an unknown shard id is refused before anything runs", async () => {
    await using session = new ShardedSession({
      shards: { east: east.engine, west: west.engine },
      shardChooser: () => "north",
      identityChooser: () => ["east"],
      executeChooser: () => ["east"],
    });
    session.add(new Customer({ id: 9, region: "north", name: "nell" }));
    await expect(session.flush()).rejects.toThrow(InvalidRequestError);
    await expect(session.flush()).rejects.toThrow(/Unknown shard id 'north' \(shards: east, west\)/);
    session.expungeAll();
    await expect(session.execute(select(Customer), undefined, { shardId: "south" })).rejects.toThrow(/Unknown shard id 'south'/);
    expect(onEast.all).toEqual([]);
    expect(onWest.all).toEqual([]);
  });
});
