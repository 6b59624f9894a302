import type { TextParser } from "../untyped-columns.ts";
import type { PgliteInstance } from "./pglite-api.ts";

/** INT8: left as text, as pg returns it, so both PostgreSQL drivers agree (PGlite would give a number). */
const INT8_OID = 20;

const nativeParsers = new WeakMap<PgliteInstance, Readonly<Record<number | string, TextParser>>>();

/**
 * Keeps the instance's own result parsers (built-in and array types) before the driver makes them
 * text-only, for the columns a statement leaves untyped.
 */
export function keepNativeParsers(db: PgliteInstance): void {
  const parsers: Record<number | string, TextParser> = { ...db.parsers };
  delete parsers[INT8_OID];
  nativeParsers.set(db, parsers);
}

/** PGlite's parser for a type OID, with the OID it expects as its second argument. */
export function nativeParserOf(db: PgliteInstance): (oid: number) => TextParser | undefined {
  const parsers = nativeParsers.get(db) ?? {};
  return (oid) => {
    const parse = parsers[oid] as ((value: string, typeId?: number) => unknown) | undefined;
    return parse === undefined ? undefined : (value) => parse(value, oid);
  };
}
