import { StaleDataError } from "../../shared/errors.ts";
import type { CompiledStatement } from "../../core/compiler/compiled-statement.ts";
import { compileUpdateFromArrays, compileUpdateFromValues } from "../../core/compiler/update-from-values.ts";
import type { AnyConnection } from "../../core/engine/any-connection.ts";
import { update } from "../../core/sql/update.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import type { ForeignKeySync } from "./dependency-processor.ts";
import { identityClause, identityOf } from "./row-identity.ts";
import { expectedVersion, fetchVersion, ROW_GONE, serverVersioned, versionedIdentityClause } from "./row-version.ts";
import { isPlainValue } from "../../core/sql/coercions.ts";
import { runTemplated } from "./statement-templates.ts";
import { bindValues } from "../../core/engine/prepared-statement.ts";
import type { Io } from "../../shared/io.ts";

/**
 * The columns an UPDATE of `state` changes (those whose value differs from the one loaded), in
 * mapper order; `undefined` when there are none. Pure: the `onupdate` columns come later
 * (`updateRow`, `updateRows`), once the row is sure to be written.
 */
export function changedColumns(state: InstanceState): ColumnProperty[] | undefined {
  const committed = state.committed;
  if (committed === undefined) return undefined;
  let out: ColumnProperty[] | undefined;
  for (const c of (state.mapper as Mapper).columns) {
    if (!committed.has(c.slot)) continue;
    const value = state.valueAt(c.slot);
    if (value === UNLOADED || value === committed.get(c.slot)) continue;
    (out ??= []).push(c);
  }
  return out;
}

/**
 * The columns `state`'s UPDATE will change once `syncs` copy its foreign keys: `changedColumns` as
 * it will be at run time, planned without writing (pure). A key copied from a row not yet
 * inserted counts as a change (its value is generated later).
 */
export function plannedUpdateColumns(state: InstanceState, syncs: readonly ForeignKeySync[] | undefined): ColumnProperty[] | undefined {
  if (syncs === undefined) return changedColumns(state);
  const committed = state.committed;
  let out: ColumnProperty[] | undefined;
  for (const c of (state.mapper as Mapper).columns) {
    const value = state.valueAt(c.slot);
    const original = committed?.has(c.slot) === true ? committed.get(c.slot) : value;
    const synced = syncedValue(syncs, c.slot);
    const changed = synced === NOT_SYNCED ? value !== UNLOADED && value !== original : synced === NOT_KNOWN || synced !== original;
    if (changed) (out ??= []).push(c);
  }
  return out;
}

const NOT_SYNCED = Symbol("not synced");
const NOT_KNOWN = Symbol("not known yet");

/** The value the last of `syncs` to write `slot` copies into it, as far as it is known before any row is written. */
function syncedValue(syncs: readonly ForeignKeySync[], slot: number): unknown {
  let out: unknown = NOT_SYNCED;
  for (const sync of syncs) {
    const i = sync.destSlots.indexOf(slot);
    if (i < 0) continue;
    const source = sync.source;
    if (source === null) {
      out = null;
      continue;
    }
    const sourceSlot = sync.sourceSlots[i] as number;
    const value = source.valueAt(sourceSlot);
    const keyIndex = source.mapper.primaryKeySlots.indexOf(sourceSlot);
    out = value !== UNLOADED ? value : keyIndex >= 0 && source.hasIdentity ? source.identity?.[keyIndex] : NOT_KNOWN;
    // A key not generated yet (a new row's autoincrement) reads as null or unloaded until its INSERT.
    if (out === null && !source.hasIdentity) out = NOT_KNOWN;
  }
  return out;
}

/**
 * Whether `state`'s UPDATE of `columns` can be one row of a multi-row UPDATE: it changes no
 * primary key column (the row is found by its old key, and a key moving onto another row's old
 * key must happen in order) and binds only plain values. A versioned row is never batched (as in
 * SQLAlchemy): the error of a stale row must name it, which one count for the batch cannot do.
 */
export function batchable(state: InstanceState, columns: readonly ColumnProperty[]): boolean {
  if ((state.mapper as Mapper).versionColumn !== undefined) return false;
  for (const c of columns) {
    if (c.column.primaryKey || c.column.type.kind === "null" || !isPlainValue(state.valueAt(c.slot))) return false;
  }
  return true;
}

/** The client-side `onupdate` columns an UPDATE of `columns` adds (those it does not set itself). */
function onupdateColumns(mapper: Mapper, columns: readonly ColumnProperty[]): ColumnProperty[] {
  return mapper.columns.filter((c) => c.column.onupdate !== undefined && !columns.includes(c) && c !== mapper.versionColumn);
}

/** Computes `state`'s `onupdate` values now, keeping them on the object (as SQLAlchemy does). */
function applyOnupdate(state: InstanceState, columns: readonly ColumnProperty[]): void {
  for (const c of columns) {
    const source = c.column.onupdate;
    state.storeAt(c.slot, typeof source === "function" ? (source as () => unknown)() : source);
  }
}

/**
 * `UPDATE t SET <columns> WHERE <primary key>` for one object; exactly one row must match. A
 * versioned row also sets its next version (unless the database makes it, or the change sets it)
 * and is matched only while it holds the version the object knows (`AND version = ?`); a version
 * the database makes is read back (RETURNING, else a SELECT).
 */
