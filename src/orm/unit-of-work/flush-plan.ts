import { FlushError } from "../../shared/errors.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import type { DependencyProcessor, FlushCollector, ForeignKeySync, SecondaryRow } from "./dependency-processor.ts";
import { foreignKeyEdges } from "./foreign-key-edges.ts";
import { deleteSteps, type FlushStep, saveSteps } from "./flush-steps.ts";
import { manyToManyProcessor } from "./many-to-many-processor.ts";
import { manyToOneProcessor } from "./many-to-one-processor.ts";
import { oneToManyProcessor } from "./one-to-many-processor.ts";
import { topologicalSort } from "./topological-sort.ts";

export type { ForeignKeySync, SecondaryRow } from "./dependency-processor.ts";
export type { FlushStep } from "./flush-steps.ts";

/** What one flush does: the pure result of `planFlush`, run by `executeFlushPlan` step by step. */
export interface FlushPlan {
  /** The statements to run, in order: INSERT/UPDATE steps, postUpdate keys, association rows, keys cleared, DELETE steps. */
  readonly steps: readonly FlushStep[];
  /** Objects INSERTed (pending) or changed (modified), in dependency order: parents before children. */
  readonly saves: readonly InstanceState[];
  /** Foreign key syncs, by the state they write into (applied just before its step). */
  readonly syncs: ReadonlyMap<InstanceState, readonly ForeignKeySync[]>;
  /** Objects DELETEd, in dependency order: children before parents. */
  readonly deletes: readonly InstanceState[];
}

export interface FlushInput {
  /** Pending objects, in `add()` order. */
  readonly pending: readonly InstanceState[];
  readonly modified: readonly InstanceState[];
  readonly deleted: readonly InstanceState[];
  /** Position of each mapper's table in the metadata's creation order. */
  tableRank(mapper: Mapper): number;
  /** The persistent object the session holds with this identity value (`Mapper.identityValue`), to refuse a new object with the same key. */
  persistentWith?(mapper: Mapper, identityValue: unknown, identityToken: string | undefined): InstanceState | undefined;
}

/**
 * Plans a flush without I/O (SQLAlchemy's unit of work, orm/unitofwork.py): each relationship of
 * each saved or deleted object goes through its direction's dependency processor, which reports
 * foreign key syncs, association rows and ordering; then INSERT/UPDATE (parents first) and
 * DELETE (children first) are sorted topologically, down to rows of one self-referential table.
 * Ties keep table order, then a table's UPDATEs (by primary key) before its INSERTs (in `add()` order).
 * Last, the sorted rows are cut into steps, rows of the same shape batched (flush-steps.ts).
 */
export function planFlush(input: FlushInput): FlushPlan {
  checkDuplicateKeys(input);
  const deleting = new Set(input.deleted);
  const collector = new Collector(
    // A deleted object is not also UPDATEd (a delete-orphan child has its foreign key cleared in memory).
    new Set([...input.pending, ...input.modified].filter((s) => !deleting.has(s))),
    deleting,
  );
  const saving = collector.saving;
  // `saving` grows as processors add children: a Set's iteration visits what is added.
  for (const state of saving) {
    const isNew = !state.hasIdentity;
    for (const property of (state.mapper as Mapper).relationships) {
      if (property.spec.options.viewonly) continue;
      const current = state.valueAt(property.slot);
      if (current === UNLOADED) continue;
      processorOf(property).processSave(state, property, current, isNew || state.committed?.has(property.slot) === true, collector);
    }
  }
  // A new row whose foreign key (set by hand) names another new row's key goes after it.
  const pendingKey = (s: InstanceState) => (!s.hasIdentity ? (s.mapper as Mapper).identityKeyOfState(s) : undefined);
  for (const [parent, dependent] of foreignKeyEdges(saving, input.pending, (s, slot) => s.valueAt(slot), pendingKey)) {
    if (saving.has(parent)) addEdge(collector.saveAfter, parent, dependent);
  }
  const saves = ordered([...saving], collector.saveAfter, input, "saved");

  for (const state of deleting) {
    for (const property of (state.mapper as Mapper).relationships) {
      if (property.spec.options.viewonly) continue;
      const value = state.valueAt(property.slot);
      if (value === UNLOADED) continue;
      processorOf(property).processDelete(state, property, value, collector);
    }
  }
  // A row goes before the deleted rows it references, whether the reference is in memory (above)
  // or only in the database (the foreign key column's value).
  const databaseValue = (s: InstanceState, slot: number) => (s.committed?.has(slot) ? s.committed.get(slot) : s.valueAt(slot));
  // A postUpdate key cleared before the DELETEs orders nothing.
  const cleared = new Set(collector.clears.map((sync) => sync.dest));
  for (const [parent, dependent] of foreignKeyEdges(deleting, deleting, databaseValue, (s) => s.key)) {
    if (!cleared.has(dependent)) addEdge(collector.deleteAfter, dependent, parent);
  }
  const deletes = ordered([...deleting], collector.deleteAfter, { tableRank: (m) => -input.tableRank(m) }, "deleted");
  const steps: FlushStep[] = saveSteps(saves, collector.syncs);
  // postUpdate foreign keys once every row they reference exists; association rows once both sides do.
  if (collector.postUpdates.length > 0) steps.push({ kind: "post-update", syncs: collector.postUpdates });
  if (collector.secondaryRows.length > 0) steps.push({ kind: "secondary", rows: collector.secondaryRows });
  if (collector.clears.length > 0) steps.push({ kind: "post-update", syncs: collector.clears });
  steps.push(...deleteSteps(deletes));
  return { steps, saves, syncs: collector.syncs, deletes };
}

