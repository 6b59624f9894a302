import { SqlType } from "./sql-type.ts";

/** INTEGER: a 32-bit signed integer, as a `number`. */
export const Integer: SqlType<number> = new SqlType<number>("integer");
/** SMALLINT: a 16-bit signed integer, as a `number`. */
export const SmallInteger: SqlType<number> = new SqlType<number>("smallint");
/** BIGINT: a 64-bit signed integer, as a `bigint` so that values beyond 2^53 stay exact. */
export const BigInteger: SqlType<bigint> = new SqlType<bigint>("bigint");
/** TEXT: unbounded text. */
export const Text: SqlType<string> = new SqlType<string>("text");
/** BOOLEAN (an integer 0/1 where the database has no boolean). */
export const BooleanType: SqlType<boolean> = new SqlType<boolean>("boolean");
/** DOUBLE PRECISION / REAL: a floating-point `number`. */
export const Float: SqlType<number> = new SqlType<number>("float");
/** DATE, as an ISO `YYYY-MM-DD` string (JavaScript has no date-only type). */
export const DateType: SqlType<string> = new SqlType<string>("date");
/** TIME, as an `HH:MM:SS[.ffffff]` string. */
export const Time: SqlType<string> = new SqlType<string>("time");
/** INTERVAL (PostgreSQL), as a number of milliseconds; stored as BIGINT microseconds elsewhere. */
export const Interval: SqlType<number> = new SqlType<number>("interval");
/** UUID (CHAR(32)-free: a native UUID on PostgreSQL, CHAR(36) elsewhere), as a string. */
export const Uuid: SqlType<string> = new SqlType<string>("uuid");
/** BLOB / BYTEA / LONGBLOB, as a `Uint8Array` (a `Buffer` on Node). */
export const LargeBinary: SqlType<Uint8Array> = new SqlType<Uint8Array>("binary");

/** VARCHAR(length); without a length, VARCHAR where the dialect allows it. */
export function StringType(length?: number): SqlType<string> {
  return new SqlType<string>("string", length === undefined ? {} : { length });
}

/** NUMERIC(precision, scale), as a decimal string: exact, never a lossy float. */
export function Numeric(precision?: number, scale?: number): SqlType<string> {
  return new SqlType<string>("numeric", {
    ...(precision === undefined ? {} : { precision }),
    ...(scale === undefined ? {} : { scale }),
  });
}

/** TIMESTAMP / DATETIME, as a `Date`. With `timezone: true`, TIMESTAMP WITH TIME ZONE where supported. */
export function DateTime(options: { timezone?: boolean } = {}): SqlType<Date> {
  return new SqlType<Date>("datetime", options.timezone ? { timezone: true } : {});
}

/** JSON (TEXT on SQLite): any JSON value, typed as `T`. */
export function Json<T = unknown>(): SqlType<T> {
  return new SqlType<T>("json");
}

/** An enumerated string: a native ENUM on MySQL and PostgreSQL, VARCHAR + CHECK on SQLite. */
export function Enum<const V extends string>(values: readonly V[], options: { name?: string } = {}): SqlType<V> {
  return new SqlType<V>("enum", { values, ...(options.name === undefined ? {} : { name: options.name }) });
}

/**
 * ARRAY (PostgreSQL only): a JavaScript array of `item` values (nested `dimensions` deep); other
 * databases refuse it in DDL.
 *
 * ```ts
 * tags: Column(ARRAY(StringType(20)))        // "tags" VARCHAR(20)[]
 * grid: Column(ARRAY(Integer, { dimensions: 2 }))   // "grid" INTEGER[][]
 * ```
 */
export function ARRAY<T, const D extends 1 | 2 | 3 = 1>(item: SqlType<T>, options: { dimensions?: D } = {}): SqlType<NestedArray<T, D>> {
  return new SqlType<NestedArray<T, D>>("array", { item, ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }) });
}

/** `T[]`, `T[][]` or `T[][][]`: the value type of an ARRAY of `D` dimensions. */
export type NestedArray<T, D extends 1 | 2 | 3> = D extends 3 ? T[][][] : D extends 2 ? T[][] : T[];

/** The type of a `NULL` literal or a value whose type nothing tells. */
export const NullType: SqlType<unknown> = new SqlType<unknown>("null");