export function* updateRow(state: InstanceState, columns: readonly ColumnProperty[], conn: AnyConnection): Io<void> {
  const mapper = state.mapper as Mapper;
  const version = mapper.versionColumn;
  const expected = version === undefined ? undefined : yield* expectedVersion(state, version, conn);
  if (expected === ROW_GONE) throw staleData(mapper, 1, 0, state);
  const onupdate = onupdateColumns(mapper, columns);
  applyOnupdate(state, onupdate);
  const set = [...columns, ...onupdate];
  const generator = mapper.versionGenerator;
  if (version !== undefined && generator !== false && !columns.includes(version)) {
    state.storeAt(version.slot, generator(expected));
    set.push(version);
  }
  const identity = identityOf(mapper, state);
  const values = [...set.map((c) => state.valueAt(c.slot)), ...identity];
  if (version !== undefined) values.push(expected);
  const fetchBack = version !== undefined && serverVersioned(mapper);
  const returning = fetchBack && conn.dialect.capabilities.updateReturning;
  // A NULL expected version is `IS NULL`, not `= ?`: that statement is built, never a reused one.
  const plain = expected !== null && values.every(isPlainValue) && set.every((c) => c.column.type.kind !== "null");
  const shape = plain ? `update ${set.map((c) => c.slot).join(",")}${returning ? " returning" : ""}` : undefined;
  const result = yield* runTemplated(conn, mapper, shape, values, () => {
    const record: Record<string, unknown> = {};
    for (const c of set) record[c.key] = state.valueAt(c.slot);
    const where = version === undefined ? identityClause(mapper, identity) : versionedIdentityClause(mapper, identity, version, expected);
    const statement = update(mapper.table).where(where).values(record as never);
    return returning ? statement.returning(version.column) : statement;
  });
  expireSlots(state, changedByServerSlots(mapper, set));
  if (!returning) {
    checkMatched(mapper, 1, result.rowsAffected, state);
    if (fetchBack) yield* fetchVersion(state, version, conn);
    return;
  }
  const rows = result.all() as Record<string, unknown>[];
  checkMatched(mapper, 1, rows.length, state);
  state.storeAt(version.slot, rows[0]?.[version.key] ?? null);
}

/**
 * The columns the database changes on UPDATE (`serverOnupdate`, generated columns) that the
 * UPDATE did not set: expired after it, so that their new values load on the next read (as
 * SQLAlchemy does). The same for every object of a batch, so worked out once per statement.
 */
function changedByServerSlots(mapper: Mapper, set: readonly ColumnProperty[]): number[] {
  return mapper.columns.filter((c) => c.column.changesOnUpdate && !set.includes(c)).map((c) => c.slot);
}

function expireSlots(state: InstanceState, slots: readonly number[]): void {
  if (slots.length > 0) state.expireSlots(slots, "expired");
}

/**
 * One UPDATE for several objects of one mapper changing the same `columns` (each `batchable`):
 * `UPDATE … FROM (VALUES …)` on dialects that write it; `false` (and nothing run) elsewhere.
 * The rows matched must number the objects, as for single-row UPDATEs.
 */
export function* updateRows(batch: readonly InstanceState[], columns: readonly ColumnProperty[], conn: AnyConnection): Io<boolean> {
  if (!updatesInBatches(conn)) return false;
  const mapper = (batch[0] as InstanceState).mapper as Mapper;
  const onupdate = onupdateColumns(mapper, columns);
  const set = [...columns, ...onupdate];
  const written = [...mapper.primaryKey, ...set];
  const shape = {
    table: mapper.table.node,
    keys: mapper.primaryKey.map((c) => ({ name: c.column.name, type: c.column.type })),
    set: set.map((c) => ({ name: c.column.name, type: c.column.type })),
  };
  // Row by row, each row's key values first, then its `set` values.
  const values: unknown[] = [];
  for (const state of batch) {
    applyOnupdate(state, onupdate);
    const identity = identityOf(mapper, state);
    for (let i = 0; i < mapper.primaryKey.length; i++) values.push(identity[i]);
    for (const c of set) values.push(state.valueAt(c.slot));
  }
  const width = written.length;
  // An array among the values (stored without the attribute's validation) would read as one more
  // dimension of its column's array: the VALUES list binds it as it is, or refuses it.
  const arrays = values.some(Array.isArray) ? undefined : compileUpdateFromArrays(conn.dialect.compiler, shape);
  // Both statements number their placeholders in the order of their parameters.
  const prepared =
    arrays !== undefined
      ? bindValues(conn.dialect, arrays, written.map((_, column) => everyNth(values, column, width)))
      : bindValues(conn.dialect, compileUpdateFromValues(conn.dialect.compiler, { ...shape, rows: batch.length }) as CompiledStatement, values);
  const result = yield* conn.executePreparedIo(prepared);
  checkMatched(mapper, batch.length, result.rowsAffected);
  const expired = changedByServerSlots(mapper, set);
  for (const state of batch) expireSlots(state, expired);
  return true;
}

/** `values[start]`, `values[start + step]`, …: one column of row-by-row values. */
function everyNth(values: readonly unknown[], start: number, step: number): unknown[] {
  const column: unknown[] = [];
  for (let i = start; i < values.length; i += step) column.push(values[i]);
  return column;
}

/** Whether the dialect can write a multi-row UPDATE (so batches are worth gathering). */
export function updatesInBatches(conn: AnyConnection): boolean {
  return conn.dialect.capabilities.updateFromValues !== "none";
}

/** StaleDataError unless `matched` rows are the `expected` ones (SQLAlchemy's rowcount check). */
export function checkMatched(mapper: Mapper, expected: number, matched: number, state?: InstanceState): void {
  if (matched !== expected) throw staleData(mapper, expected, matched, state);
}

/** SQLAlchemy's message, naming the object when the statement was for one. */
function staleData(mapper: Mapper, expected: number, matched: number, state: InstanceState | undefined): StaleDataError {
  const object = state === undefined ? "" : ` (${mapper.describe(state)})`;
  return new StaleDataError(`UPDATE statement on table '${mapper.table.name}' expected to update ${expected} row(s); ${matched} were matched${object}.`);
}
