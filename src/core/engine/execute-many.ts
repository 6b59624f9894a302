import { ArgumentError } from "../../shared/errors.ts";
import type { Dialect } from "../dialects/dialect.ts";
import type { DmlTable } from "../sql/dml-table.ts";
import { Insert } from "../sql/insert.ts";
import type { Executable, NamedParams } from "./executable.ts";
import { maxBatchRows } from "./max-batch-rows.ts";
import { type PreparedStatement, prepareStatement } from "./prepared-statement.ts";

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
  checkSameKeys(paramsList);
  // The first row's statement tells the width: the columns given and the client-side defaults.
  const width = statement.values(paramsList[0] as never).node.columns.length;
  // No column at all (every set `{}`): one `INSERT … DEFAULT VALUES` per set, as SQLAlchemy runs it.
  if (width === 0) return paramsList.map(() => prepareStatement(dialect, statement.node));
  const size = maxBatchRows(width);
  const prepared: PreparedStatement[] = [];
  for (let start = 0; start < paramsList.length; start += size) {
    const rows = paramsList.slice(start, start + size);
    prepared.push(prepareStatement(dialect, statement.values(rows as never).node));
  }
  return prepared;
}

/**
 * Checks that every parameter set gives the columns of the first (an `undefined` value leaves a
 * column out, as in `.values()`): a set missing one, or giving one more, is an `ArgumentError`
 * naming the key and the set's index. (SQLAlchemy raises for a missing key too, and ignores an
 * extra one; here an extra one is refused, as `.values()` refuses rows naming other columns.)
 */
function checkSameKeys(paramsList: readonly NamedParams[]): void {
  const first = paramsList[0] as NamedParams;
  const keys = Object.keys(first).filter((k) => first[k] !== undefined);
  const known = new Set(keys);
  for (let i = 1; i < paramsList.length; i++) {
    const params = paramsList[i] as NamedParams;
    for (const key of keys) {
      if (params[key] === undefined) {
        throw new ArgumentError(
          `execute(insert(…), [...]): parameter set ${i} has no value for "${key}", which parameter set 0 gives; ` +
            "every parameter set must give the same columns (pass null for NULL)",
        );
      }
    }
    let given = 0;
    for (const key in params) if (params[key] !== undefined) given++;
    if (given !== keys.length) {
      const extra = Object.keys(params).find((k) => params[k] !== undefined && !known.has(k));
      throw new ArgumentError(
        `execute(insert(…), [...]): parameter set ${i} gives "${extra}", which parameter set 0 does not; ` +
          "every parameter set must give the same columns",
      );
    }
  }
}
