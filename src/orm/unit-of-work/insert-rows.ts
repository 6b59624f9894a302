import type { AnyConnection } from "../../core/engine/any-connection.ts";
import { insert } from "../../core/sql/insert.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { fetchVersion, serverVersioned } from "./row-version.ts";
import { isPlainValue } from "../../core/sql/coercions.ts";
import { runTemplated } from "./statement-templates.ts";
import type { Io } from "../../shared/io.ts";

/** The columns a new row gives: everything set, plus client defaults computed now (and kept on the object). */
export function insertColumns(state: InstanceState): ColumnProperty[] {
  const out: ColumnProperty[] = [];
  const mapper = state.mapper as Mapper;
  for (const c of mapper.columns) if (givesColumn(state, mapper, c)) out.push(c);
  return out;
}

/**
 * The columns a new row will give once the foreign keys synced into `syncedSlots` are copied:
 * what `insertColumns` lists at run time, planned without computing a default (pure).
 */
export function plannedInsertColumns(state: InstanceState, syncedSlots: ReadonlySet<number> | undefined): ColumnProperty[] {
  const mapper = state.mapper as Mapper;
  return mapper.columns.filter((c) => syncedSlots?.has(c.slot) === true || willGive(state.valueAt(c.slot), mapper, c));
}

/** Whether every primary key column of a new row is known once its synced foreign keys are copied (pure). */
export function plannedKeyKnown(state: InstanceState, syncedSlots: ReadonlySet<number> | undefined): boolean {
  for (const c of (state.mapper as Mapper).primaryKey) {
    const v = state.valueAt(c.slot);
    if (syncedSlots?.has(c.slot) !== true && (v === UNLOADED || v === null || v === undefined)) return false;
  }
  return true;
}

/**
 * Whether a new row gives exactly `columns` (as `insertColumns` would list them), without listing
 * them; the client defaults among them are computed now.
 */
export function givesColumns(state: InstanceState, columns: readonly ColumnProperty[]): boolean {
  const mapper = state.mapper as Mapper;
  let n = 0;
  for (const c of mapper.columns) {
    if (!givesColumn(state, mapper, c)) continue;
    if (columns[n] !== c) return false;
    n++;
  }
  return n === columns.length;
}

/** Whether a column holding `value` is in the INSERT: set, or unset with a client-side default or version. */
function willGive(value: unknown, mapper: Mapper, c: ColumnProperty): boolean {
  if (value === UNLOADED) return (c === mapper.versionColumn && mapper.versionGenerator !== false) || c.column.hasClientDefault;
  return value !== null || c.column !== mapper.table.autoincrementColumn;
}

/** `willGive`, computing an unset column's default now (kept on the object, as SQLAlchemy does). */
function givesColumn(state: InstanceState, mapper: Mapper, c: ColumnProperty): boolean {
  const value = state.valueAt(c.slot);
  if (!willGive(value, mapper, c)) return false;
  if (value === UNLOADED) {
    // The first version is the generator's next after none (1 for the counter).
    state.storeAt(c.slot, c === mapper.versionColumn && mapper.versionGenerator !== false ? mapper.versionGenerator(null) : c.column.defaultValue());
  }
  return true;
}

export function primaryKeyKnown(state: InstanceState): boolean {
  return plannedKeyKnown(state, undefined);
}

