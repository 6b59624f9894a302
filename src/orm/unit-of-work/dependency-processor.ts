import { FlushError } from "../../shared/errors.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { type InstanceState, stateOf } from "../state/instance-state.ts";
import { relatedItems } from "../state/related-items.ts";

/** Copy `source`'s columns into `dest`'s columns before `dest` is written (foreign key sync). */
export interface ForeignKeySync {
  readonly dest: InstanceState;
  readonly destSlots: readonly number[];
  /** `null` clears the foreign key (a child removed from a collection, or a null many-to-one). */
  readonly source: InstanceState | null;
  readonly sourceSlots: readonly number[];
}

/** A row of a many-to-many association table to insert or delete. */
export interface SecondaryRow {
  readonly property: RelationshipProperty;
  readonly parent: InstanceState;
  readonly child: InstanceState;
  readonly action: "insert" | "delete";
}

/** What the dependency processors report to the planner (flush-plan.ts collects it). */
export interface FlushCollector {
  /** States whose row is INSERTed or UPDATEd; a processor may add children to it. */
  readonly saving: Set<InstanceState>;
  readonly deleting: ReadonlySet<InstanceState>;
  /** A foreign key copied before `dest` is written; `dest` goes after `source` when both are saved. */
  sync(sync: ForeignKeySync): void;
  /** A foreign key written by an UPDATE after every row is saved (`postUpdate`): no ordering. */
  postUpdate(sync: ForeignKeySync): void;
  /** A foreign key set to NULL by an UPDATE before the DELETEs (`postUpdate` between deleted rows). */
  clearBeforeDeletes(sync: ForeignKeySync): void;
  secondary(row: SecondaryRow): void;
  /** `first`'s DELETE goes before `then`'s. */
  deleteBefore(first: InstanceState, then: InstanceState): void;
}

/**
 * What one relationship direction does in a flush (SQLAlchemy's `DependencyProcessor`,
 * orm/dependency.py): for a saved object, which foreign keys to copy and which rows to order or
 * write besides it; for a deleted one, which DELETEs go first and which association rows go.
 */
export interface DependencyProcessor {
  /** `current` is the loaded value; `changed` says it changed since the last flush (or the object is new). */
  processSave(state: InstanceState, property: RelationshipProperty, current: unknown, changed: boolean, c: FlushCollector): void;
  processDelete(state: InstanceState, property: RelationshipProperty, value: unknown, c: FlushCollector): void;
}

/** The sync that makes `dest` reference `source` (or clears the reference when `source` is null). */
export function syncOf(dest: InstanceState, destColumns: readonly string[], source: InstanceState | null, sourceColumns: readonly string[]): ForeignKeySync {
  return {
    dest,
    destSlots: destColumns.map((key) => slotOfColumn(dest.mapper as Mapper, key)),
    source,
    sourceSlots: source === null ? [] : sourceColumns.map((key) => slotOfColumn(source.mapper as Mapper, key)),
  };
}

export function slotOfColumn(mapper: Mapper, columnKey: string): number {
  const property = mapper.columns.find((c) => c.column.key === columnKey);
  if (!property) throw new FlushError(`${mapper.className} does not map the column "${columnKey}" its relationship needs`);
  return property.slot;
}

export function stateOfObject(value: unknown, property: RelationshipProperty): InstanceState {
  const state = stateOf(value);
  if (state === undefined) {
    throw new FlushError(`${property.path} holds something that is not a mapped object: ${String(value)}`);
  }
  return state;
}

/** A relationship value (collection, scalar, null) as the states it holds. */
export function statesOf(value: unknown, property: RelationshipProperty): InstanceState[] {
  return relatedItems(value).map((v) => stateOfObject(v, property));
}
