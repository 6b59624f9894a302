import type { ValueProcessor } from "../../core/dialects/dialect.ts";
import { type TupleRowPrototype, asTupleRow } from "../../core/engine/tuple-row.ts";
import { trackedList } from "../mapper/back-populates.ts";
import { joinKey } from "../mapper/join-key.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { readSlot, writeSlot } from "../state/slot-storage.ts";
import { type HeldState, type InstanceState, STATE, type StateMapper, UNLOADED, mappedState } from "../state/instance-state.ts";
import { SharedLoadState } from "../state/shared-load-state.ts";
import type { EntityLoad, JoinedLoad, PlanElement } from "./load-plan.ts";
import type { PolymorphicRows } from "./polymorphic-rows.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { InvalidRequestError } from "../../shared/errors.ts";

/** Where loaded instances go: the session's identity map. */
export interface LoadTarget {
  /** The instance of `mapper` with these primary key values, if loaded. */
  find(mapper: StateMapper, identity: readonly unknown[]): InstanceState | undefined;
  /** The instance of `mapper` whose `Mapper.identityValue` is `value`, if loaded (its state as it is: `mappedState` makes it). */
  findObject(mapper: StateMapper, value: unknown): object | undefined;
  /** Adds a loaded instance; `value` is its `Mapper.identityValue`. */
  add(state: InstanceState, value: unknown): void;
  /**
   * The state the rows of `mapper` loaded with `loadOptions` may share instead of having one each
   * (ADR 0016 stage 3). A target without it (a shard's, a stream's) gives every row its own.
   */
  sharedState?(mapper: StateMapper, loadOptions: unknown): SharedLoadState;
  /** Adds a loaded instance holding a state from `sharedState`; `value` is its `Mapper.identityValue`. */
  addShared?(object: object, mapper: StateMapper, value: unknown): void;
  /** The session's `load` / `refresh` / `loadedAsPersistent` events, asked once per statement. */
  readonly loadEvents?: LoadEvents;
}

/** Where a statement's load reports the instances it built and those it overwrote. */
export interface LoadEvents {
  /** Whether anyone listens: the run collects instances only then. */
  active(): boolean;
  /** After the statement's rows are in (joined collections installed), before its post loads. */
  loaded(fresh: ReadonlySet<InstanceState>, refreshed: ReadonlySet<InstanceState>): void;
}

/**
 * The bookkeeping of one statement's load: which instances each entity produced (for the
 * loaders that run after the rows) and the joined collections being assembled.
 */
export class LoadRun {
  readonly target: LoadTarget;
  readonly populateExisting: boolean;
  /** Instances per entity that has post loads, in first-seen order. */
  readonly loaded = new Map<EntityLoad, Set<InstanceState>>();
  /** Joined collections started in this run: parent → items (wrapped as tracked lists at the end). */
  readonly #collections = new Map<JoinedLoad, Map<InstanceState, { items: unknown[]; seen: Set<unknown> }>>();
  /** Instances built from rows, kept only while load events are listened to. */
  readonly fresh: Set<InstanceState> | undefined;
  /** Instances already loaded that `populateExisting` overwrote, likewise. */
  readonly refreshed: Set<InstanceState> | undefined;
  /** The entity whose rows `#shared` is for (most statements load one), and that state or `undefined`: they need their own. */
  #sharedFor: EntityLoad | undefined = undefined;
  #shared: SharedLoadState | undefined = undefined;
  readonly #sharedByLoad = new Map<EntityLoad, SharedLoadState | undefined>();

  constructor(target: LoadTarget, populateExisting: boolean) {
    this.target = target;
    this.populateExisting = populateExisting;
    if (target.loadEvents?.active() === true) {
      this.fresh = new Set();
      this.refreshed = new Set();
    }
  }

