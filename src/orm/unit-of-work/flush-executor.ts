import type { AnyConnection } from "../../core/engine/any-connection.ts";
import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import { maxBatchRows } from "../../core/engine/max-batch-rows.ts";
import type { TableColumn } from "../../core/schema/column.ts";
import { delete_ } from "../../core/sql/delete.ts";
import { and } from "../../core/sql/elements.ts";
import { insert } from "../../core/sql/insert.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type MapperEventMap, mapperListened, mapperListeners } from "../mapper/mapper-events.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { FlushError } from "../../shared/errors.ts";
import { type Io, io } from "../../shared/io.ts";
import { deleteRow } from "./delete-rows.ts";
import { deleteJoinedRow, insertJoinedRow, spansTables, updateJoinedRow } from "./joined-rows.ts";
import type { FlushPlan, ForeignKeySync, SecondaryRow } from "./flush-plan.ts";
import type { FlushStep, InsertStep, UpdateStep } from "./flush-steps.ts";
import { givesColumns, insertColumns, insertRows, returnsGeneratedKeys, sameColumns } from "./insert-rows.ts";
import { changedColumns, updateRow, updateRows, updatesInBatches } from "./update-rows.ts";

/**
 * The connection a row is written on: its bind's, or its shard's. An `Io`, as reaching it may
 * begin the session's transaction on it (`done(conn)` when the session has one connection).
 */
type ConnectionOfRow = (state: InstanceState) => Io<AnyConnection>;

/**
 * Runs a flush plan, each step on its connection: the thin I/O shell around `planFlush`. A
 * step first copies the foreign keys its rows take from rows written before, then runs its
 * statements: new rows INSERTed (generated keys and server defaults fetched back), changed rows
 * UPDATEd on their changed columns, association rows, DELETEs. The same generator runs under
 * `runAsync` and `runSync` (docs/adr/0014): every statement goes through `io()`.
 */
export function* executeFlushPlan(plan: FlushPlan, connectionOf: ConnectionOfRow): Io<void> {
  for (const step of plan.steps) yield* runStep(step, plan, connectionOf);
}

function* runStep(step: FlushStep, plan: FlushPlan, connectionOf: ConnectionOfRow): Io<void> {
  switch (step.kind) {
    case "insert": {
      for (const state of step.states) applySyncs(plan.syncs.get(state));
      const conn = yield* connectionOf(step.states[0] as InstanceState);
      if (!mapperListened(step.mapper)) return yield* insertStep(step, conn);
      // A before-insert listener may set columns: insertStep sends rows whose columns changed on their own.
      yield* firePersistence(step.mapper, "beforeInsert", conn, step.states);
      yield* insertStep(step, conn);
      yield* firePersistence(step.mapper, "afterInsert", conn, step.states);
      return;
    }
    case "update": {
      let synced = false;
      for (const state of step.states) {
        const syncs = plan.syncs.get(state);
        if (syncs !== undefined) synced = applySyncs(syncs) || synced;
      }
      const conn = yield* connectionOf(step.states[0] as InstanceState);
      if (!mapperListened(step.mapper)) return yield* updateStep(step, synced, conn);
      // What a before-update listener changed is written: the changed columns are read again.
      const changed = yield* firePersistence(step.mapper, "beforeUpdate", conn, step.states);
      yield* updateStep(step, synced || changed, conn);
      yield* firePersistence(step.mapper, "afterUpdate", conn, step.states);
      return;
    }
    case "post-update":
      for (const sync of step.syncs) yield* writeForeignKey(sync, connectionOf);
      return;
    case "secondary":
      // An association row goes where its parent's row is (as SQLAlchemy's many-to-many processor).
      for (const row of step.rows) yield* writeSecondary(row, yield* connectionOf(row.parent));
      return;
    case "delete": {
      const conn = yield* connectionOf(step.states[0] as InstanceState);
      const listened = mapperListened(step.mapper);
      if (listened) yield* firePersistence(step.mapper, "beforeDelete", conn, step.states);
      const joined = spansTables(step.mapper);
      for (const state of step.states) yield* (joined ? deleteJoinedRow(state, conn) : deleteRow(state, conn));
      if (listened) yield* firePersistence(step.mapper, "afterDelete", conn, step.states);
      return;
    }
  }
}

type PersistenceEvent = "beforeInsert" | "afterInsert" | "beforeUpdate" | "afterUpdate" | "beforeDelete" | "afterDelete";

/**
 * Runs a persistence event's listeners for each row of a step, in row order, each to its end (an
 * async listener's promise goes to the runner); whether any ran.
 */
function* firePersistence(mapper: Mapper, name: PersistenceEvent, conn: AnyConnection, states: readonly InstanceState[]): Io<boolean> {
  const listeners = mapperListeners(mapper, name) as readonly { run: MapperEventMap[PersistenceEvent] }[] | undefined;
  if (listeners === undefined) return false;
  // Listeners are typed with AsyncSession's connection; under the synchronous Session they get its Connection.
  for (const state of states) for (const listener of listeners) yield* io(listener.run(mapper, conn as AsyncConnection, state.object));
  return true;
}

