import { FlushError } from "../../shared/errors.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { relatedItems } from "../state/related-items.ts";
import { type InstanceState, STATE, UNLOADED } from "../state/instance-state.ts";
import { foreignKeyEdges } from "./foreign-key-edges.ts";

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

/** What one flush does, in order: the pure result of `planFlush`. */
export interface FlushPlan {
  /** INSERTs (pending) and UPDATEs (modified) in dependency order: parents before children. */
  readonly saves: readonly InstanceState[];
  /** Foreign key syncs, by the state they write into (applied just before its save). */
  readonly syncs: ReadonlyMap<InstanceState, readonly ForeignKeySync[]>;
  readonly secondary: readonly SecondaryRow[];
  /** DELETEs in dependency order: children before parents. */
  readonly deletes: readonly InstanceState[];
}

export interface FlushInput {
  /** Pending objects, in `add()` order. */
  readonly pending: readonly InstanceState[];
  readonly modified: readonly InstanceState[];
  readonly deleted: readonly InstanceState[];
  /** Position of each mapper's table in the metadata's creation order. */
  tableRank(mapper: Mapper): number;
  /** The persistent object the session holds with this primary key, to refuse a new object with the same key. */
  persistentWith?(mapper: Mapper, identity: readonly unknown[], identityToken: string | undefined): InstanceState | undefined;
}

type Stateful = { [STATE]: InstanceState };

/**
 * Plans a flush without I/O: which foreign keys to copy from which objects, and the order of
 * INSERT/UPDATE (parents first) and DELETE (children first), down to rows of one self-referential
 * table. Ties keep table order, then `add()` order for new rows and primary key order for others.
 */
