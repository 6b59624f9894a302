import { describe, expect, it } from "vitest";
import { StatementValueError } from "../../../src/shared/errors.ts";
import type { TypeProcessing } from "../../../src/core/dialects/dialect.ts";
import { mysqlTypeProcessing } from "../../../src/core/dialects/mysql/index.ts";
import { postgresqlTypeProcessing } from "../../../src/core/dialects/postgresql/index.ts";
import { sqliteTypeProcessing } from "../../../src/core/dialects/sqlite/index.ts";
import type { SqlType } from "../../../src/core/types/sql-type.ts";
import {
  BigInteger,
  BooleanType,
  DateTime,
  DateType,
  Enum,
  Float,
  Integer,
  Interval,
  Json,
  LargeBinary,
  NullType,
  Numeric,
  SmallInteger,
  StringType,
  Text,
  Time,
  Uuid,
} from "../../../src/core/types/index.ts";

const processing = { sqlite: sqliteTypeProcessing, postgresql: postgresqlTypeProcessing, mysql: mysqlTypeProcessing } as const;
type Name = keyof typeof processing;
const names = Object.keys(processing) as Name[];

/** The value the driver gets (a bind processor left out means the value goes as is). */
function bind(p: TypeProcessing, type: SqlType<unknown>, value: unknown): unknown {
  const process = p.bind(type);
  return process === undefined ? value : process(value);
}

/** The value the caller gets for a raw driver value. */
function result(p: TypeProcessing, type: SqlType<unknown>, raw: unknown): unknown {
  const process = p.result(type);
  return process === undefined ? raw : process(raw);
}

/** Binding must raise a StatementValueError whose message names the type and the value. */
function expectRefused(type: SqlType<unknown>, value: unknown, typeName: string, shown: string, only: readonly Name[] = names): void {
  for (const name of only) {
    let error: unknown;
    try {
      bind(processing[name], type, value);
    } catch (e) {
      error = e;
    }
    expect(error, `${name} must refuse ${shown}`).toBeInstanceOf(StatementValueError);
    expect((error as Error).message).toContain(typeName);
    expect((error as Error).message).toContain(shown);
  }
}

describe("integers", () => {
  it("bind numbers (and safe bigints) as numbers; results from number, bigint or text", () => {
    for (const name of names) {
      expect(bind(processing[name], Integer, 5)).toBe(5);
      expect(bind(processing[name], SmallInteger, -3n)).toBe(-3);
    }
    expect(result(sqliteTypeProcessing, Integer, 42)).toBe(42);
    expect(result(sqliteTypeProcessing, Integer, 42n)).toBe(42);
    expect(result(sqliteTypeProcessing, Integer, 2n ** 60n)).toBe(2n ** 60n);
    expect(result(postgresqlTypeProcessing, Integer, "42")).toBe(42);
    expect(result(mysqlTypeProcessing, Integer, 42)).toBe(42);
    expect(result(mysqlTypeProcessing, Integer, "42")).toBe(42);
  });

  it("refuse a fraction, a number beyond 2^53, a string or a boolean", () => {
    expectRefused(Integer, 1.5, "Integer", "1.5");
    expectRefused(Integer, 2 ** 53, "Integer", String(2 ** 53));
    expectRefused(Integer, 2n ** 53n, "Integer", `${2n ** 53n}n`);
    expectRefused(Integer, "5", "Integer", '"5"');
    expectRefused(Integer, true, "Integer", "true");
    expectRefused(SmallInteger, Number.NaN, "SmallInteger", "NaN");
  });

  it("BigInteger binds exactly beyond 2^53 (bigint on SQLite, text elsewhere) and reads back a bigint", () => {
    const big = 2n ** 62n + 7n;
    expect(bind(sqliteTypeProcessing, BigInteger, big)).toBe(big);
    expect(bind(postgresqlTypeProcessing, BigInteger, big)).toBe("4611686018427387911");
    expect(bind(mysqlTypeProcessing, BigInteger, big)).toBe("4611686018427387911");
    expect(bind(postgresqlTypeProcessing, BigInteger, 12)).toBe("12");
    expect(result(sqliteTypeProcessing, BigInteger, big)).toBe(big);
    expect(result(sqliteTypeProcessing, BigInteger, 12)).toBe(12n);
    expect(result(postgresqlTypeProcessing, BigInteger, "-9223372036854775808")).toBe(-(2n ** 63n));
    expect(result(mysqlTypeProcessing, BigInteger, "9223372036854775807")).toBe(2n ** 63n - 1n);
  });

  it("BigInteger refuses an inexact number and values outside 64 bits", () => {
    expectRefused(BigInteger, 2 ** 60, "BigInteger", String(2 ** 60));
    expectRefused(BigInteger, 2n ** 63n, "BigInteger", `${2n ** 63n}n`);
    expectRefused(BigInteger, 0.5, "BigInteger", "0.5");
  });
});

