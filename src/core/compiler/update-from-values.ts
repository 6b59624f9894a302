import type { SqlType } from "../types/sql-type.ts";
import type { CompiledStatement } from "./compiled-statement.ts";
import type { SqlCompiler } from "./sql-compiler.ts";

/** A column of an UPDATE from a list of values: its name in the table and the type of its values. */
export interface ValuesColumn {
  readonly name: string;
  readonly type: SqlType<unknown>;
}

/**
 * The shape of one UPDATE of many rows, each with its own values: the rows are matched on `keys`
 * and get `set`. Parameters go row by row, each row's key values first, then its `set` values.
 */
export interface UpdateFromValuesShape {
  readonly table: { readonly name: string; readonly schema: string | undefined };
  readonly keys: readonly ValuesColumn[];
  readonly set: readonly ValuesColumn[];
  readonly rows: number;
}

/**
 * A dialect compiler that writes `UPDATE t SET c = v.c FROM (VALUES …) AS v WHERE t.k = v.k`
 * (PostgreSQL, SQLite ≥ 3.33). MySQL/MariaDB have no `UPDATE … FROM`: the unit of work keeps one
 * UPDATE per row there.
 */
export interface UpdateFromValuesCompiler {
  /** The SQL of `shape`, with this dialect's placeholders, parameters in the order the shape says. */
  renderUpdateFromValues(shape: UpdateFromValuesShape): string;
}

/** Whether this dialect's compiler writes an UPDATE from a list of values. */
export function canUpdateFromValues(compiler: SqlCompiler): compiler is SqlCompiler & UpdateFromValuesCompiler {
  return typeof (compiler as Partial<UpdateFromValuesCompiler>).renderUpdateFromValues === "function";
}

/** Compiled statements by shape, per compiler: the unit of work asks for the same few shapes again and again. */
const cache = new WeakMap<SqlCompiler, Map<string, CompiledStatement>>();
const CACHE_SIZE = 64;

/**
 * The compiled UPDATE of many rows from a list of values, or `undefined` where the dialect has no
 * such statement. Cached per compiler and shape (values are never part of it: they are bound).
 */
export function compileUpdateFromValues(compiler: SqlCompiler, shape: UpdateFromValuesShape): CompiledStatement | undefined {
  if (!canUpdateFromValues(compiler)) return undefined;
  let byShape = cache.get(compiler);
  if (byShape === undefined) cache.set(compiler, (byShape = new Map()));
  const columns = (list: readonly ValuesColumn[]) => list.map((c) => `${JSON.stringify(c.name)}:${c.type.cacheKey}`).join(",");
  const key = `${JSON.stringify([shape.table.schema ?? null, shape.table.name])}|${columns(shape.keys)}|${columns(shape.set)}|${shape.rows}`;
  let compiled = byShape.get(key);
  if (compiled !== undefined) return compiled;
  const types = [...shape.keys, ...shape.set].map((c) => c.type);
  const paramTypes: SqlType<unknown>[] = [];
  for (let r = 0; r < shape.rows; r++) paramTypes.push(...types);
  compiled = Object.freeze({
    sql: compiler.renderUpdateFromValues(shape),
    slotOrder: paramTypes.map((_, i) => i),
    paramTypes,
    paramKeys: paramTypes.map(() => undefined),
    resultColumns: [],
    returnsRows: false,
  });
  if (byShape.size >= CACHE_SIZE) byShape.delete(byShape.keys().next().value as string);
  byShape.set(key, compiled);
  return compiled;
}

/** The name of the VALUES list: `v`, unless the table itself is called that. */
export function valuesAlias(tableName: string): string {
  return tableName === "v" ? "v_" : "v";
}