/** A `postUpdate` foreign key: copied (or cleared) in memory, then one UPDATE of its columns if it changed. */
function* writeForeignKey(sync: ForeignKeySync, connectionOf: ConnectionOfRow): Io<void> {
  const dest = sync.dest;
  const before = sync.destSlots.map((slot) => dest.valueAt(slot));
  applySyncs([sync]);
  if (sync.destSlots.every((slot, i) => dest.valueAt(slot) === before[i])) return;
  const columns = (dest.mapper as Mapper).columns.filter((c) => sync.destSlots.includes(c.slot));
  yield* updateRow(dest, columns, yield* connectionOf(dest));
}

/**
 * The step's rows in multi-row INSERTs of at most `maxBatchRows`, when their keys are known or
 * RETURNING gives the generated ones back in order; else (SQLite without RETURNING, MySQL) one
 * INSERT per row, reading each generated key. A row whose columns turned out other than planned
 * goes alone with its own.
 */
function* insertStep(step: InsertStep, conn: AnyConnection): Io<void> {
  const { states, columns } = step;
  if (spansTables(step.mapper)) {
    for (const state of states) yield* insertJoinedRow(state, conn);
    return;
  }
  if (!states.every((state) => givesColumns(state, columns))) {
    for (const state of states) yield* insertRows([state], insertColumns(state), conn);
    return;
  }
  const batch = step.keysKnown || returnsGeneratedKeys(step.mapper, conn) ? maxBatchRows(columns.length) : 1;
  for (let i = 0; i < states.length; i += batch) yield* insertRows(states.slice(i, i + batch), columns, conn);
}

/**
 * The step's rows in multi-row UPDATEs where the dialect writes them, else one UPDATE per row.
 * When foreign keys were copied into them (`synced`), the changed columns are read again: rows
 * that differ from the plan are updated one by one with their own.
 */
function* updateStep(step: UpdateStep, synced: boolean, conn: AnyConnection): Io<void> {
  const { states, columns } = step;
  const asPlanned = !synced || states.every((state) => sameColumns(changedColumns(state) ?? [], columns));
  if (spansTables(step.mapper)) {
    for (const state of states) {
      const changed = asPlanned ? columns : changedColumns(state);
      if (changed !== undefined) yield* updateJoinedRow(state, changed, conn);
    }
    return;
  }
  if (states.length > 1 && asPlanned && updatesInBatches(conn)) {
    const batch = maxBatchRows(step.mapper.primaryKey.length + columns.length);
    for (let i = 0; i < states.length; i += batch) {
      const chunk = states.slice(i, i + batch);
      if (!(yield* updateRows(chunk, columns, conn))) for (const state of chunk) yield* updateRow(state, columns, conn);
    }
    return;
  }
  for (const state of states) {
    const changed = asPlanned ? columns : changedColumns(state);
    if (changed !== undefined) yield* updateRow(state, changed, conn);
  }
}

/** Copies the foreign keys `syncs` name into their rows; whether a value changed. */
function applySyncs(syncs: readonly ForeignKeySync[] | undefined): boolean {
  if (syncs === undefined) return false;
  let changed = false;
  for (const sync of syncs) {
    sync.destSlots.forEach((slot, i) => {
      const value = sync.source === null ? null : referencedValue(sync.source, sync.sourceSlots[i] as number);
      if (sync.dest.valueAt(slot) === value) return;
      sync.dest.set(slot, value);
      changed = true;
    });
  }
  return changed;
}

/**
 * The value a foreign key copies from its target. A target expired by commit has its primary key
 * in its identity, so assigning it (`user.organization = org` after commit) needs no load.
 */
function referencedValue(source: InstanceState, slot: number): unknown {
  const value = source.valueAt(slot);
  if (value !== UNLOADED) return value;
  const index = source.mapper.primaryKeySlots.indexOf(slot);
  const identity = source.hasIdentity ? source.identity : undefined;
  if (index >= 0 && identity !== undefined) return identity[index];
  throw new FlushError(
    `${source.mapper.describe(source)} is expired, and the foreign key that references it needs its unloaded column; ` +
      "load it first (await session.refresh(obj)) and flush again.",
  );
}

function* writeSecondary(row: SecondaryRow, conn: AnyConnection): Io<void> {
  const join = row.property.join;
  const secondary = join.secondary;
  if (!secondary) return;
  const values: Record<string, unknown> = {};
  for (const pair of join.pairs) values[pair.remote.key] = valueOfColumn(row.parent, pair.local);
  for (const pair of secondary.targetPairs) values[pair.local.key] = valueOfColumn(row.child, pair.remote);
  const table = secondary.table;
  if (row.action === "insert") {
    yield* conn.executeIo(insert(table).values(values as never));
  } else {
    const criteria = Object.entries(values).map(([key, value]) => (table.c[key] as TableColumn<unknown>).eq(value));
    yield* conn.executeIo(delete_(table).where(and(...criteria)));
  }
}

function valueOfColumn(state: InstanceState, column: TableColumn<unknown>): unknown {
  const property = (state.mapper as Mapper).columns.find((c) => c.column === column);
  return property ? state.valueAt(property.slot) : null;
}