  /**
   * The state new rows of `load` share, or `undefined` when each needs its own: the target cannot
   * share, load events want the instances, or the load does more per row than fill columns and
   * joined many-to-ones (a joined collection, which meets its parent again on the next row; post
   * loads; per-row loader overrides; noload; inheritance).
   */
  sharedState(load: EntityLoad): SharedLoadState | undefined {
    if (load === this.#sharedFor) return this.#shared;
    let shared = this.#sharedByLoad.get(load);
    if (shared === undefined && !this.#sharedByLoad.has(load)) {
      const plain =
        this.fresh === undefined &&
        load.joined.every((joined) => !joined.property.join.uselist) &&
        load.post.length === 0 &&
        load.polymorphic === undefined &&
        load.readOverrides.length === 0 &&
        load.noloadSlots.length === 0;
      shared = plain ? this.target.sharedState?.(load.mapper, load.tree) : undefined;
      this.#sharedByLoad.set(load, shared);
    }
    this.#sharedFor = load;
    this.#shared = shared;
    return shared;
  }

  /** Whether this run fills `slot` of `state`: it is unloaded, or the query overwrites. */
  populates(state: InstanceState, slot: number): boolean {
    return this.populateExisting || state.valueAt(slot) === UNLOADED;
  }

  /** Adds `child` to the joined collection of `parent` (started empty on the parent's first row). */
  collect(joined: JoinedLoad, parent: InstanceState, child: unknown): void {
    let byParent = this.#collections.get(joined);
    if (byParent === undefined) this.#collections.set(joined, (byParent = new Map()));
    let entry = byParent.get(parent);
    if (entry === undefined) {
      if (!this.populates(parent, joined.property.slot)) return;
      byParent.set(parent, (entry = { items: [], seen: new Set() }));
    }
    if (child !== null && !entry.seen.has(child)) {
      entry.seen.add(child);
      entry.items.push(child);
    }
  }

  /**
   * Sets the joined many-to-one of `parent` when this run populates it. A parent repeated over
   * rows (other joined collections) meets a loaded slot the second time, so it is set once.
   */
  assign(joined: JoinedLoad, parent: InstanceState, child: unknown): void {
    if (this.populates(parent, joined.property.slot)) parent.storeAt(joined.property.slot, child);
  }

  /** Installs the assembled joined collections as the parents' committed values. */
  finish(): void {
    for (const [joined, byParent] of this.#collections) {
      for (const [parent, { items }] of byParent) setCollection(parent, joined.property, items);
    }
    const fresh = this.fresh;
    if (fresh !== undefined && (fresh.size > 0 || (this.refreshed as Set<InstanceState>).size > 0)) {
      this.target.loadEvents?.loaded(fresh, this.refreshed as Set<InstanceState>);
    }
  }
}

/** Sets a loaded collection as a relationship's committed value. */
export function setCollection(state: InstanceState, property: RelationshipProperty, items: readonly unknown[]): void {
  state.storeAt(property.slot, trackedList(items, state, property));
}

/**
 * Turns raw driver rows into result tuples of identity-mapped instances (synchronous: the hot
 * path of every ORM query). A row whose primary key is already in the map yields the same
 * instance; its loaded attributes are kept (unless `populateExisting`), unloaded ones are filled.
 * With `rowPrototype` (the statement's keys) the tuples' elements also read by key (`row.User`).
 */
export function loadRows(
  rows: readonly (readonly unknown[])[],
  processors: readonly (ValueProcessor | undefined)[],
  elements: readonly PlanElement[],
  run: LoadRun,
  rowPrototype?: TupleRowPrototype,
): unknown[][] {
  const out = new Array<unknown[]>(rows.length);
  const width = elements.length;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as readonly unknown[];
    const tuple = new Array<unknown>(width);
    for (let e = 0; e < width; e++) {
      const element = elements[e] as PlanElement;
      if (element.kind === "column") {
        const offset = element.offset;
        tuple[e] = processed(row[offset], processors[offset]);
      } else {
        tuple[e] = loadEntity(row, element.load, processors, run);
      }
    }
    out[r] = rowPrototype === undefined ? tuple : asTupleRow(tuple, rowPrototype);
  }
  return out;
}

/**
 * `loadRows` for a statement of one entity: the instances themselves, one per row, without a
 * result tuple per row (what `session.scalars(select(User))` hands out).
 */
export function loadColumn(
  rows: readonly (readonly unknown[])[],
  processors: readonly (ValueProcessor | undefined)[],
  load: EntityLoad,
  run: LoadRun,
): unknown[] {
  const out = new Array<unknown>(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = loadEntity(rows[r] as readonly unknown[], load, processors, run);
  return out;
}

/**
 * `loadRows` for a child statement (`[key…, entity]` rows: the selectin and subquery loaders): the
 * instances grouped under `joinKey` of each row's key values, in row order, without a tuple per row
 * (80 bytes a row that were garbage as soon as they were grouped). With `repeatsRows` (joined
 * collections below the child repeat its rows) an instance is listed once per key.
 */
export function loadGroups(
  rows: readonly (readonly unknown[])[],
  processors: readonly (ValueProcessor | undefined)[],
  elements: readonly PlanElement[],
  run: LoadRun,
  repeatsRows: boolean,
): Map<unknown, unknown[]> {
  const keyCount = elements.length - 1;
  const entity = elements[keyCount];
  if (entity?.kind !== "entity") throw new InvalidRequestError("A grouped child statement ends with its entity");
  const keyOffsets = elements.slice(0, keyCount).map((element) => (element as { offset: number }).offset);
  // Reused for every row: `joinKey` turns it into a value (a scalar or a string) and keeps nothing.
  const keyValues = new Array<unknown>(keyCount);
  const groups = new Map<unknown, unknown[]>();
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as readonly unknown[];
    for (let k = 0; k < keyCount; k++) {
      const offset = keyOffsets[k] as number;
      keyValues[k] = processed(row[offset], processors[offset]);
    }
    const key = joinKey(keyValues);
    const object = loadEntity(row, entity.load, processors, run);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    if (object !== null && !(repeatsRows && group.includes(object))) group.push(object);
  }
  return groups;
}

