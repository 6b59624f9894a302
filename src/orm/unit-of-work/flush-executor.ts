import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import { maxBatchRows } from "../../core/engine/max-batch-rows.ts";
import type { TableColumn } from "../../core/schema/column.ts";
import { delete_ } from "../../core/sql/delete.ts";
import { and } from "../../core/sql/elements.ts";
import { insert } from "../../core/sql/insert.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { FlushError } from "../../shared/errors.ts";
import { deleteRow } from "./delete-rows.ts";
import type { FlushPlan, ForeignKeySync, SecondaryRow } from "./flush-plan.ts";
import { givesColumns, insertColumns, insertRows, primaryKeyKnown, returnsGeneratedKeys, sameColumns } from "./insert-rows.ts";
import { batchable, changedColumns, updateRow, updateRows, updatesInBatches } from "./update-rows.ts";

/** The connection a row is written on: its bind's, or its shard's. */
type ConnectionOfRow = (state: InstanceState) => Promise<AsyncConnection>;

/**
 * Runs a flush plan, each row on its connection: the thin async shell around `planFlush`. Each save first
 * copies the foreign keys its plan names, then INSERTs (fetching generated keys and server
 * defaults back) or UPDATEs only the changed columns. Consecutive saves of one mapper go in one
 * statement where they can: new rows in a multi-row INSERT, changed rows with the same changed
 * columns in one UPDATE from a list of values.
 */
export async function executeFlushPlan(plan: FlushPlan, connectionOf: ConnectionOfRow): Promise<void> {
  const saves = plan.saves;
  let i = 0;
  while (i < saves.length) {
    const state = saves[i] as InstanceState;
    applySyncs(plan.syncs.get(state));
    const conn = await connectionOf(state);
    i = state.hasIdentity ? await updateFrom(plan, i, conn) : await insertFrom(plan, i, conn);
  }
  // postUpdate foreign keys: every row they reference exists now.
  for (const sync of plan.postUpdates) await writeForeignKey(sync, connectionOf);
  // An association row goes where its parent's row is (as SQLAlchemy's many-to-many processor).
  for (const row of plan.secondary) await writeSecondary(row, await connectionOf(row.parent));
  for (const sync of plan.clearsBeforeDeletes) await writeForeignKey(sync, connectionOf);
  for (const state of plan.deletes) await deleteRow(state, await connectionOf(state));
}

/** A `postUpdate` foreign key: copied (or cleared) in memory, then one UPDATE of its columns if it changed. */
async function writeForeignKey(sync: ForeignKeySync, connectionOf: ConnectionOfRow): Promise<void> {
  const dest = sync.dest;
  const before = sync.destSlots.map((slot) => dest.values[slot]);
  applySyncs([sync]);
  if (sync.destSlots.every((slot, i) => dest.values[slot] === before[i])) return;
  const columns = (dest.mapper as Mapper).columns.filter((c) => sync.destSlots.includes(c.slot));
  await updateRow(dest, columns, await connectionOf(dest));
}

/**
 * The next state of a batch that starts at `saves[start]`: of the same mapper, new or not as
 * `isNew` says, and not taking a foreign key from a row of the batch (it waits for the next
 * statement). Its syncs are applied, so its values are final.
 */
function nextOfBatch(plan: FlushPlan, index: number, first: InstanceState, isNew: boolean, inBatch: ReadonlySet<InstanceState>): InstanceState | undefined {
  const next = plan.saves[index];
  if (next === undefined || next.hasIdentity === isNew || next.mapper !== first.mapper || next.identityToken !== first.identityToken) return undefined;
  const syncs = plan.syncs.get(next);
  if (syncs !== undefined) {
    for (const sync of syncs) if (sync.source !== null && inBatch.has(sync.source)) return undefined;
    applySyncs(syncs);
  }
  return next;
}

/**
 * INSERTs the new row at `saves[start]` with the rows after it that can share its statement: their
 * keys are known, or RETURNING gives generated keys back. Returns the index after the batch.
 */
async function insertFrom(plan: FlushPlan, start: number, conn: AsyncConnection): Promise<number> {
  const state = plan.saves[start] as InstanceState;
  const batch = [state];
  const columns = insertColumns(state);
  const known = primaryKeyKnown(state);
  if (known || returnsGeneratedKeys(state, conn)) {
    const inBatch = new Set(batch);
    const maxRows = maxBatchRows(columns.length);
    while (batch.length < maxRows) {
      const next = nextOfBatch(plan, start + batch.length, state, true, inBatch);
      if (next === undefined || primaryKeyKnown(next) !== known || !givesColumns(next, columns)) break;
      batch.push(next);
      inBatch.add(next);
    }
  }
  await insertRows(batch, columns, conn);
  return start + batch.length;
}

/**
 * UPDATEs the changed row at `saves[start]`, with the rows after it that change the same columns
 * in one statement where the dialect writes one (rows with nothing to write are passed over).
 * Returns the index after the rows done.
 */
async function updateFrom(plan: FlushPlan, start: number, conn: AsyncConnection): Promise<number> {
  const state = plan.saves[start] as InstanceState;
  const columns = changedColumns(state);
  if (columns === undefined) return start + 1;
  let end = start + 1;
  const batch = [state];
  if (batchable(state, columns) && updatesInBatches(conn)) {
    const inBatch = new Set(batch);
    const maxRows = maxBatchRows((state.mapper as Mapper).primaryKey.length + columns.length);
    while (batch.length < maxRows) {
      const next = nextOfBatch(plan, end, state, false, inBatch);
      if (next === undefined) break;
      const changed = changedColumns(next);
      if (changed !== undefined && (!sameColumns(changed, columns) || !batchable(next, changed))) break;
      end++;
      if (changed === undefined) continue;
      batch.push(next);
      inBatch.add(next);
    }
  }
  if (batch.length === 1 || !(await updateRows(batch, columns, conn))) {
    for (const row of batch) await updateRow(row, columns, conn);
  }
  return end;
}

function applySyncs(syncs: readonly ForeignKeySync[] | undefined): void {
  if (syncs === undefined) return;
  for (const sync of syncs) {
    sync.destSlots.forEach((slot, i) => {
      const value = sync.source === null ? null : referencedValue(sync.source, sync.sourceSlots[i] as number);
      if (sync.dest.values[slot] !== value) sync.dest.set(slot, value);
    });
  }
}

/**
 * The value a foreign key copies from its target. A target expired by commit has its primary key
 * in its identity, so assigning it (`user.organization = org` after commit) needs no load.
 */
function referencedValue(source: InstanceState, slot: number): unknown {
  const value = source.values[slot];
  if (value !== UNLOADED) return value;
  const index = source.mapper.primaryKeySlots.indexOf(slot);
  const identity = source.hasIdentity ? source.identity : undefined;
  if (index >= 0 && identity !== undefined) return identity[index];
  throw new FlushError(
    `${source.mapper.describe(source)} is expired, and the foreign key that references it needs its unloaded column; ` +
      "load it first (await session.refresh(obj)) and flush again.",
  );
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
