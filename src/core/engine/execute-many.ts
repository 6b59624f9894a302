import { ArgumentError } from "../../shared/errors.ts";
import type { BindSlot, ExtractedStatement } from "../compiler/cache-key.ts";
import type { CompiledStatement } from "../compiler/compiled-statement.ts";
import { isPlainValue } from "../sql/coercions.ts";
import type { SqlType } from "../types/sql-type.ts";
import type { Dialect } from "../dialects/dialect.ts";
import type { DmlTable } from "../sql/dml-table.ts";
import { Insert } from "../sql/insert.ts";
import type { Executable, NamedParams } from "./executable.ts";
import { maxBatchRows } from "./max-batch-rows.ts";
import { type PreparedStatement, bindPrepared, prepareStatement } from "./prepared-statement.ts";

/** Whether `execute()` was given a list of parameter sets (executemany) rather than one. */
export function isParamsList(params: NamedParams | readonly NamedParams[] | undefined): params is readonly NamedParams[] {
  return Array.isArray(params);
}

/**
 * The statements `execute(statement, paramsList)` runs (SQLAlchemy's executemany), all prepared
 * before the first runs, so that a bad parameter set fails with nothing sent.
 *
 * - An `insert(table)` without `.values()` takes the parameter sets as its rows, keyed by column:
 *   multi-row `INSERT … VALUES (…), (…)` of as many rows as `maxBatchRows` allows (SQLAlchemy's
 *   "insertmanyvalues").
 * - Any other statement (UPDATE, DELETE, an INSERT with `.values()` of `bindparam()`s, `text()`)
 *   runs once per parameter set, each filling the statement's named parameters.
 *
 * An empty list is an `ArgumentError`: SQLAlchemy 2.0 runs the statement once without parameters
 * (for `insert(table)`, one row of defaults), which its maintainers call a bug (sqlalchemy#9647).
 */
export function prepareMany(dialect: Dialect, statement: Executable<unknown>, paramsList: readonly NamedParams[]): PreparedStatement[] {
  if (paramsList.length === 0) {
    throw new ArgumentError("execute() was given an empty list of parameter sets; skip the call when there is nothing to run");
  }
  if (statement instanceof Insert && takesRows(statement)) return insertBatches(dialect, statement, paramsList);
  return paramsList.map((params) => prepareStatement(dialect, statement.node, params));
}

/** An INSERT that names no columns and no SELECT yet: its rows come from the parameter sets. */
function takesRows(statement: Insert<DmlTable, unknown>): boolean {
  return statement.node.rows.length === 0 && statement.node.fromSelect === undefined;
}

function insertBatches(dialect: Dialect, statement: Insert<DmlTable, unknown>, paramsList: readonly NamedParams[]): PreparedStatement[] {
  const keys = definedKeys(paramsList[0] as NamedParams);
  checkSameKeys(paramsList, keys);
  // The first row's statement tells the width: the columns given and the client-side defaults.
  const width = statement.values(paramsList[0] as never).node.columns.length;
  // No column at all (every set `{}`): one `INSERT … DEFAULT VALUES` per set, as SQLAlchemy runs it.
  if (width === 0) return paramsList.map(() => prepareStatement(dialect, statement.node));
  const size = maxBatchRows(width);
  const prepared: PreparedStatement[] = [];
  let template: RowsTemplate | undefined;
  for (let start = 0; start < paramsList.length; start += size) {
    const rows = paramsList.slice(start, start + size);
    const filled = template !== undefined && template.rows === rows.length ? fill(template, rows) : undefined;
    if (filled !== undefined) {
      prepared.push(bindPrepared(dialect, (template as RowsTemplate).compiled, filled));
      continue;
    }
    const { compiled, extracted } = dialect.compiler.compile(statement.values(rows as never).node);
    prepared.push(bindPrepared(dialect, compiled, extracted));
    template ??= templateOf(compiled, extracted, rows, keys);
  }
  return prepared;
}

/**
 * A compiled multi-row INSERT whose bound values are exactly its rows' values, row by row (then
 * each row's client-side defaults): the next batch of as many rows binds its values into it
 * without building and walking a statement tree (a third of a 10,000-row bulk INSERT's time).
 */
