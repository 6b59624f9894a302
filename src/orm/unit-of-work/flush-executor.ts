import { StaleDataError } from "../../shared/errors.ts";
import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { TableColumn } from "../../core/schema/column.ts";
import { delete_ } from "../../core/sql/delete.ts";
import { and } from "../../core/sql/elements.ts";
import { insert } from "../../core/sql/insert.ts";
import { update } from "../../core/sql/update.ts";
import type { Expression } from "../../core/sql/coercions.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import type { FlushPlan, ForeignKeySync, SecondaryRow } from "./flush-plan.ts";


/** Parameters in one multi-row INSERT: under SQLite's 32,766 and the 65,535 of PostgreSQL and MySQL. */
const MAX_BOUND_PARAMETERS = 30_000;
/**
 * Runs a flush plan on a connection: the thin async shell around `planFlush`. Each save first
 * copies the foreign keys its plan names, then INSERTs (fetching generated keys and server
 * defaults back) or UPDATEs only the changed columns.
 */
export async function executeFlushPlan(plan: FlushPlan, conn: AsyncConnection): Promise<void> {
  const saves = plan.saves;
  let i = 0;
  while (i < saves.length) {
    const state = saves[i] as InstanceState;
    applySyncs(plan.syncs.get(state));
    if (state.key !== undefined) {
      await updateRow(state, conn);
      i++;
      continue;
    }
    // Consecutive new rows of one table go in one multi-row INSERT when their keys are known, or
    // when RETURNING gives generated keys back; a row whose foreign key comes from a row of the
    // same batch waits for the next statement.
    const batch = [state];
    const columns = insertColumns(state);
    const known = primaryKeyKnown(state);
    if (known || returnsGeneratedKeys(state, conn)) {
      const inBatch = new Set(batch);
      // Bound parameters per statement stay under every database's limit (SQLite's is the lowest).
      const maxRows = Math.max(1, Math.min(1000, Math.floor(MAX_BOUND_PARAMETERS / Math.max(1, columns.length))));
      while (i + batch.length < saves.length && batch.length < maxRows) {
        const next = saves[i + batch.length] as InstanceState;
        if (next.key !== undefined || next.mapper !== state.mapper) break;
        const syncs = plan.syncs.get(next);
        if (syncs?.some((sync) => sync.source !== null && inBatch.has(sync.source))) break;
        applySyncs(syncs);
        if (primaryKeyKnown(next) !== known || !sameColumns(insertColumns(next), columns)) break;
        batch.push(next);
        inBatch.add(next);
      }
    }
    await insertRows(batch, columns, conn);
    i += batch.length;
  }
  for (const row of plan.secondary) await writeSecondary(row, conn);
  for (const state of plan.deletes) await deleteRow(state, conn);
}

function applySyncs(syncs: readonly ForeignKeySync[] | undefined): void {
  if (syncs === undefined) return;
  for (const sync of syncs) {
    sync.destSlots.forEach((slot, i) => {
      const value = sync.source === null ? null : sync.source.values[sync.sourceSlots[i] as number];
      if (sync.dest.values[slot] !== value) sync.dest.set(slot, value);
    });
  }
}

/** The columns a new row gives: everything set, plus client defaults computed now (and kept on the object). */
function insertColumns(state: InstanceState): ColumnProperty[] {
  const mapper = state.mapper as Mapper;
  const out: ColumnProperty[] = [];
  for (const c of mapper.columns) {
    let value = state.values[c.slot];
    if (value === UNLOADED && c.column.hasClientDefault) {
      value = c.column.defaultValue();
      state.values[c.slot] = value;
    }
    if (value === UNLOADED || (value === null && c.column === mapper.table.autoincrementColumn)) continue;
    out.push(c);
  }
  return out;
}

function primaryKeyKnown(state: InstanceState): boolean {
  return (state.mapper as Mapper).primaryKey.every((c) => {
    const v = state.values[c.slot];
    return v !== UNLOADED && v !== null && v !== undefined;
  });
}

function sameColumns(a: readonly ColumnProperty[], b: readonly ColumnProperty[]): boolean {
  return a.length === b.length && a.every((c, i) => c === b[i]);
}

/** Whether a multi-row INSERT of this mapper can get its generated keys back, in row order. */
function returnsGeneratedKeys(state: InstanceState, conn: AsyncConnection): boolean {
  const mapper = state.mapper as Mapper;
  const generated = mapper.table.autoincrementColumn;
  return (
    conn.dialect.capabilities.insertReturning &&
    generated !== undefined &&
    mapper.primaryKey.length === 1 &&
    (mapper.primaryKey[0] as ColumnProperty).column === generated
  );
}

