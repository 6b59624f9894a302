/**
 * Issue 14, schema on models: custom types (SQLAlchemy's `TypeDecorator`) convert values around
 * their `impl` everywhere a value travels — Core INSERT, WHERE and rows, ORM attributes through
 * flush and load — on every database of the matrix, with the impl's own conversions still applied
 * (a custom type over BigInteger or Json stays exact).
 */
import { expect, it } from "vitest";
import {
  AsyncSession,
  BigInteger,
  Column,
  type ColumnElement,
  Integer,
  Json,
  MetaData,
  StringType,
  Table,
  TypeDecorator,
  cast,
  declarativeBase,
  func,
  insert,
  mappedColumn,
  select,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";
import { useIsolatedDatabase } from "../../support/isolated-database.ts";

type Point = { readonly x: number; readonly y: number };

/** Stored as text `x,y`; the dialect name reaches the conversions. */
const seen = new Set<string>();
const PointType = TypeDecorator<Point, string>({
  name: "Point",
  impl: StringType(40),
  cacheOk: true,
  processBindParam: (p, dialect) => {
    seen.add(dialect);
    return `${p.x},${p.y}`;
  },
  processResultValue: (text) => {
    const [x, y] = text.split(",").map(Number);
    return { x: x as number, y: y as number };
  },
});

/** A Set over Json: the impl's JSON text encoding still runs after ours. */
const TagSet = TypeDecorator<ReadonlySet<string>, string[]>({
  name: "TagSet",
  impl: Json<string[]>(),
  processBindParam: (tags) => [...tags].sort(),
  processResultValue: (list) => new Set(list),
});

/** Cents as a bigint over BigInteger; then a custom type over that custom type. */
const Cents = TypeDecorator<bigint, bigint>({ name: "Cents", impl: BigInteger });
const Euros = TypeDecorator<string, bigint>({
  name: "Euros",
  impl: Cents,
  processBindParam: (euros) => BigInt(Math.round(Number(euros) * 100)),
  processResultValue: (cents) => (Number(cents) / 100).toFixed(2),
});

/** Equality ignoring case, as SQLAlchemy's CaseInsensitive comparator_factory example. */
const CaseInsensitive = TypeDecorator<string, string>({
  name: "CaseInsensitive",
  impl: StringType(100),
  compare: (op, left: ColumnElement<string>, right: ColumnElement<string>) => (op === "=" ? func.lower(left).eq(func.lower(right)) : undefined),
});

const metadata = new MetaData();
const shapes = new Table("td_shapes", metadata, {
  id: Column(Integer, { primaryKey: true }),
  at: Column(PointType),
  tags: Column(TagSet),
  label: Column(CaseInsensitive),
});

const Base = declarativeBase({ metadata });
class Wallet extends Base.model("td_wallets", {
  id: mappedColumn(Integer, { primaryKey: true }),
  home: mappedColumn(PointType, { nullable: false }),
  balance: mappedColumn(Euros),
}) {}

describeEachDatabase("TypeDecorator", (db) => {
  const ctx = useIsolatedDatabase(db, "type_decorator", metadata);

  it("Core: INSERT binds the converted value, WHERE compares with it, rows come back converted (NULL untouched)", async () => {
    await ctx.engine.begin(async (conn) => {
      await conn.execute(
        insert(shapes).values([
          { id: 1, at: { x: 1, y: 2 }, tags: new Set(["b", "a"]), label: "Ann" },
          { id: 2, at: null, tags: null, label: null },
        ]),
      );
      const rows = (await conn.execute(select(shapes).orderBy(shapes.c.id))).all();
      expect(rows).toEqual([
        { id: 1, at: { x: 1, y: 2 }, tags: new Set(["a", "b"]), label: "Ann" },
        { id: 2, at: null, tags: null, label: null },
      ]);
      const found = (await conn.execute(select(shapes.c.id).where(shapes.c.at.eq({ x: 1, y: 2 })))).scalars().all();
      expect(found).toEqual([1]);
      expect((await conn.execute(select(shapes.c.id).where(shapes.c.label.eq("aNN")))).scalars().all()).toEqual([1]);
    });
    expect(seen.has(ctx.engine.dialect.name)).toBe(true);
  });

  it("ORM: attributes of custom types flush and load converted, through a custom type over a custom type", async () => {
    const session = new AsyncSession(ctx.engine);
    session.add(new Wallet({ id: 1, home: { x: -3, y: 4 }, balance: "12.34" }));
    await session.commit();
    await session.close();

    const again = new AsyncSession(ctx.engine);
    const wallet = (await again.execute(select(Wallet).where(Wallet.home.eq({ x: -3, y: 4 })))).scalarOne();
    expect(wallet.home).toEqual({ x: -3, y: 4 });
    expect(wallet.balance).toBe("12.34");
    wallet.balance = "99.90";
    await again.commit();
    expect(await wallet.awaitableAttrs.balance).toBe("99.90");
    // Stored as the innermost impl: BIGINT cents.
    expect((await again.execute(select(cast(Wallet.balance, BigInteger)))).scalarOne()).toBe(9990n);
    await again.close();
  });
});
