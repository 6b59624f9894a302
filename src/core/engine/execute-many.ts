import { ArgumentError } from "../../shared/errors.ts";
import type { BindSlot, ColumnDefaultSlot, ExtractedStatement } from "../compiler/cache-key.ts";
import type { CompiledStatement } from "../compiler/compiled-statement.ts";
import { isPlainValue } from "../sql/coercions.ts";
import type { Dialect } from "../dialects/dialect.ts";
import type { DmlTable } from "../sql/dml-table.ts";
import { Insert } from "../sql/insert.ts";
import type { Executable, NamedParams } from "./executable.ts";
import { maxBatchRows } from "./max-batch-rows.ts";
import { type PreparedStatement, bindPrepared, bindValues, prepareStatement } from "./prepared-statement.ts";
import { setBounded } from "../../shared/bounded-map.ts";

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
 *
 * `sameKeys`: the keys every set is known to give (a caller that grouped the sets by their keys),
 * so that they are not checked again, a pass over every set.
 */
export function prepareMany(dialect: Dialect, statement: Executable<unknown>, paramsList: readonly NamedParams[], sameKeys?: readonly string[]): PreparedStatement[] {
  if (paramsList.length === 0) {
    throw new ArgumentError("execute() was given an empty list of parameter sets; skip the call when there is nothing to run");
  }
  if (statement instanceof Insert && takesRows(statement)) return insertBatches(dialect, statement, paramsList, sameKeys);
  return paramsList.map((params) => prepareStatement(dialect, statement.node, params));
}

/** An INSERT that names no columns and no SELECT yet: its rows come from the parameter sets. */
function takesRows(statement: Insert<DmlTable, unknown>): boolean {
  return statement.node.rows.length === 0 && statement.node.fromSelect === undefined;
}

function insertBatches(dialect: Dialect, statement: Insert<DmlTable, unknown>, paramsList: readonly NamedParams[], sameKeys: readonly string[] | undefined): PreparedStatement[] {
  const keys = sameKeys ?? definedKeys(paramsList[0] as NamedParams);
  if (sameKeys === undefined) checkSameKeys(paramsList, keys);
  // The first row's statement tells the width (the columns given and the client-side defaults),
  // and its cache key, with the keys and the batch size, names the template of a full batch.
  const single = statement.values(paramsList[0] as never).node;
  const width = single.columns.length;
  // No column at all (every set `{}`): one `INSERT … DEFAULT VALUES` per set, as SQLAlchemy runs it.
  if (width === 0) return paramsList.map(() => prepareStatement(dialect, statement.node));
  const size = maxBatchRows(width);
  const first = dialect.compiler.compile(single).extracted;
  const templateKey = `${first.key}\0${keys.join("\0")}`;
  // This call's client-side defaults, after the given columns' values: a template keeps none
  // (another table of the same name and shape may compute its own). Any other slot there (a
  // bound value of the statement itself) and the batches are built each time.
  const defaults = first.slots.slice(keys.length);
  const templates = defaults.every(isColumnDefault) ? templatesOf(dialect) : undefined;
  const prepared: PreparedStatement[] = [];
  for (let start = 0; start < paramsList.length; start += size) {
    const rows = paramsList.slice(start, start + size);
    const key = `${templateKey}\0${rows.length}`;
    const template = templates?.get(key);
    const filled = template === undefined ? undefined : fill(template, rows, defaults as ColumnDefaultSlot[]);
    if (filled !== undefined) {
      prepared.push(bindValues(dialect, (template as RowsTemplate).compiled, filled));
      continue;
    }
    const { compiled, extracted } = dialect.compiler.compile(statement.values(rows as never).node);
    prepared.push(bindPrepared(dialect, compiled, extracted));
    // A first batch of this shape becomes its template (one whose values would not refill it stays built each time).
    if (templates !== undefined && template === undefined) {
      const made = templateOf(compiled, extracted, rows, keys);
      if (made !== undefined) setBounded(templates, key, made, TEMPLATES_KEPT);
    }
  }
  return prepared;
}

function isColumnDefault(slot: BindSlot): slot is ColumnDefaultSlot {
  return slot.kind === "column-default";
}

/** Full-batch templates kept per dialect: a bulk INSERT of the same shape reuses its statement (about 1 ms of 10,000 rows). */
const TEMPLATES_KEPT = 32;
const templateCache = new WeakMap<Dialect, Map<string, RowsTemplate>>();

function templatesOf(dialect: Dialect): Map<string, RowsTemplate> {
  let templates = templateCache.get(dialect);
  if (templates === undefined) templateCache.set(dialect, (templates = new Map()));
  return templates;
}

/**
 * A compiled multi-row INSERT whose bound values are exactly its rows' values, row by row (then
 * each row's client-side defaults): the next batch of as many rows, of this call or a later one,
 * binds its values into it without building and walking a statement tree (a third of a
 * 10,000-row bulk INSERT's time).
 */
interface RowsTemplate {
  readonly compiled: CompiledStatement;
  /** The given columns' keys, in the order the statement binds them (its cache key names the defaults after them). */
  readonly keys: readonly string[];
}

/**
 * The template of a freshly compiled batch, when its slots are its rows' values in order and its
 * placeholders number them in that order (else `undefined`).
 */
function templateOf(compiled: CompiledStatement, extracted: ExtractedStatement, rows: readonly NamedParams[], keys: readonly string[]): RowsTemplate | undefined {
  const slots = extracted.slots;
  if (compiled.slotOrder.length !== slots.length || compiled.slotOrder.some((slot, i) => slot !== i)) return undefined;
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
  return { compiled, keys };
}

/**
 * `rows`' values in placeholder order, each row's client-side defaults computed after its values;
 * `undefined` when one is not a plain value (the batch is built instead).
 */
function fill(template: RowsTemplate, rows: readonly NamedParams[], defaults: readonly ColumnDefaultSlot[]): unknown[] | undefined {
  const { keys } = template;
  const values = new Array<unknown>(rows.length * (keys.length + defaults.length));
  let n = 0;
  for (const row of rows) {
    for (let c = 0; c < keys.length; c++) {
      const value = row[keys[c] as string];
      if (!isPlainValue(value)) return undefined;
      values[n++] = value;
    }
    for (const slot of defaults) values[n++] = slot.compute();
  }
  return values;
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