/** One entity of a row (and what is joined to it): its instance, or null for an outer join's empty side. */
function loadEntity(row: readonly unknown[], load: EntityLoad, processors: readonly (ValueProcessor | undefined)[], run: LoadRun): object | null {
  const { mapper, offset, slots, pkPositions } = load;
  let value: unknown;
  if (pkPositions.length === 1) {
    const position = offset + (pkPositions[0] as number);
    const raw = row[position];
    if (raw === null || raw === undefined) return null;
    // The identity of a single-column key is read from its slot (InstanceState.identity).
    value = mapper.identityValueOf(processed(raw, processors[position]));
  } else {
    const identity = new Array<unknown>(pkPositions.length);
    for (let i = 0; i < pkPositions.length; i++) {
      const position = offset + (pkPositions[i] as number);
      const v = row[position];
      if (v === null || v === undefined) return null;
      identity[i] = processed(v, processors[position]);
    }
    value = mapper.identityValue(identity);
  }
  const found = run.target.findObject(mapper, value);
  if (found === undefined) {
    const shared = run.sharedState(load);
    if (shared !== undefined) {
      const object = newSharedInstance(row, load, processors, run, value, shared);
      // A new row's joined many-to-ones are unloaded: set, as `LoadRun.assign` would.
      for (const joined of load.joined) writeSlot(object, joined.property.slot, loadEntity(row, joined.entity, processors, run));
      return object;
    }
  } else if (nothingToFill(found, load, run)) {
    return found;
  }
  let state = found === undefined ? undefined : mappedState(found);
  if (load.polymorphic !== undefined) {
    state = polymorphicState(state, row, load, load.polymorphic, processors, run, value);
  } else if (state !== undefined) {
    refill(state, row, load, processors, run, slots);
  } else {
    state = newInstance(mapper, slots, row, load, processors, run, value);
  }
  for (const joined of load.joined) {
    const child = loadEntity(row, joined.entity, processors, run);
    if (joined.property.join.uselist) run.collect(joined, state, child);
    else run.assign(joined, state, child);
  }
  if (load.post.length > 0) {
    let seen = run.loaded.get(load);
    if (seen === undefined) run.loaded.set(load, (seen = new Set()));
    seen.add(state);
  }
  return state.object;
}

/**
 * The instance of a row of an inheritance hierarchy's entity: of the class its discriminator
 * names, with the columns of that class (a sibling class's columns, NULL in the row, are not its).
 */
function polymorphicState(
  found: InstanceState | undefined,
  row: readonly unknown[],
  load: EntityLoad,
  polymorphic: PolymorphicRows,
  processors: readonly (ValueProcessor | undefined)[],
  run: LoadRun,
  value: unknown,
): InstanceState {
  if (polymorphic.selectin.length > 0 && !run.loaded.has(load)) run.loaded.set(load, new Set());
  let target = polymorphic.self;
  if (polymorphic.position >= 0) {
    const position = load.offset + polymorphic.position;
    const discriminator = processed(row[position], processors[position]);
    if (discriminator !== null && discriminator !== undefined) {
      const named = polymorphic.byIdentity.get(discriminator);
      if (named === undefined) {
        throw new InvalidRequestError(`No such polymorphic_identity ${JSON.stringify(discriminator)} is defined below ${load.mapper.className}`);
      }
      target = named;
    }
  }
  // A concrete class keeps its own identities.
  if (target.mapper.identityMapper !== load.mapper.identityMapper) {
    const object = run.target.findObject(target.mapper, value);
    found = object === undefined ? undefined : mappedState(object);
  }
  if (found !== undefined) {
    refill(found, row, load, processors, run, (polymorphic.byMapper.get(found.mapper as Mapper) ?? target).slots);
    if (polymorphic.selectin.length > 0) run.loaded.get(load)?.add(found);
    return found;
  }
  const state = newInstance(target.mapper, target.slots, row, load, processors, run, value);
  if (polymorphic.selectin.length > 0) run.loaded.get(load)?.add(state);
  return state;
}

/**
 * A new instance from the row's values at `slots` (-1: a column of a sibling class, not this
 * one's), put in the identity map; one code path for plain and polymorphic rows, so both report
 * to load events alike.
 */