export function sameColumns(a: readonly ColumnProperty[], b: readonly ColumnProperty[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Whether a multi-row INSERT of this mapper can get its generated keys back, in row order. */
export function returnsGeneratedKeys(mapper: Mapper, conn: AnyConnection): boolean {
  const generated = mapper.table.autoincrementColumn;
  return (
    conn.dialect.capabilities.insertReturning &&
    generated !== undefined &&
    mapper.primaryKey.length === 1 &&
    (mapper.primaryKey[0] as ColumnProperty).column === generated
  );
}

/**
 * One INSERT of `batch` (rows of one mapper giving the same `columns`), fetching generated keys and
 * server defaults back by RETURNING where the database has it. A version the database makes is
 * fetched back too, by a SELECT per row where there is no RETURNING. The compiled statement is
 * reused for the next batch of the same shape (statement-templates.ts).
 */
export function* insertRows(batch: readonly InstanceState[], columns: readonly ColumnProperty[], conn: AnyConnection): Io<void> {
  const mapper = (batch[0] as InstanceState).mapper as Mapper;
  const given = new Set(columns);
  const serverVersion = serverVersioned(mapper) && !given.has(mapper.versionColumn as ColumnProperty) ? mapper.versionColumn : undefined;
  const fetch = mapper.columns.filter(
    (c) => !given.has(c) && (c.column.primaryKey || c.column.hasServerDefault || c === serverVersion),
  );
  const returning = fetch.length > 0 && conn.dialect.capabilities.insertReturning;
  // Several rows: the primary key comes back too, to tell which returned row is which.
  const keyed = returning && batch.length > 1;
  const returned = keyed ? [...new Set([...mapper.primaryKey, ...fetch])] : fetch;

  const values = new Array<unknown>(batch.length * columns.length);
  // A column typed NULL takes its type from each value: its statement is built every time.
  let plain = columns.every((c) => c.column.type.kind !== "null");
  let n = 0;
  for (const state of batch) {
    for (const c of columns) {
      const value = state.valueAt(c.slot);
      if (plain && !isPlainValue(value)) plain = false;
      values[n++] = value;
    }
  }
  const slots = (list: readonly ColumnProperty[]) => list.map((c) => c.slot).join(",");
  const shape = plain ? `insert ${slots(columns)} × ${batch.length}${returning ? ` returning ${slots(returned)}` : ""}` : undefined;
  const result = yield* runTemplated(conn, mapper, shape, values, () => {
    const rows = batch.map((state) => Object.fromEntries(columns.map((c) => [c.key, state.valueAt(c.slot)])));
    const statement = insert(mapper.table).values(rows as never);
    return returning ? statement.returning(...returned.map((c) => c.column)) : statement;
  });

  const fetched = returning ? correlate(batch, result.all() as Record<string, unknown>[], mapper, keyed) : [];
  batch.forEach((state, index) => {
    for (const c of fetch) {
      if (returning) state.storeAt(c.slot, fetched[index]?.[c.key] ?? null);
      else if (c.column === mapper.table.autoincrementColumn && result.lastInsertId !== undefined) {
        state.storeAt(c.slot, c.column.type.kind === "bigint" ? BigInt(result.lastInsertId) : Number(result.lastInsertId));
      }
      // A server default not fetched stays unloaded, to be read again (SQLAlchemy expires it).
    }
    for (const c of mapper.columns) {
      if (state.valueAt(c.slot) === UNLOADED && !fetch.includes(c)) state.storeAt(c.slot, null);
    }
  });
  if (serverVersion !== undefined && !returning) for (const state of batch) yield* fetchVersion(state, serverVersion, conn);
}

/**
 * The RETURNING row of each batch row. Known keys are matched by value; generated keys are
 * handed out in ascending order, the order in which one statement generates them (what
 * SQLAlchemy relies on too, as databases do not promise RETURNING's row order).
 */
function correlate(
  batch: readonly InstanceState[],
  rows: Record<string, unknown>[],
  mapper: Mapper,
  keyed: boolean,
): (Record<string, unknown> | undefined)[] {
  if (!keyed) return rows;
  if (primaryKeyKnown(batch[0] as InstanceState)) {
    const byKey = new Map(rows.map((row) => [mapper.identityKey(mapper.primaryKey.map((c) => row[c.key])), row]));
    return batch.map((state) => byKey.get(mapper.identityKey(mapper.primaryKey.map((c) => state.valueAt(c.slot)))));
  }
  const key = (mapper.primaryKey[0] as ColumnProperty).key;
  return [...rows].sort((a, b) => {
    const x = a[key] as number | bigint;
    const y = b[key] as number | bigint;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
