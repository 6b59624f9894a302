import { StaleDataError } from "../../shared/errors.ts";
import type { BindSlot } from "../../core/compiler/cache-key.ts";
import { compileUpdateFromValues } from "../../core/compiler/update-from-values.ts";
import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { Expression } from "../../core/sql/coercions.ts";
import { and } from "../../core/sql/elements.ts";
import { update } from "../../core/sql/update.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { isPlainValue, runCompiled, runTemplated, valueSlot } from "./statement-templates.ts";

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
    const value = state.values[c.slot];
    if (value === UNLOADED || value === committed.get(c.slot)) continue;
    (out ??= []).push(c);
  }
  return out;
}

/**
 * Whether `state`'s UPDATE of `columns` can be one row of a multi-row UPDATE: it changes no
 * primary key column (the row is found by its old key, and a key moving onto another row's old
 * key must happen in order) and binds only plain values.
 */
export function batchable(state: InstanceState, columns: readonly ColumnProperty[]): boolean {
  for (const c of columns) {
    if (c.column.primaryKey || c.column.type.kind === "null" || !isPlainValue(state.values[c.slot])) return false;
  }
  return true;
}

/** The client-side `onupdate` columns an UPDATE of `columns` adds (those it does not set itself). */
function onupdateColumns(mapper: Mapper, columns: readonly ColumnProperty[]): ColumnProperty[] {
  return mapper.columns.filter((c) => c.column.onupdate !== undefined && !columns.includes(c));
}

/** Computes `state`'s `onupdate` values now, keeping them on the object (as SQLAlchemy does). */
function applyOnupdate(state: InstanceState, columns: readonly ColumnProperty[]): void {
  for (const c of columns) {
    const source = c.column.onupdate;
    state.values[c.slot] = typeof source === "function" ? (source as () => unknown)() : source;
  }
}

/** The primary key the database knows the row by, even when the object's key is being changed. */
function identityOf(mapper: Mapper, state: InstanceState): readonly unknown[] {
  return state.identity ?? mapper.primaryKey.map((c) => state.values[c.slot]);
}

/** `UPDATE t SET <columns> WHERE <primary key>` for one object; exactly one row must match. */
export async function updateRow(state: InstanceState, columns: readonly ColumnProperty[], conn: AsyncConnection): Promise<void> {
  const mapper = state.mapper as Mapper;
  const onupdate = onupdateColumns(mapper, columns);
  applyOnupdate(state, onupdate);
  const set = [...columns, ...onupdate];
  const identity = identityOf(mapper, state);
  const values = [...set.map((c) => state.values[c.slot]), ...identity];
  const shape = values.every(isPlainValue) && set.every((c) => c.column.type.kind !== "null") ? `update ${set.map((c) => c.slot).join(",")}` : undefined;
  const result = await runTemplated(conn, mapper, shape, values, () => {
    const record: Record<string, unknown> = {};
    for (const c of set) record[c.key] = state.values[c.slot];
    return update(mapper.table).where(identityClause(mapper, identity)).values(record as never);
  });
  checkMatched(mapper, 1, result.rowsAffected);
}

/**
 * One UPDATE for several objects of one mapper changing the same `columns` (each `batchable`):
 * `UPDATE … FROM (VALUES …)` on dialects that write it; `false` (and nothing run) elsewhere.
 * The rows matched must number the objects, as for single-row UPDATEs.
 */
export async function updateRows(batch: readonly InstanceState[], columns: readonly ColumnProperty[], conn: AsyncConnection): Promise<boolean> {
  const mapper = (batch[0] as InstanceState).mapper as Mapper;
  const onupdate = onupdateColumns(mapper, columns);
  const set = [...columns, ...onupdate];
  const compiled = compileUpdateFromValues(conn.dialect.compiler, {
    table: mapper.table.node,
    keys: mapper.primaryKey.map((c) => ({ name: c.column.name, type: c.column.type })),
    set: set.map((c) => ({ name: c.column.name, type: c.column.type })),
    rows: batch.length,
  });
  if (compiled === undefined) return false;
  const slots: BindSlot[] = [];
  for (const state of batch) {
    applyOnupdate(state, onupdate);
    const identity = identityOf(mapper, state);
    mapper.primaryKey.forEach((c, i) => slots.push(valueSlot(identity[i], c.column.type)));
    for (const c of set) slots.push(valueSlot(state.values[c.slot], c.column.type));
  }
  const result = await runCompiled(conn, compiled, slots);
  checkMatched(mapper, batch.length, result.rowsAffected);
  return true;
}

/** Whether the dialect can write a multi-row UPDATE (so batches are worth gathering). */
export function updatesInBatches(conn: AsyncConnection): boolean {
  return conn.dialect.capabilities.updateFromValues !== "none";
}

function checkMatched(mapper: Mapper, expected: number, matched: number): void {
  if (matched !== expected) {
    throw new StaleDataError(
      `UPDATE statement on table '${mapper.table.name}' expected to update ${expected} row(s); ${matched} were matched.`,
    );
  }
}

/** `WHERE pk = <identity>`. */
export function identityClause(mapper: Mapper, identity: readonly unknown[]): Expression<boolean> {
  const parts = mapper.primaryKey.map((c, i) => c.column.eq(identity[i] as never));
  return parts.length === 1 ? (parts[0] as Expression<boolean>) : and(...parts);
}