describe("booleans", () => {
  it("bind 1/0 on SQLite and MySQL, true/false on PostgreSQL; 0 and 1 are accepted", () => {
    expect(bind(sqliteTypeProcessing, BooleanType, true)).toBe(1);
    expect(bind(mysqlTypeProcessing, BooleanType, false)).toBe(0);
    expect(bind(postgresqlTypeProcessing, BooleanType, true)).toBe(true);
    expect(bind(postgresqlTypeProcessing, BooleanType, 0)).toBe(false);
    expect(bind(sqliteTypeProcessing, BooleanType, 1)).toBe(1);
  });

  it("read 't'/'f', 1/0 and 1n/0n", () => {
    expect(result(postgresqlTypeProcessing, BooleanType, "t")).toBe(true);
    expect(result(postgresqlTypeProcessing, BooleanType, "f")).toBe(false);
    expect(result(sqliteTypeProcessing, BooleanType, 1)).toBe(true);
    expect(result(sqliteTypeProcessing, BooleanType, 0n)).toBe(false);
    expect(result(mysqlTypeProcessing, BooleanType, 0)).toBe(false);
    expect(result(mysqlTypeProcessing, BooleanType, 1)).toBe(true);
  });

  it("refuse anything that is not a boolean", () => {
    expectRefused(BooleanType, "yes", "Boolean", '"yes"');
    expectRefused(BooleanType, 2, "Boolean", "2");
  });
});

describe("floats", () => {
  it("NaN and Infinity only where the database stores them", () => {
    expect(bind(postgresqlTypeProcessing, Float, Number.NaN)).toBeNaN();
    expect(bind(postgresqlTypeProcessing, Float, -Infinity)).toBe(-Infinity);
    expect(bind(sqliteTypeProcessing, Float, Infinity)).toBe(Infinity);
    expectRefused(Float, Number.NaN, "Float", "NaN", ["sqlite", "mysql"]);
    expectRefused(Float, Infinity, "Float", "Infinity", ["mysql"]);
    expectRefused(Float, "1.5", "Float", '"1.5"');
  });

  it("read PostgreSQL's text, including NaN and ±Infinity", () => {
    expect(result(postgresqlTypeProcessing, Float, "1.5")).toBe(1.5);
    expect(result(postgresqlTypeProcessing, Float, "1e+300")).toBe(1e300);
    expect(result(postgresqlTypeProcessing, Float, "NaN")).toBeNaN();
    expect(result(postgresqlTypeProcessing, Float, "-Infinity")).toBe(-Infinity);
    expect(result(sqliteTypeProcessing, Float, 0.25)).toBe(0.25);
    expect(result(mysqlTypeProcessing, Float, "2.5")).toBe(2.5);
  });
});

describe("Numeric", () => {
  it("is a decimal string both ways, exactly", () => {
    const exact = "12345678901234567890.1234567890";
    for (const name of names) {
      expect(bind(processing[name], Numeric(30, 10), exact)).toBe(exact);
      expect(bind(processing[name], Numeric(10, 2), 1.25)).toBe("1.25");
      expect(bind(processing[name], Numeric(10, 2), -7n)).toBe("-7");
      expect(result(processing[name], Numeric(30, 10), exact)).toBe(exact);
    }
    expect(result(sqliteTypeProcessing, Numeric(), 2.5)).toBe("2.5");
    expect(result(mysqlTypeProcessing, Numeric(), 3)).toBe("3");
  });

  it("refuses more decimal places than the scale keeps (the database would round them)", () => {
    expectRefused(Numeric(18, 4), "1.23456", "Numeric(18, 4)", '"1.23456"');
    expectRefused(Numeric(18, 4), "15e-5", "Numeric(18, 4)", '"15e-5"');
    expectRefused(Numeric(10), "1.5", "Numeric(10, 0)", '"1.5"');
    for (const name of names) {
      expect(bind(processing[name], Numeric(18, 4), "1.23450000")).toBe("1.23450000");
      expect(bind(processing[name], Numeric(18, 4), "15e-4")).toBe("15e-4");
      expect(bind(processing[name], Numeric(10), "100")).toBe("100");
    }
    // A bare Numeric has any scale, except on MySQL where DECIMAL means DECIMAL(10, 0).
    expect(bind(postgresqlTypeProcessing, Numeric(), "1.000001")).toBe("1.000001");
    expect(bind(sqliteTypeProcessing, Numeric(), "1.000001")).toBe("1.000001");
    expectRefused(Numeric(), "1.5", "Numeric", '"1.5"', ["mysql"]);
  });

  it("refuses text that is not a decimal number, and non-finite numbers", () => {
    expectRefused(Numeric(10, 2), "12,5", "Numeric(10, 2)", '"12,5"');
    expectRefused(Numeric(), "1.2.3", "Numeric", '"1.2.3"');
    expectRefused(Numeric(), Number.NaN, "Numeric", "NaN");
  });
});