interface RowsTemplate {
  readonly compiled: CompiledStatement;
  readonly rows: number;
  readonly keys: readonly string[];
  /** Each given column's type, in `keys` order. */
  readonly types: readonly SqlType<unknown>[];
  /** A row's client-side default slots, kept (each computes its value anew). */
  readonly defaults: readonly BindSlot[];
}

const NO_INDEX: ReadonlyMap<object, number> = new Map();

/** The template of a freshly compiled batch, when its slots are its rows' values in order (else `undefined`). */
function templateOf(compiled: CompiledStatement, extracted: ExtractedStatement, rows: readonly NamedParams[], keys: readonly string[]): RowsTemplate | undefined {
  const slots = extracted.slots;
  if (slots.length % rows.length !== 0) return undefined;
  const width = slots.length / rows.length;
  if (width < keys.length) return undefined;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as NamedParams;
    for (let c = 0; c < width; c++) {
      const slot = slots[r * width + c] as BindSlot;
      if (slot.kind !== "bind") {
        if (c < keys.length) return undefined;
        continue;
      }
      // A column typed NULL takes its type from each value: not a fixed template.
      if (c >= keys.length || slot.key !== undefined || slot.type.kind === "null" || !Object.is(slot.value, row[keys[c] as string])) return undefined;
    }
  }
  const types = slots.slice(0, keys.length).map((slot) => slot.type);
  return { compiled, rows: rows.length, keys, types, defaults: slots.slice(keys.length, width) };
}

/** `rows`' values in the template's slots; `undefined` when one is not a plain value (it is built instead). */
function fill(template: RowsTemplate, rows: readonly NamedParams[]): ExtractedStatement | undefined {
  const { keys, types, defaults } = template;
  const slots = new Array<BindSlot>(rows.length * (keys.length + defaults.length));
  let n = 0;
  for (const row of rows) {
    for (let c = 0; c < keys.length; c++) {
      const value = row[keys[c] as string];
      if (!isPlainValue(value)) return undefined;
      slots[n++] = { kind: "bind", value, type: types[c] as SqlType<unknown>, key: undefined };
    }
    for (const slot of defaults) slots[n++] = slot;
  }
  return { key: "", slots, indexOf: NO_INDEX };
}

/** The keys a parameter set gives (an `undefined` value leaves its column out). */
export function definedKeys(params: NamedParams): string[] {
  return Object.keys(params).filter((k) => params[k] !== undefined);
}

/** Whether a parameter set gives exactly `keys` (in any order). */
export function givesExactly(params: NamedParams, keys: readonly string[]): boolean {
  let given = 0;
  for (const key in params) if (params[key] !== undefined) given++;
  if (given !== keys.length) return false;
  for (const key of keys) if (params[key] === undefined) return false;
  return true;
}

/**
 * Checks that every parameter set gives the columns of the first (an `undefined` value leaves a
 * column out, as in `.values()`): a set missing one, or giving one more, is an `ArgumentError`
 * naming the key and the set's index. (SQLAlchemy raises for a missing key too, and ignores an
 * extra one; here an extra one is refused, as `.values()` refuses rows naming other columns.)
 */
function checkSameKeys(paramsList: readonly NamedParams[], keys: readonly string[]): void {
  for (let i = 1; i < paramsList.length; i++) {
    const params = paramsList[i] as NamedParams;
    if (givesExactly(params, keys)) continue;
    const missing = keys.find((key) => params[key] === undefined);
    if (missing !== undefined) {
      throw new ArgumentError(
        `execute(insert(…), [...]): parameter set ${i} has no value for "${missing}", which parameter set 0 gives; ` +
          "every parameter set must give the same columns (pass null for NULL)",
      );
    }
    const extra = definedKeys(params).find((k) => !keys.includes(k));
    throw new ArgumentError(
      `execute(insert(…), [...]): parameter set ${i} gives "${extra}", which parameter set 0 does not; ` +
        "every parameter set must give the same columns",
    );
  }
}