export function planFlush(input: FlushInput): FlushPlan {
  const deleting = new Set(input.deleted);
  // A deleted object is not also UPDATEd (a delete-orphan child has its foreign key cleared in memory).
  const saving = new Set([...input.pending, ...input.modified].filter((s) => !deleting.has(s)));
  checkDuplicateKeys(input);
  const syncs = new Map<InstanceState, ForeignKeySync[]>();
  const after = new Map<InstanceState, Set<InstanceState>>(); // parent → states that must come after it
  const secondary: SecondaryRow[] = [];
  const secondarySeen = new Set<string>();
  const addSecondary = (row: SecondaryRow) => {
    // Both sides of a backPopulates pair record the same association row: it is written once.
    const id = secondaryRowId(row);
    if (secondarySeen.has(id)) return;
    secondarySeen.add(id);
    secondary.push(row);
  };
  const addSync = (sync: ForeignKeySync) => {
    const list = syncs.get(sync.dest) ?? [];
    list.push(sync);
    syncs.set(sync.dest, list);
    if (sync.source && saving.has(sync.source)) addEdge(after, sync.source, sync.dest);
  };

  for (const state of saving) {
    const mapper = state.mapper as Mapper;
    const isNew = !state.hasIdentity;
    for (const property of mapper.relationships) {
      if (property.spec.options.viewonly) continue;
      const current = state.values[property.slot];
      if (current === UNLOADED) continue;
      const changed = isNew || state.committed?.has(property.slot) === true;
      const join = property.join;
      if (join.direction === "many-to-one") {
        if (!changed) continue;
        const target = current === null ? null : stateOfObject(current, property);
        addSync({
          dest: state,
          destSlots: join.pairs.map((p) => slotOfColumn(mapper, p.local.key)),
          source: target,
          sourceSlots: target ? join.pairs.map((p) => slotOfColumn(target.mapper as Mapper, p.remote.key)) : [],
        });
      } else if (join.direction === "one-to-many") {
        const children = relatedItems(current).map((c) => stateOfObject(c, property));
        const previous = changed && state.committed?.has(property.slot) ? asStates(state.committed.get(property.slot), property) : [];
        for (const child of children) {
          if (deleting.has(child) || (!changed && !saving.has(child))) continue;
          addSync({
            dest: child,
            destSlots: join.pairs.map((p) => slotOfColumn(child.mapper as Mapper, p.remote.key)),
            source: state,
            sourceSlots: join.pairs.map((p) => slotOfColumn(mapper, p.local.key)),
          });
          saving.add(child);
        }
        for (const removed of previous) {
          if (children.includes(removed) || removed.status === "deleted" || deleting.has(removed)) continue;
          addSync({
            dest: removed,
            destSlots: join.pairs.map((p) => slotOfColumn(removed.mapper as Mapper, p.remote.key)),
            source: null,
            sourceSlots: [],
          });
          saving.add(removed);
        }
      } else if (changed) {
        const children = relatedItems(current).map((c) => stateOfObject(c, property));
        const previous = !state.hasIdentity ? [] : asStates(state.committed?.get(property.slot), property);
        for (const child of children) if (!previous.includes(child)) addSecondary({ property, parent: state, child, action: "insert" });
        for (const child of previous) if (!children.includes(child)) addSecondary({ property, parent: state, child, action: "delete" });
      }
    }
  }
  // A new row whose foreign key (set by hand) names another new row's key goes after it.
  const pendingKey = (s: InstanceState) => (!s.hasIdentity ? (s.mapper as Mapper).identityKeyOfValues(s.values) : undefined);
  for (const [parent, dependent] of foreignKeyEdges(saving, input.pending, (s, slot) => s.values[slot], pendingKey)) {
    if (saving.has(parent)) addEdge(after, parent, dependent);
  }

  const saves = order([...saving], after, input, (a, b) => compareWithin(a, b));

  // Deletes: a row goes before the deleted rows it references, whether the reference is in
  // memory (a loaded relationship) or only in the database (the foreign key column's value).
  const deleteAfter = new Map<InstanceState, Set<InstanceState>>(); // child → parents deleted after it
  for (const state of deleting) {
    for (const property of (state.mapper as Mapper).relationships) {
      if (property.spec.options.viewonly) continue;
      const value = state.values[property.slot];
      if (value === UNLOADED || value === null) continue;
      const direction = property.join.direction;
      if (direction === "many-to-one") {
        const target = stateOfObject(value, property);
        if (deleting.has(target)) addEdge(deleteAfter, state, target);
      } else if (direction === "one-to-many") {
        for (const child of asStates(value, property)) if (deleting.has(child)) addEdge(deleteAfter, child, state);
      } else {
        // The association rows the database holds for this object go before it.
        const held = state.committed?.has(property.slot) ? asStates(state.committed.get(property.slot), property) : asStates(value, property);
        for (const child of held) addSecondary({ property, parent: state, child, action: "delete" });
      }
    }
  }
  const databaseValue = (s: InstanceState, slot: number) => (s.committed?.has(slot) ? s.committed.get(slot) : s.values[slot]);
  for (const [parent, dependent] of foreignKeyEdges(deleting, deleting, databaseValue, (s) => s.key)) {
    addEdge(deleteAfter, dependent, parent);
  }
  const deletes = order([...deleting], deleteAfter, { ...input, tableRank: (m) => -input.tableRank(m) }, compareWithin);
  return { saves, syncs, secondary, deletes };
}

function addEdge(edges: Map<InstanceState, Set<InstanceState>>, first: InstanceState, then: InstanceState): void {
  if (first === then) return;
  const set = edges.get(first) ?? new Set();
  set.add(then);
  edges.set(first, set);
}

/**
 * Two new objects with one primary key, or a new object with the key of a persistent one, would
 * make the database refuse an INSERT halfway through the flush: refused before any SQL instead.
 */
function checkDuplicateKeys(input: FlushInput): void {
  const seen = new Map<string, InstanceState>();
  for (const state of input.pending) {
    const mapper = state.mapper as Mapper;
    const identityKey = mapper.identityKeyOfValues(state.values);
    if (identityKey === undefined) continue;
    // The same key on two shards is two rows.
    const key = state.identityToken === undefined ? identityKey : `${state.identityToken}\0${identityKey}`;
    const other = seen.get(key) ?? input.persistentWith?.(mapper, mapper.primaryKey.map((c) => state.values[c.slot]), state.identityToken);
    if (other !== undefined && other !== state) {
      const columns = mapper.primaryKey.map((c) => c.key).join(", ");
      throw new FlushError(
        `New instance ${mapper.describe(state)} has the same primary key (${columns}) as ` +
          `${!other.hasIdentity ? "another new instance" : "the persistent instance"} ${mapper.describe(other)} in this flush; ` +
          "nothing was written. Give each object its own key, or merge() the object to update the existing row.",
      );
    }
    seen.set(key, state);
  }
}

