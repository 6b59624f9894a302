/**
 * Issue 14, schema on models: Computed, Identity and Sequence columns are created on every
 * database of the matrix and generate their values there; the unit of work reads generated
 * values back after INSERT and expires what the database changes on UPDATE.
 */
import { expect, it } from "vitest";
import {
  AsyncSession,
  Computed,
  Identity,
  Integer,
  MetaData,
  Sequence,
  StringType,
  declarativeBase,
  inspect,
  literalColumn,
  mappedColumn,
  select,
  text,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";

const Base = declarativeBase({ metadata: new MetaData() });

class Line extends Base.model("gen_lines", {
  id: mappedColumn(Integer, { primaryKey: true, identity: new Identity({ start: 100 }) }),
  price: mappedColumn(Integer, { nullable: false }),
  quantity: mappedColumn(Integer, { nullable: false }),
  total: mappedColumn(Integer, { computed: new Computed(literalColumn("price * quantity"), { persisted: true }) }),
  stamp: mappedColumn(StringType(20), { serverOnupdate: true }),
}) {}

class Order extends Base.model("gen_orders", {
  id: mappedColumn(Integer, { primaryKey: true, sequence: new Sequence("gen_order_id_seq", { start: 1000, increment: 10 }) }),
  note: mappedColumn(StringType(20)),
}) {}

describeEachDatabase("generated columns", (db) => {
  const ctx = useIsolatedDatabase(db, "schema_generated", Base.metadata);

  it("Identity: the database numbers rows (from START WITH where it has identity columns); Computed: read back after INSERT", async () => {
    const caps = ctx.engine.dialect.capabilities;
    const session = new AsyncSession(ctx.engine);
    const line = new Line({ price: 3, quantity: 4 });
    session.add(line);
    await session.flush();
    expect(line.id).toBe(caps.identityColumns ? 100 : 1);
    expect(await line.awaitableAttrs.total).toBe(12);
    await session.commit();

    // Changing a column the generated one reads expires it; the next read loads the new value.
    line.quantity = 5;
    await session.flush();
    expect(inspect(line).unloaded.has("total")).toBe(true);
    expect(await line.awaitableAttrs.total).toBe(15);
    await session.close();
  });

  it("reflection carries computed columns, and identity options where the database has them", async () => {
    const caps = ctx.engine.dialect.capabilities;
    const reflected = new MetaData();
    await reflected.reflect(inspect(ctx.engine), { only: ["gen_lines"] });
    const table = reflected.tables.get("gen_lines")!;
    expect(table.column("total")?.computed?.persisted).toBe(true);
    expect(table.column("price")?.computed).toBeUndefined();
    if (caps.identityColumns) expect(table.column("id")?.identity?.options.start).toBe(100);
  });

  it("serverOnupdate: expired after an UPDATE of the row, so the database's value loads", async () => {
    const session = new AsyncSession(ctx.engine);
    const line = new Line({ price: 1, quantity: 1, stamp: "first" });
    session.add(line);
    await session.commit();
    expect(await line.awaitableAttrs.stamp).toBe("first");
    // Another writer (standing in for a trigger) changes it behind the session's back.
    await session.execute(text("UPDATE gen_lines SET stamp = 'by server'"));
    line.price = 2;
    await session.flush();
    expect(inspect(line).unloaded.has("stamp")).toBe(true);
    expect(await line.awaitableAttrs.stamp).toBe("by server");
    await session.close();
  });

  it("Sequence: values come from the sequence where the database has them (nextval / NEXT VALUE FOR), else from the key's own generation", async () => {
    const caps = ctx.engine.dialect.capabilities;
    const session = new AsyncSession(ctx.engine);
    const first = new Order({ note: "a" });
    const second = new Order({ note: "b" });
    session.addAll([first, second]);
    await session.flush();
    expect([first.id, second.id]).toEqual(caps.sequences ? [1000, 1010] : [1, 2]);
    const ids = (await session.execute(select(Order.id).orderBy(Order.id))).scalars().all();
    expect(ids).toEqual([first.id, second.id]);
    await session.commit();
    await session.close();
  });
});
