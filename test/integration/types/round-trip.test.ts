/**
 * Acceptance 4 of issue 2: every SQL type round-trips through every database of the matrix
 * exactly (bigint beyond 2^53, Numeric as exact decimal text, nested JSON, timezone-aware and
 * naive datetimes, astral unicode, all 256 byte values …), and a value that cannot round-trip is
 * refused with a typed error before anything is written.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import {
  ArgumentError,
  type AsyncEngine,
  BigInteger,
  Boolean,
  Column,
  DBAPIError,
  Date as DateType,
  DateTime,
  Enum,
  Float,
  Integer,
  Interval,
  Json,
  LargeBinary,
  MetaData,
  Numeric,
  SmallInteger,
  StatementValueError,
  StringType,
  Table,
  Text,
  Time,
  TsalchemyError,
  Uuid,
  createAsyncEngine,
  delete_,
  func,
  insert,
  select,
  text,
  update,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";

const P = `rt${process.pid.toString(36)}_`;

const metadata = new MetaData();
const MOODS = ["happy", "sad", "so-so"] as const;
const values = new Table(`${P}all_types`, metadata, {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  int: Column(Integer),
  big: Column(BigInteger),
  small: Column(SmallInteger),
  str: Column(StringType(100)),
  text: Column(Text),
  bool: Column(Boolean),
  float: Column(Float),
  num: Column(Numeric(18, 4)),
  date: Column(DateType),
  naive: Column(DateTime()),
  aware: Column(DateTime({ timezone: true })),
  time: Column(Time),
  interval: Column(Interval),
  json: Column(Json<unknown>()),
  uuid: Column(Uuid),
  bin: Column(LargeBinary),
  mood: Column(Enum(MOODS, { name: `${P}mood` })),
});

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

/** A row with every column set to an ordinary value. */
const TYPICAL = {
  int: 42,
  big: 9007199254740993n,
  small: -7,
  str: "𝟘🎉漢字",
  text: "𝟘🎉漢字 — it's \"quoted\" \\ back\\slash\nnew line\ttab",
  bool: true,
  float: -1234.5625,
  num: "12345678901234.5678",
  date: "2024-02-29",
  naive: new globalThis.Date("2024-02-29T13:45:56.789Z"),
  aware: new globalThis.Date("2024-06-01T12:00:00.123+05:30"),
  time: "13:45:56",
  interval: 90_061_001, // 1 day 1 h 1 min 1.001 s
  json: { a: [1, 2.5, -3, true, false, null, "x"], b: { c: "漢字🎉", d: {}, e: [] }, n: 0, s: "he said \"hi\"\n\\" },
  uuid: "123e4567-e89b-12d3-a456-426614174000",
  bin: ALL_BYTES,
  mood: "so-so" as const,
};

const NULLS = {
  int: null,
  big: null,
  small: null,
  str: null,
  text: null,
  bool: null,
  float: null,
  num: null,
  date: null,
  naive: null,
  aware: null,
  time: null,
  interval: null,
  json: null,
  uuid: null,
  bin: null,
  mood: null,
};