function newInstance(
  mapper: Mapper,
  slots: readonly number[],
  row: readonly unknown[],
  load: EntityLoad,
  processors: readonly (ValueProcessor | undefined)[],
  run: LoadRun,
  value: unknown,
): InstanceState {
  // Every slot unloaded, then the row's written over them: no values array per row (ADR 0016).
  const state = mapper.instantiate();
  writeRow(state.object, slots, row, load.offset, processors);
  state.markLoaded();
  run.target.add(state, value);
  if (load.readOverrides.length > 0) applyReadOverrides(state, load);
  if (load.noloadSlots.length > 0) applyNoload(state, load);
  if (load.tree !== undefined) state.loadOptions = load.tree;
  run.fresh?.add(state);
  return state;
}

/**
 * A new instance of a plain load's row (`LoadRun.sharedState`; never an inheritance hierarchy's, so
 * the load's own mapper and slots): it holds its load's shared state, so a row that is only read
 * costs its object and nothing else (ADR 0016 stage 3).
 */
function newSharedInstance(
  row: readonly unknown[],
  load: EntityLoad,
  processors: readonly (ValueProcessor | undefined)[],
  run: LoadRun,
  value: unknown,
  shared: SharedLoadState,
): object {
  const mapper = load.mapper;
  const object = mapper.instantiateShared(shared);
  writeRow(object, load.slots, row, load.offset, processors);
  (run.target.addShared as NonNullable<LoadTarget["addShared"]>)(object, mapper, value);
  return object;
}

/** Writes the row's values at `offset` into the slots of a new instance (`slots[i]` < 0: not this class's column). */
function writeRow(object: object, slots: readonly number[], row: readonly unknown[], offset: number, processors: readonly (ValueProcessor | undefined)[]): void {
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    if (slot < 0) continue;
    const position = offset + i;
    const process = processors[position];
    const v = row[position];
    writeSlot(object, slot, process === undefined || v === null ? v : process(v));
  }
}

/**
 * Whether a row met again (an organization on each of its users' rows) would change nothing: it
 * still shares its load's state, this load does nothing per row beyond its columns, and every
 * column it selects is loaded. Then its state is not made just to find nothing to refill.
 */
function nothingToFill(object: object, load: EntityLoad, run: LoadRun): boolean {
  if (run.populateExisting || load.joined.length > 0 || load.post.length > 0 || load.polymorphic !== undefined) return false;
  if (!((object as { [STATE]: HeldState })[STATE] instanceof SharedLoadState)) return false;
  const slots = load.slots;
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    if (slot >= 0 && readSlot(object, slot) === UNLOADED) return false;
  }
  return true;
}

/** An instance already in the identity map: fills what is unloaded (all of `slots` with `populateExisting`, reported as refreshed). */
function refill(
  state: InstanceState,
  row: readonly unknown[],
  load: EntityLoad,
  processors: readonly (ValueProcessor | undefined)[],
  run: LoadRun,
  slots: readonly number[],
): void {
  fillExisting(state, row, load, processors, run.populateExisting, slots);
  if (run.populateExisting && run.refreshed !== undefined && !run.fresh?.has(state)) run.refreshed.add(state);
}

function fillExisting(
  state: InstanceState,
  row: readonly unknown[],
  load: EntityLoad,
  processors: readonly (ValueProcessor | undefined)[],
  overwrite: boolean,
  slots: readonly number[],
): void {
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as number;
    if (slot < 0) continue;
    if (overwrite || state.valueAt(slot) === UNLOADED) {
      const position = load.offset + i;
      state.storeAt(slot, processed(row[position], processors[position]));
    }
  }
  if (overwrite) {
    state.resetHistory();
    // As SQLAlchemy: populate_existing hands the instance this query's options (its lazy loads'
    // criteria among them) when the query has some; otherwise it keeps those it was loaded with.
    if (load.tree !== undefined) state.loadOptions = load.tree;
    // populate_existing: relationships this query leaves lazy are reset, to load again when asked.
    for (const slot of load.lazySlots) state.storeAt(slot, UNLOADED);
    applyReadOverrides(state, load);
    applyNoload(state, load);
  }
  if (state.unloadedReason !== undefined) {
    let stillUnloaded = false;
    for (const c of load.mapper.columns) if (state.valueAt(c.slot) === UNLOADED && !c.deferred) stillUnloaded = true;
    if (!stillUnloaded) state.unloadedReason = undefined;
  }
}

function applyReadOverrides(state: InstanceState, load: EntityLoad): void {
  if (load.readOverrides.length === 0) return;
  const overrides = (state.readOverrides ??= new Map());
  for (const [slot, strategy] of load.readOverrides) overrides.set(slot, strategy);
}

/** noload: the relationship reads as empty without ever loading. */
function applyNoload(state: InstanceState, load: EntityLoad): void {
  for (const property of load.noloadSlots) {
    if (property.join.uselist) setCollection(state, property, []);
    else state.storeAt(property.slot, null);
  }
}

function processed(value: unknown, process: ValueProcessor | undefined): unknown {
  return process === undefined || value === null || value === undefined ? value : process(value);
}
