import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { InstanceState } from "../state/instance-state.ts";
import type { ForeignKeySync, SecondaryRow } from "./dependency-processor.ts";
import { plannedInsertColumns, plannedKeyKnown, sameColumns } from "./insert-rows.ts";
import { batchable, plannedUpdateColumns } from "./update-rows.ts";

/**
 * New rows of one mapper (and shard) giving the same columns: one multi-row INSERT where the
 * dialect can tell the generated keys apart (`keysKnown`, or RETURNING), else one per row.
 */
export interface InsertStep {
  readonly kind: "insert";
  readonly mapper: Mapper;
  readonly states: readonly InstanceState[];
  readonly columns: readonly ColumnProperty[];
  /** Every primary key is given (or synced from a row written before), so no generated key is read back. */
  readonly keysKnown: boolean;
}

/** Changed rows of one mapper (and shard) changing the same columns: one multi-row UPDATE where the dialect writes one. */
export interface UpdateStep {
  readonly kind: "update";
  readonly mapper: Mapper;
  readonly states: readonly InstanceState[];
  readonly columns: readonly ColumnProperty[];
}

/** `postUpdate` foreign keys, each copied (or cleared) then written by its own UPDATE if it changed. */
export interface PostUpdateStep {
  readonly kind: "post-update";
  readonly syncs: readonly ForeignKeySync[];
}

/** Rows of many-to-many association tables to insert or delete. */
export interface SecondaryStep {
  readonly kind: "secondary";
  readonly rows: readonly SecondaryRow[];
}

/** Deleted rows of one mapper (and shard), each by its primary key (and version). */
export interface DeleteStep {
  readonly kind: "delete";
  readonly mapper: Mapper;
  readonly states: readonly InstanceState[];
}

export type FlushStep = InsertStep | UpdateStep | PostUpdateStep | SecondaryStep | DeleteStep;

/**
 * The INSERT and UPDATE steps of `saves` (already in dependency order): consecutive rows of one
 * mapper and shard share a step when they have the same shape (SQLAlchemy's grouping of records
 * in `_emit_insert_statements` / `_emit_update_statements`), and no row takes a foreign key from
 * a row of its own step. A changed object with nothing to write is left out.
 */
export function saveSteps(saves: readonly InstanceState[], syncs: ReadonlyMap<InstanceState, readonly ForeignKeySync[]>): (InsertStep | UpdateStep)[] {
  const steps: (InsertStep | UpdateStep)[] = [];
  let open: { step: InsertStep | UpdateStep; states: InstanceState[]; members: Set<InstanceState>; joinable: boolean } | undefined;
  for (const state of saves) {
    const stateSyncs = syncs.get(state);
    let step: InsertStep | UpdateStep;
    let joinable = true;
    if (state.hasIdentity) {
      const columns = plannedUpdateColumns(state, stateSyncs);
      if (columns === undefined) continue;
      // A versioned row, a key change or a SQL expression is an UPDATE of its own.
      joinable = batchable(state, columns);
      step = { kind: "update", mapper: state.mapper as Mapper, states: [state], columns };
    } else {
      const synced = syncedSlots(stateSyncs);
      step = { kind: "insert", mapper: state.mapper as Mapper, states: [state], columns: plannedInsertColumns(state, synced), keysKnown: plannedKeyKnown(state, synced) };
    }
    if (open !== undefined && open.joinable && joinable && sameShape(open.step, step) && !takesKeyFrom(stateSyncs, open.members)) {
      open.states.push(state);
      open.members.add(state);
      continue;
    }
    const states = step.states as InstanceState[];
    open = { step, states, members: new Set(states), joinable };
    steps.push(step);
  }
  return steps;
}

/** Consecutive deleted rows of one mapper and shard, as one step each. */
export function deleteSteps(deletes: readonly InstanceState[]): DeleteStep[] {
  const steps: DeleteStep[] = [];
  let last: { step: DeleteStep; states: InstanceState[] } | undefined;
  for (const state of deletes) {
    if (last !== undefined && sameTarget(last.states[0] as InstanceState, state)) {
      last.states.push(state);
      continue;
    }
    const states = [state];
    last = { step: { kind: "delete", mapper: state.mapper as Mapper, states }, states };
    steps.push(last.step);
  }
  return steps;
}

function sameShape(a: InsertStep | UpdateStep, b: InsertStep | UpdateStep): boolean {
  if (a.kind !== b.kind || !sameTarget(a.states[0] as InstanceState, b.states[0] as InstanceState) || !sameColumns(a.columns, b.columns)) return false;
  return a.kind === "update" || a.keysKnown === (b as InsertStep).keysKnown;
}

/** Same table on the same shard. */
function sameTarget(a: InstanceState, b: InstanceState): boolean {
  return a.mapper === b.mapper && a.identityToken === b.identityToken;
}

function syncedSlots(syncs: readonly ForeignKeySync[] | undefined): Set<number> | undefined {
  if (syncs === undefined) return undefined;
  const slots = new Set<number>();
  for (const sync of syncs) for (const slot of sync.destSlots) slots.add(slot);
  return slots;
}

/** Whether a sync copies a key from one of `states` (the row must wait for their statement). */
function takesKeyFrom(syncs: readonly ForeignKeySync[] | undefined, states: ReadonlySet<InstanceState>): boolean {
  if (syncs === undefined) return false;
  for (const sync of syncs) if (sync.source !== null && states.has(sync.source)) return true;
  return false;
}