async function insertRows(batch: readonly InstanceState[], columns: readonly ColumnProperty[], conn: AsyncConnection): Promise<void> {
  const mapper = (batch[0] as InstanceState).mapper as Mapper;
  const given = new Set(columns);
  // Generated keys and server defaults come back by RETURNING where the database has it.
  const fetch = mapper.columns.filter((c) => !given.has(c) && (c.column.primaryKey || c.column.serverDefault !== undefined));
  const rows = batch.map((state) => Object.fromEntries(columns.map((c) => [c.key, state.values[c.slot]])));
  let statement = insert(mapper.table).values(rows as never);
  const returning = fetch.length > 0 && conn.dialect.capabilities.insertReturning;
  // Several rows: the primary key comes back too, to tell which returned row is which.
  const keyed = returning && batch.length > 1;
  const returned = keyed ? [...new Set([...mapper.primaryKey, ...fetch])] : fetch;
  if (returning) statement = statement.returning(...returned.map((c) => c.column)) as never;
  const result = await conn.execute(statement);
  const fetched = returning ? correlate(batch, result.all() as Record<string, unknown>[], mapper, keyed) : [];
  batch.forEach((state, index) => {
    for (const c of fetch) {
      if (returning) state.values[c.slot] = fetched[index]?.[c.key] ?? null;
      else if (c.column === mapper.table.autoincrementColumn && result.lastInsertId !== undefined) {
        state.values[c.slot] = c.column.type.kind === "bigint" ? BigInt(result.lastInsertId) : Number(result.lastInsertId);
      }
      // A server default not fetched stays unloaded, to be read again (SQLAlchemy expires it).
    }
    for (const c of mapper.columns) {
      if (state.values[c.slot] === UNLOADED && !fetch.includes(c)) state.values[c.slot] = null;
    }
  });
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
    return batch.map((state) => byKey.get(mapper.identityKey(mapper.primaryKey.map((c) => state.values[c.slot]))));
  }
  const key = (mapper.primaryKey[0] as ColumnProperty).key;
  return [...rows].sort((a, b) => {
    const x = a[key] as number | bigint;
    const y = b[key] as number | bigint;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

async function updateRow(state: InstanceState, conn: AsyncConnection): Promise<void> {
  const mapper = state.mapper as Mapper;
  const committed = state.committed;
  if (committed === undefined) return;
  const values: Record<string, unknown> = {};
  let count = 0;
  for (const c of mapper.columns) {
    if (!committed.has(c.slot)) continue;
    const value = state.values[c.slot];
    if (value === UNLOADED || value === committed.get(c.slot)) continue;
    values[c.key] = value;
    count++;
  }
  for (const c of mapper.columns) {
    if (count > 0 && c.column.onupdate !== undefined && !(c.key in values)) {
      const source = c.column.onupdate;
      values[c.key] = typeof source === "function" ? (source as () => unknown)() : source;
      state.values[c.slot] = values[c.key];
    }
  }
  if (count === 0) return;
  const result = await conn.execute(update(mapper.table).where(identityClause(mapper, state)).values(values as never));
  if (result.rowsAffected !== 1) {
    throw new StaleDataError(
      `UPDATE statement on table '${mapper.table.name}' expected to update 1 row(s); ${result.rowsAffected} were matched.`,
    );
  }
}

async function deleteRow(state: InstanceState, conn: AsyncConnection): Promise<void> {
  const mapper = state.mapper as Mapper;
  const result = await conn.execute(delete_(mapper.table).where(identityClause(mapper, state)));
  if (result.rowsAffected === 0) {
    // As SQLAlchemy without a version counter: the row is gone, which is what was asked; warn only.
    process.emitWarning(
      `DELETE statement on table '${mapper.table.name}' expected to delete 1 row(s); 0 were matched (${mapper.describe(state)}).`,
      { type: "StaleDataWarning", code: "TSALCHEMY_STALE_DELETE" },
    );
  }
}

async function writeSecondary(row: SecondaryRow, conn: AsyncConnection): Promise<void> {
  const join = row.property.join;
  const secondary = join.secondary;
  if (!secondary) return;
  const values: Record<string, unknown> = {};
  for (const pair of join.pairs) values[pair.remote.key] = valueOfColumn(row.parent, pair.local);
  for (const pair of secondary.targetPairs) values[pair.local.key] = valueOfColumn(row.child, pair.remote);
  const table = secondary.table;
  if (row.action === "insert") {
    await conn.execute(insert(table).values(values as never));
  } else {
    const criteria = Object.entries(values).map(([key, value]) => (table.c[key] as TableColumn<unknown>).eq(value));
    await conn.execute(delete_(table).where(and(...criteria)));
  }
}

function valueOfColumn(state: InstanceState, column: TableColumn<unknown>): unknown {
  const property = (state.mapper as Mapper).columns.find((c) => c.column === column);
  return property ? state.values[property.slot] : null;
}

/** `WHERE pk = <identity>`: the row as the database knows it, even if the key is being changed. */
function identityClause(mapper: Mapper, state: InstanceState): Expression<boolean> {
  const identity = state.identity ?? mapper.primaryKey.map((c) => state.values[c.slot]);
  const parts = mapper.primaryKey.map((c, i) => c.column.eq(identity[i] as never));
  return parts.length === 1 ? (parts[0] as Expression<boolean>) : and(...parts);
}