function processorOf(property: RelationshipProperty): DependencyProcessor {
  const direction = property.join.direction;
  return direction === "many-to-one" ? manyToOneProcessor : direction === "one-to-many" ? oneToManyProcessor : manyToManyProcessor;
}

/** What the processors report, gathered for the plan. */
class Collector implements FlushCollector {
  readonly saving: Set<InstanceState>;
  readonly deleting: ReadonlySet<InstanceState>;
  readonly syncs = new Map<InstanceState, ForeignKeySync[]>();
  /** parent → states saved after it. */
  readonly saveAfter = new Map<InstanceState, Set<InstanceState>>();
  /** child → states deleted after it. */
  readonly deleteAfter = new Map<InstanceState, Set<InstanceState>>();
  readonly postUpdates: ForeignKeySync[] = [];
  readonly clears: ForeignKeySync[] = [];
  readonly secondaryRows: SecondaryRow[] = [];
  readonly #secondarySeen = new Set<string>();

  constructor(saving: Set<InstanceState>, deleting: ReadonlySet<InstanceState>) {
    this.saving = saving;
    this.deleting = deleting;
  }

  sync(sync: ForeignKeySync): void {
    const list = this.syncs.get(sync.dest);
    if (list === undefined) this.syncs.set(sync.dest, [sync]);
    else list.push(sync);
    if (sync.source && this.saving.has(sync.source)) addEdge(this.saveAfter, sync.source, sync.dest);
  }

  postUpdate(sync: ForeignKeySync): void {
    this.postUpdates.push(sync);
  }

  clearBeforeDeletes(sync: ForeignKeySync): void {
    this.clears.push(sync);
  }

  secondary(row: SecondaryRow): void {
    // Both sides of a backPopulates pair record the same association row: it is written once.
    const id = secondaryRowId(row);
    if (this.#secondarySeen.has(id)) return;
    this.#secondarySeen.add(id);
    this.secondaryRows.push(row);
  }

  deleteBefore(first: InstanceState, then: InstanceState): void {
    addEdge(this.deleteAfter, first, then);
  }
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
  // Per shard and identity mapper, the new rows' identity values (a one-column key is its own value: no string per row).
  const seen = new Map<string | undefined, Map<Mapper, Map<unknown, InstanceState>>>();
  for (const state of input.pending) {
    const mapper = state.mapper as Mapper;
    const value = mapper.identityValueOfState(state);
    if (value === undefined) continue;
    // The same key on two shards is two rows.
    const token = state.identityToken;
    let byMapper = seen.get(token);
    if (byMapper === undefined) seen.set(token, (byMapper = new Map()));
    let values = byMapper.get(mapper.identityMapper);
    if (values === undefined) byMapper.set(mapper.identityMapper, (values = new Map()));
    const other = values.get(value) ?? input.persistentWith?.(mapper, value, token);
    if (other !== undefined && other !== state) {
      const columns = mapper.primaryKey.map((c) => c.key).join(", ");
      throw new FlushError(
        `New instance ${mapper.describe(state)} has the same primary key (${columns}) as ` +
          `${!other.hasIdentity ? "another new instance" : "the persistent instance"} ${mapper.describe(other)} in this flush; ` +
          "nothing was written. Give each object its own key, or merge() the object to update the existing row.",
      );
    }
    values.set(value, state);
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

/** `states` sorted topologically (table rank, then `compareWithin`); a cycle is a FlushError naming it. */
function ordered(
  states: InstanceState[],
  after: ReadonlyMap<InstanceState, ReadonlySet<InstanceState>>,
  input: Pick<FlushInput, "tableRank">,
  what: "saved" | "deleted",
): InstanceState[] {
  const compare = (a: InstanceState, b: InstanceState) =>
    a.mapper === b.mapper ? compareWithin(a, b) : input.tableRank(a.mapper as Mapper) - input.tableRank(b.mapper as Mapper) || compareWithin(a, b);
  const { ordered, cycle } = topologicalSort(states, after, compare);
  if (cycle.length > 0) {
    const names = cycle.map((s) => s.mapper.describe(s));
    throw new FlushError(
      `Cannot order the flush: the ${what} objects ${names.join(" → ")} → ${names[0]} depend on each other in a cycle; nothing was written. ` +
        "Rows that reference each other need one of the relationships declared with postUpdate: true (its foreign key is then written by a second UPDATE).",
    );
  }
  return ordered;
}

/** Existing rows in primary key order, then new rows in `add()` order. */
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