describe("strings", () => {
  it("pass unicode through, astral characters included", () => {
    for (const name of names) {
      expect(bind(processing[name], StringType(10), "héllo 𝄞 😀")).toBe("héllo 𝄞 😀");
      expect(bind(processing[name], Text, "")).toBe("");
      expect(processing[name].result(Text)).toBeUndefined();
      expect(processing[name].result(StringType(5))).toBeUndefined();
    }
  });

  it("refuse a lone surrogate (UTF-8 would replace it) and non-strings", () => {
    expectRefused(Text, "a\uD83D", "Text", '"a\\ud83d"');
    expectRefused(StringType(5), 5, "String(5)", "5");
  });

  it("NUL: kept where text can hold it (SQLite, MySQL), refused for PostgreSQL's text", () => {
    for (const type of [Text, StringType(10)]) {
      expect(bind(sqliteTypeProcessing, type, "a\u0000b")).toBe("a\u0000b");
      expect(bind(mysqlTypeProcessing, type, "a\u0000b")).toBe("a\u0000b");
    }
    expectRefused(Text, "a\u0000b", "Text", '"a\\u0000b"', ["postgresql"]);
    expectRefused(StringType(10), "\u0000", "String(10)", '"\\u0000"', ["postgresql"]);
  });

  it("Enum accepts only its values", () => {
    const color = Enum(["red", "green"]);
    for (const name of names) expect(bind(processing[name], color, "green")).toBe("green");
    expectRefused(color, "blue", "Enum(red, green)", '"blue"');
  });

  it("Uuid is canonical lower case", () => {
    for (const name of names) {
      expect(bind(processing[name], Uuid, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")).toBe("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
    }
    expectRefused(Uuid, "not-a-uuid", "Uuid", '"not-a-uuid"');
  });
});

describe("dates and times", () => {
  const instant = new Date("2024-01-02T03:04:05.678Z");

  it("DateTime binds UTC text in each database's form", () => {
    expect(bind(sqliteTypeProcessing, DateTime(), instant)).toBe("2024-01-02 03:04:05.678");
    expect(bind(sqliteTypeProcessing, DateTime({ timezone: true }), instant)).toBe("2024-01-02 03:04:05.678");
    expect(bind(postgresqlTypeProcessing, DateTime({ timezone: true }), instant)).toBe("2024-01-02T03:04:05.678Z");
    expect(bind(mysqlTypeProcessing, DateTime(), instant)).toBe("2024-01-02 03:04:05.678000");
  });

  it("DateTime reads back the same instant, whatever offset PostgreSQL's session used", () => {
    expect(result(sqliteTypeProcessing, DateTime(), "2024-01-02 03:04:05.678")).toEqual(instant);
    expect(result(sqliteTypeProcessing, DateTime(), "2024-01-02 03:04:05")).toEqual(new Date("2024-01-02T03:04:05Z"));
    expect(result(postgresqlTypeProcessing, DateTime({ timezone: true }), "2024-01-02 08:34:05.678+05:30")).toEqual(instant);
    expect(result(postgresqlTypeProcessing, DateTime({ timezone: true }), "2024-01-01 23:34:05.678-03:30")).toEqual(instant);
    expect(result(postgresqlTypeProcessing, DateTime(), "2024-01-02 03:04:05.678")).toEqual(instant);
    expect(result(mysqlTypeProcessing, DateTime(), "2024-01-02 03:04:05.678000")).toEqual(instant);
  });

  it("DateTime refuses an Invalid Date and non-dates", () => {
    expectRefused(DateTime(), new Date(Number.NaN), "DateTime", "Invalid Date");
    expectRefused(DateTime({ timezone: true }), "2024-01-02", "DateTime(timezone)", '"2024-01-02"');
  });

  it("Date and Time are text; a Date value gives its UTC date", () => {
    for (const name of names) {
      expect(bind(processing[name], DateType, "2024-02-29")).toBe("2024-02-29");
      expect(bind(processing[name], DateType, instant)).toBe("2024-01-02");
      expect(bind(processing[name], Time, "03:04:05.123456")).toBe("03:04:05.123456");
      expect(processing[name].result(DateType)).toBeUndefined();
      expect(result(processing[name], Time, "23:59:59.123456")).toBe("23:59:59.123456");
    }
    expect(result(mysqlTypeProcessing, Time, "13:45:56.000000")).toBe("13:45:56");
    expect(result(mysqlTypeProcessing, Time, "12:00:00.500000")).toBe("12:00:00.5");
    expect(result(mysqlTypeProcessing, Time, "13:45:00")).toBe("13:45:00");
    expectRefused(DateType, "2023-02-30", "Date", '"2023-02-30"');
    expectRefused(DateType, "02/03/2024", "Date", '"02/03/2024"');
    expectRefused(Time, "3pm", "Time", '"3pm"');
  });

  it("Interval is milliseconds: PostgreSQL INTERVAL text, microseconds elsewhere", () => {
    expect(bind(postgresqlTypeProcessing, Interval, 1234.5)).toBe("1234500 microseconds");
    expect(bind(sqliteTypeProcessing, Interval, 1.1)).toBe(1100);
    expect(bind(mysqlTypeProcessing, Interval, -86_400_000)).toBe(-86_400_000_000);
    expect(result(postgresqlTypeProcessing, Interval, "1 day 02:03:04.5")).toBe(93_784_500);
    expect(result(postgresqlTypeProcessing, Interval, "-00:00:01.2345")).toBe(-1234.5);
    expect(result(sqliteTypeProcessing, Interval, 1100)).toBe(1.1);
    expect(result(mysqlTypeProcessing, Interval, "-86400000000")).toBe(-86_400_000);
    expectRefused(Interval, Number.POSITIVE_INFINITY, "Interval", "Infinity");
  });
});

describe("JSON and bytes", () => {
  it("JSON travels as text and nested values come back equal", () => {
    const value = { a: [1, { b: null, c: "𝄞" }], d: true, e: 1.5 };
    for (const name of names) {
      expect(bind(processing[name], Json(), value)).toBe('{"a":[1,{"b":null,"c":"𝄞"}],"d":true,"e":1.5}');
      expect(bind(processing[name], Json(), "text")).toBe('"text"');
      expect(result(processing[name], Json(), '{"a":[1,{"b":null,"c":"𝄞"}],"d":true,"e":1.5}')).toEqual(value);
    }
  });

  it("JSON refuses what it would turn into null or cannot write", () => {
    expectRefused(Json(), { a: Number.NaN }, "Json", "Object");
    expectRefused(Json(), { a: 1n }, "Json", "Object");
    expectRefused(Json(), undefined, "Json", "undefined");
  });

  it("bytes go as a Buffer and PostgreSQL's hex comes back as one", () => {
    const bytes = new Uint8Array([0, 1, 255]);
    for (const name of names) {
      const sent = bind(processing[name], LargeBinary, bytes);
      expect(Buffer.isBuffer(sent)).toBe(true);
      expect([...(sent as Buffer)]).toEqual([0, 1, 255]);
    }
    expect(result(postgresqlTypeProcessing, LargeBinary, "\\x0001ff")).toEqual(Buffer.from([0, 1, 255]));
    expect(sqliteTypeProcessing.result(LargeBinary)).toBeUndefined();
    expect(mysqlTypeProcessing.result(LargeBinary)).toBeUndefined();
    expectRefused(LargeBinary, "0001ff", "LargeBinary", '"0001ff"');
  });

  it("NullType values pass through untouched", () => {
    for (const name of names) {
      expect(processing[name].bind(NullType)).toBeUndefined();
      expect(processing[name].result(NullType)).toBeUndefined();
    }
  });
});