let nextStateId = 0;
const stateIds = new WeakMap<InstanceState, number>();

function idOf(state: InstanceState): number {
  let id = stateIds.get(state);
  if (id === undefined) stateIds.set(state, (id = ++nextStateId));
  return id;
}

/** The association row as table + which object fills which columns: the same from either side. */
function secondaryRowId(row: SecondaryRow): string {
  const join = row.property.join;
  const secondary = join.secondary as NonNullable<typeof join.secondary>;
  const parentSide = `${join.pairs.map((p) => p.remote.key).join(",")}=${idOf(row.parent)}`;
  const childSide = `${secondary.targetPairs.map((p) => p.local.key).join(",")}=${idOf(row.child)}`;
  return `${row.action}|${secondary.table.name}|${[parentSide, childSide].sort().join("|")}`;
}

/** Kahn's algorithm over states, picking the smallest ready state by (table rank, tie-break). */
function order(
  states: InstanceState[],
  after: Map<InstanceState, Set<InstanceState>>,
  input: Pick<FlushInput, "tableRank">,
  tieBreak: (a: InstanceState, b: InstanceState) => number,
): InstanceState[] {
  const compare = (a: InstanceState, b: InstanceState) =>
    a.mapper === b.mapper ? tieBreak(a, b) : input.tableRank(a.mapper as Mapper) - input.tableRank(b.mapper as Mapper) || tieBreak(a, b);
  // No row waits for another (the common flush): the order is the sort order.
  if (after.size === 0) return states.sort(compare);
  const blockers = new Map<InstanceState, number>();
  for (const s of states) blockers.set(s, 0);
  for (const [, dependents] of after) for (const d of dependents) if (blockers.has(d)) blockers.set(d, (blockers.get(d) as number) + 1);
  const ready = states.filter((s) => blockers.get(s) === 0).sort(compare);
  const out: InstanceState[] = [];
  while (ready.length > 0) {
    const next = ready.shift() as InstanceState;
    out.push(next);
    for (const dependent of after.get(next) ?? []) {
      if (!blockers.has(dependent)) continue;
      const left = (blockers.get(dependent) as number) - 1;
      blockers.set(dependent, left);
      if (left === 0) {
        ready.push(dependent);
        ready.sort(compare);
      }
    }
  }
  if (out.length !== states.length) {
    const stuck = states.filter((s) => !out.includes(s)).map((s) => s.mapper.describe(s));
    throw new FlushError(`Cannot order the flush: the objects ${stuck.join(", ")} depend on each other in a cycle`);
  }
  return out;
}

/** New rows in `add()` order, before existing rows in primary key order. */
function compareWithin(a: InstanceState, b: InstanceState): number {
  const aNew = !a.hasIdentity;
  const bNew = !b.hasIdentity;
  if (aNew && bNew) return a.insertOrder - b.insertOrder;
  // As SQLAlchemy's save_obj: a table's UPDATEs go before its INSERTs.
  if (aNew !== bNew) return aNew ? 1 : -1;
  const ai = a.identity ?? [];
  const bi = b.identity ?? [];
  for (let i = 0; i < ai.length; i++) {
    const x = ai[i] as number | string;
    const y = bi[i] as number | string;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}

function slotOfColumn(mapper: Mapper, columnKey: string): number {
  const property = mapper.columns.find((c) => c.column.key === columnKey);
  if (!property) throw new FlushError(`${mapper.className} does not map the column "${columnKey}" its relationship needs`);
  return property.slot;
}

function stateOfObject(value: unknown, property: RelationshipProperty): InstanceState {
  const state = (value as Partial<Stateful> | null)?.[STATE];
  if (state === undefined) {
    throw new FlushError(`${property.path} holds something that is not a mapped object: ${String(value)}`);
  }
  return state;
}

function asStates(value: unknown, property: RelationshipProperty): InstanceState[] {
  return relatedItems(value).map((v) => stateOfObject(v, property));
}