describeEachDatabase("Type round trips", (db) => {
  let engine: AsyncEngine;
  let nextId = 1;

  // A database that cannot be reached (or set up) fails every test of the block rather than
  // leaving them skipped.
  let setupError: unknown;
  beforeAll(async () => {
    try {
      engine = createAsyncEngine(db.url);
      await engine.begin(async (conn) => {
        await metadata.dropAll(conn);
        await metadata.createAll(conn);
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

  /** Inserts `row` (every other column NULL) under a fresh id and reads it back. */
  async function roundTrip(row: Partial<typeof NULLS> | Record<string, unknown>) {
    const id = nextId++;
    await engine.execute(insert(values).values({ ...NULLS, ...(row as object), id }));
    return readRow(id);
  }

  async function readRow(id: number) {
    return (await engine.execute(select(values).where(values.c.id.eq(id)))).one();
  }

  async function count(): Promise<number> {
    return (await engine.execute(select(func.count()).selectFrom(values))).scalarOne();
  }

  function bytes(value: unknown): number[] {
    expect(value).toBeInstanceOf(Uint8Array);
    return Array.from(value as Uint8Array);
  }

  it("a row of every type comes back equal", async () => {
    const row = await roundTrip(TYPICAL);
    const { bin, naive, aware, ...rest } = row;
    const { bin: binIn, naive: naiveIn, aware: awareIn, ...restIn } = TYPICAL;
    expect(rest).toEqual({ ...restIn, id: rest.id });
    expect(bytes(bin)).toEqual(Array.from(binIn));
    expect(naive).toBeInstanceOf(globalThis.Date);
    expect(naive?.getTime()).toBe(naiveIn.getTime());
    expect(aware).toBeInstanceOf(globalThis.Date);
    expect(aware?.getTime()).toBe(awareIn.getTime());
    // Strict equality where it matters: bigint, and the exact decimal text.
    expect(row.big === 9007199254740993n).toBe(true);
    expect(row.num === "12345678901234.5678").toBe(true);
    expect(typeof row.int).toBe("number");
    expect(typeof row.float).toBe("number");
    expect(row.bool === true).toBe(true);
  });

  it("the same values come back through stream() as through execute()", async () => {
    const ids = [(await roundTrip(TYPICAL)).id, (await roundTrip({ big: -(2n ** 63n), num: "-0.0001" })).id, (await roundTrip({})).id];
    const query = select(values).where(values.c.id.in(ids)).orderBy(values.c.id);
    const buffered = (await engine.execute(query)).all();
    const conn = await engine.connect();
    try {
      const streamed = await (await conn.stream(query, undefined, { batchSize: 2 })).all();
      expect(streamed).toEqual(buffered);
      expect(streamed[0]?.big).toBe(TYPICAL.big);
      expect(streamed[1]?.big).toBe(-(2n ** 63n));
      expect(streamed[1]?.num).toBe("-0.0001");
      expect(bytes(streamed[0]?.bin)).toEqual(Array.from(ALL_BYTES));
      expect(streamed[0]?.aware?.getTime()).toBe(TYPICAL.aware.getTime());
    } finally {
      await conn.close();
    }
  });

  it("NULL in every nullable column comes back as null", async () => {
    const row = await roundTrip({});
    expect(row).toEqual({ id: row.id, ...NULLS });
  });

  it("integers: int32, int16 and int64 extremes exactly (bigint beyond 2^53)", async () => {
    const cases = [
      { int: 2147483647, small: 32767, big: 2n ** 63n - 1n },
      { int: -2147483648, small: -32768, big: -(2n ** 63n) },
      { int: 0, small: 0, big: 0n },
      { int: 9, small: 1, big: 9007199254740993n },
      { int: -9, small: -1, big: -9007199254740993n },
    ];
    for (const c of cases) {
      const row = await roundTrip(c);
      expect({ int: row.int, small: row.small, big: row.big }).toEqual(c);
      expect(row.big === c.big).toBe(true);
      expect(typeof row.big).toBe("bigint");
    }
    // A BigInteger given a safe number comes back as a bigint.
    expect((await roundTrip({ big: 42 as unknown as bigint })).big).toBe(42n);
    // Selecting bigints by value (bound bigint in WHERE).
    const found = await engine.execute(select(values.c.id).where(values.c.big.eq(2n ** 63n - 1n)));
    expect(found.all()).toHaveLength(1);
  });

  it("Numeric(18, 4) exactly, as decimal text", async () => {
    for (const num of ["12345678901234.5678", "-12345678901234.5678", "0.0000", "-0.0001", "99999999999999.9999", "1.1000"]) {
      const row = await roundTrip({ num });
      expect(row.num).toBe(num);
    }
    // Found by exact value.
    const found = await engine.execute(select(values.c.num).where(values.c.num.eq("-12345678901234.5678")));
    expect(found.scalars().all()).toEqual(["-12345678901234.5678"]);
  });

  it("JSON: nested objects and arrays, unicode, numbers, booleans, null inside, top-level scalars", async () => {
    const documents: unknown[] = [
      TYPICAL.json,
      [1, [2, [3, [4, { deep: [null, true] }]]]],
      { emoji: "🎉𝟘", cjk: "漢字", accents: "éàü", rtl: "שלום" },
      { big: 123456789012, neg: -0.5, exp: 1e21, small: 1e-7 },
      "just a string",
      42,
      true,
      [],
      {},
    ];
    for (const json of documents) {
      const row = await roundTrip({ json });
      expect(row.json).toEqual(json);
    }
  });

  it("timezone-aware datetimes keep the instant, to the millisecond", async () => {
    const instants = [
      "2024-06-01T12:00:00.123+05:30",
      "2024-01-01T00:00:00.000Z",
      "1999-12-31T23:59:59.999Z",
      "1970-01-01T00:00:00.001Z",
      "2038-01-19T03:14:08.500-08:00",
      "1969-07-20T20:17:40.042Z",
    ];
    for (const text of instants) {
      const given = new globalThis.Date(text);
      const row = await roundTrip({ aware: given, naive: given });
      expect(row.aware).toBeInstanceOf(globalThis.Date);
      expect(row.aware?.getTime()).toBe(given.getTime());
      // A naive DateTime holds the UTC wall clock: the same instant comes back too.
      expect(row.naive).toBeInstanceOf(globalThis.Date);
      expect(row.naive?.getTime()).toBe(given.getTime());
    }
  });

  it("datetimes keep the instant when the session's time zone is not UTC", async () => {
    const conn = await engine.connect();
    let zoneChanged = false;
    try {
      // Whichever of these the database understands (PostgreSQL's, MySQL's); SQLite has no session zone.
      for (const sql of ["SET TIME ZONE 'Asia/Kolkata'", "SET time_zone = '+05:30'"]) {
        const savepoint = await conn.beginNested();
        try {
          await conn.execute(text(sql));
          await savepoint.commit();
          zoneChanged = true;
          break;
        } catch {
          await savepoint.rollback();
        }
      }
      const given = new globalThis.Date("2024-03-10T01:59:59.999-08:00");
      const id = nextId++;
      await conn.execute(insert(values).values({ ...NULLS, id, aware: given, naive: given }));
      const row = (await conn.execute(select(values.c.aware, values.c.naive).where(values.c.id.eq(id)))).one();
      expect(row.aware?.getTime()).toBe(given.getTime());
      expect(row.naive?.getTime()).toBe(given.getTime());
      const found = await conn.execute(select(values.c.id).where(values.c.aware.eq(given), values.c.naive.eq(given)));
      expect(found.scalars().all()).toEqual([id]);
    } finally {
      // The session setting must not leak into the pool (an in-memory SQLite connection is never
      // thrown away: it is the database).
      if (zoneChanged) conn.invalidate();
      await conn.close();
    }
  });

  it("Date and Time strings", async () => {
    for (const [date, time] of [
      ["2024-02-29", "13:45:56"],
      ["1999-12-31", "23:59:59.123456"],
      ["2000-01-01", "00:00:00"],
      ["1970-01-01", "12:00:00.5"],
    ] as const) {
      const row = await roundTrip({ date, time });
      expect({ date: row.date, time: row.time }).toEqual({ date, time });
    }
  });

  it("unicode including astral characters in String and Text, and the empty string", async () => {
    for (const s of ["𝟘🎉漢字", "", "a'b\"c\\d%e_f", "ÅÉÎÕÜ ñ ß", "👨‍👩‍👧‍👦 family", "\u2028\u2029 separators"]) {
      const row = await roundTrip({ str: s, text: `${s}${s}` });
      expect(row.str).toBe(s);
      expect(row.text).toBe(`${s}${s}`);
    }
    const long = "漢🎉".repeat(5000);
    expect((await roundTrip({ text: long })).text).toBe(long);
    // Found by value, too.
    const found = await engine.execute(select(values.c.id).where(values.c.str.eq("𝟘🎉漢字")));
    expect(found.all().length).toBeGreaterThanOrEqual(2);
  });

  it("binary data: all 256 byte values, the empty buffer, NUL bytes, a large blob", async () => {
    const large = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256);
    for (const bin of [ALL_BYTES, new Uint8Array(0), Uint8Array.of(0, 0, 0), Buffer.from("€uro", "utf8"), large]) {
      const row = await roundTrip({ bin });
      expect(bytes(row.bin)).toEqual(Array.from(bin));
    }
    // A view into a larger buffer sends only its own bytes.
    const view = new Uint8Array(ALL_BYTES.buffer, 10, 5);
    expect(bytes((await roundTrip({ bin: view })).bin)).toEqual([10, 11, 12, 13, 14]);
  });

  it("Boolean, Float, Interval, Uuid and Enum", async () => {
    for (const bool of [true, false]) {
      expect((await roundTrip({ bool })).bool).toBe(bool);
    }
    const trueCount = (await engine.execute(select(func.count()).selectFrom(values).where(values.c.bool.eq(true)))).scalarOne();
    expect(trueCount).toBeGreaterThanOrEqual(2);

    for (const float of [0, -0.125, 0.1, Math.PI, -2.5e-10, 1e300, -1234.5625, Number.MAX_SAFE_INTEGER]) {
      expect((await roundTrip({ float })).float).toBe(float);
    }

    // Interval as milliseconds (a native INTERVAL, or an integer of microseconds elsewhere).
    for (const interval of [0, 1, 1500, -2500, 90_061_001, 40 * 86_400_000, 0.001, 123.456]) {
      expect((await roundTrip({ interval })).interval).toBe(interval);
    }

    const row = await roundTrip({ uuid: "00000000-0000-0000-0000-000000000000" });
    expect(row.uuid).toBe("00000000-0000-0000-0000-000000000000");
    // Upper-case input comes back in the canonical lower-case form on every database.
    expect((await roundTrip({ uuid: "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11" })).uuid).toBe("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");

    for (const mood of MOODS) {
      expect((await roundTrip({ mood })).mood).toBe(mood);
    }
    const happy = await engine.execute(select(values.c.mood).where(values.c.mood.eq("happy")));
    expect(happy.scalars().all()).toEqual(["happy"]);
  });

  it("an UPDATE round-trips values too", async () => {
    const { id } = await roundTrip({});
    await engine.execute(update(values).values(TYPICAL).where(values.c.id.eq(id)));
    const row = await readRow(id);
    expect(row.big).toBe(TYPICAL.big);
    expect(row.num).toBe(TYPICAL.num);
    expect(row.json).toEqual(TYPICAL.json);
    expect(row.aware?.getTime()).toBe(TYPICAL.aware.getTime());
    expect(bytes(row.bin)).toEqual(Array.from(ALL_BYTES));
    await engine.execute(update(values).values(NULLS).where(values.c.id.eq(id)));
    expect(await readRow(id)).toEqual({ id, ...NULLS });
  });

  /**
   * Each value is refused with a typed error naming the type before anything reaches the
   * database: the insert (a single row, and a multi-row insert whose second row is bad) writes nothing.
   */
  it.each([
    ["1.5 to Integer", { int: 1.5 }, /Integer/],
    ["2**60 (a number) to Integer", { int: 2 ** 60 }, /Integer/],
    ["2**60 (a number) to BigInteger", { big: 2 ** 60 }, /BigInteger/],
    ["2**64 (a bigint) to BigInteger", { big: 2n ** 64n }, /BigInteger/],
    ["1.5 to SmallInteger", { small: 1.5 }, /SmallInteger/],
    ["an Invalid Date to DateTime", { naive: new globalThis.Date(Number.NaN) }, /DateTime/],
    ["an Invalid Date to DateTime(timezone)", { aware: new globalThis.Date("not a date") }, /DateTime/],
    ["\"abc\" to Numeric", { num: "abc" }, /Numeric/],
    ["NaN to Numeric", { num: Number.NaN }, /Numeric/],
    ["a value outside the enum's list", { mood: "angry" }, /Enum/],
    ["a string to Boolean", { bool: "yes" }, /Boolean/],
    ["2 to Boolean", { bool: 2 }, /Boolean/],
    ["a number to String", { str: 5 }, /String/],
    ["a lone surrogate to Text", { text: "bad \ud800 half" }, /Text/],
    ["a non-UUID to Uuid", { uuid: "not-a-uuid" }, /Uuid/],
    ["a non-date string to Date", { date: "29/02/2024" }, /Date/],
    ["a string to LargeBinary", { bin: "bytes" }, /LargeBinary/],
    ["a bigint inside JSON", { json: { n: 1n } }, /Json/],
    ["Infinity inside JSON", { json: [Number.POSITIVE_INFINITY] }, /Json/],
    ["a string to Interval", { interval: "1 day" }, /Interval/],
  ] as const)("refuses %s with a typed error, writing nothing", async (_title, bad, typeName) => {
    const before = await count();
    const single = await engine.execute(insert(values).values({ ...NULLS, ...(bad as object), id: 100_000 })).catch((e: unknown) => e);
    expect(single).toBeInstanceOf(StatementValueError);
    expect(single).toBeInstanceOf(ArgumentError);
    expect(single).toBeInstanceOf(TsalchemyError);
    expect((single as Error).message).toMatch(typeName);

    const multi = await engine
      .execute(insert(values).values([{ ...NULLS, id: 100_001 }, { ...NULLS, ...(bad as object), id: 100_002 }]))
      .catch((e: unknown) => e);
    expect(multi).toBeInstanceOf(StatementValueError);

    const [key, value] = Object.entries(bad)[0] as [keyof typeof NULLS, unknown];
    const inWhere = await engine
      .execute(select(values.c.id).where((values.c[key] as typeof values.c.int).eq(value as number)))
      .catch((e: unknown) => e);
    expect(inWhere).toBeInstanceOf(StatementValueError);

    expect(await count()).toBe(before);
    expect((await engine.execute(select(values.c.id).where(values.c.id.ge(100_000)))).all()).toEqual([]);
  });

  /**
   * Values the type checks let through but that the column cannot hold: the database must refuse
   * them with a typed error, or store them exactly. It must never change them silently.
   */
  it.each([
    ["2**31 to Integer", { int: 2 ** 31 }, "int"],
    ["40000 to SmallInteger", { small: 40000 }, "small"],
    ["more decimal places than Numeric(18, 4)'s scale", { num: "1.23456" }, "num"],
    ["more integer digits than Numeric(18, 4)'s precision", { num: "123456789012345.5" }, "num"],
    ["an impossible calendar date to Date", { date: "2023-02-29" }, "date"],
    ["a string longer than String(100)", { str: "x".repeat(101) }, "str"],
  ] as const)("stores %s exactly or refuses it with a typed error", async (_title, value, column) => {
    const id = nextId++;
    const before = await count();
    const outcome = await engine.execute(insert(values).values({ ...NULLS, ...(value as object), id })).catch((e: unknown) => e);
    if (outcome instanceof Error) {
      expect(outcome).toBeInstanceOf(TsalchemyError);
      expect(outcome instanceof StatementValueError || outcome instanceof DBAPIError).toBe(true);
      expect(await count()).toBe(before);
    } else {
      const row = await readRow(id);
      expect(row[column]).toEqual((value as Record<string, unknown>)[column]);
    }
  });

  it("NaN and ±Infinity in a Float are stored exactly or refused with StatementValueError", async () => {
    for (const float of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      const id = nextId++;
      const outcome = await engine.execute(insert(values).values({ ...NULLS, float, id })).catch((e: unknown) => e);
      if (outcome instanceof Error) {
        expect(outcome).toBeInstanceOf(StatementValueError);
        expect(outcome.message).toMatch(/Float/);
      } else {
        expect((await readRow(id)).float).toBe(float);
      }
    }
  });

  it("deletes by a bound value of each type", async () => {
    const { id } = await roundTrip(TYPICAL);
    const deleted = await engine.execute(
      delete_(values).where(
        values.c.id.eq(id),
        values.c.big.eq(TYPICAL.big),
        values.c.num.eq(TYPICAL.num),
        values.c.uuid.eq(TYPICAL.uuid),
        values.c.mood.eq(TYPICAL.mood),
        values.c.aware.eq(TYPICAL.aware),
        values.c.naive.eq(TYPICAL.naive),
        values.c.date.eq(TYPICAL.date),
        values.c.bool.eq(true),
      ),
    );
    expect(deleted.rowsAffected).toBe(1);
  });
});
