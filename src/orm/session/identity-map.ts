import { type HeldState, InstanceState, STATE, type StateMapper, type StateOwner, mappedState } from "../state/instance-state.ts";
import { SharedLoadState } from "../state/shared-load-state.ts";
import { IdentityPartition } from "./identity-partition.ts";

/** What the session handles for the instances of its map. */
export interface IdentityMapHooks {
  lazyReadFromMemory?(state: InstanceState, property: { readonly path: string; readonly key: string }): void;
  loadAttribute?(state: InstanceState, key: string): Promise<unknown>;
  /** A synchronous Session's load of an unloaded attribute, on the read itself (StateOwner.loadOnRead). */
  loadOnRead?: ((state: InstanceState, key: string) => unknown) | undefined;
}

/**
 * One instance per primary key per session, and the set of persistent instances changed since
 * the last flush (filled by write-time change tracking, so a flush never scans the whole map).
 * References are strong: sessions are short-lived, and behaviour stays deterministic (a deliberate
 * difference from SQLAlchemy's weak map).
 *
 * Instances are kept per mapper (`IdentityPartition`), keyed by `Mapper.identityValue` (a
 * single-column key's value itself), so that loading a row builds no key string: building,
 * hashing and keeping one per row was 8–13% of the time of issue 5's read workloads.
 *
 * The map holds the objects. A row loaded without options that need a state of its own holds the
 * state its load shares (`sharedState`, ADR 0016 stage 3); every method that hands out a state
 * makes that row's own state first (`mappedState`), and closing the session changes the shared
 * states instead of visiting their rows.
 */
export class IdentityMap implements StateOwner {
  readonly #byMapper = new Map<StateMapper, IdentityPartition>();
  /** A sharded session's instances, per identity token (shard), then per mapper. */
  readonly #byToken = new Map<string, Map<StateMapper, IdentityPartition>>();
  #size = 0;
  readonly #modified = new Set<InstanceState>();
  /** The states shared by this map's loads: one per mapper for loads without options, one per load otherwise. */
  readonly #shared = new Map<StateMapper, SharedLoadState>();
  readonly #sharedWithOptions: SharedLoadState[] = [];
  /** Whether any instance of the map may hold a state of its own (set on the first, until cleared): else closing visits no row. */
  #ownStates = false;
  readonly #hooks: IdentityMapHooks;
  /** StateOwner: set for a synchronous Session's instances only (reads load). */
  readonly loadOnRead: ((state: InstanceState, key: string) => unknown) | undefined;

  constructor(hooks: IdentityMapHooks = {}) {
    this.#hooks = hooks;
    this.loadOnRead = hooks.loadOnRead;
  }

  /** StateOwner: a lazy read was answered from this map (the session's strictLoading check). */
  lazyReadFromMemory(state: InstanceState, property: { readonly path: string; readonly key: string }): void {
    this.#hooks.lazyReadFromMemory?.(state, property);
  }

  /** StateOwner: `obj.awaitableAttrs.key` (the session loads it). */
  loadAttribute(state: InstanceState, key: string): Promise<unknown> {
    const load = this.#hooks.loadAttribute;
    if (load === undefined) return Promise.resolve((state.object as Record<string, unknown>)[key]);
    return load(state, key);
  }

  get size(): number {
    return this.#size;
  }

  /** The instance of `mapper` with these primary key values (on the shard `identityToken`). */
  find(mapper: StateMapper, identity: readonly unknown[], identityToken?: string): InstanceState | undefined {
    return this.findByValue(mapper, mapper.identityValue(identity), identityToken);
  }

  /** The instance of `mapper` whose `Mapper.identityValue` is `value`. */
  findByValue(mapper: StateMapper, value: unknown, identityToken?: string): InstanceState | undefined {
    const object = this.findObject(mapper, value, identityToken);
    return object === undefined ? undefined : mappedState(object);
  }

  /** `findByValue`'s object, its state left as it is (hydration's lookup: a row met again may keep sharing its load's state). */
  findObject(mapper: StateMapper, value: unknown, identityToken?: string): object | undefined {
    return this.#partitions(identityToken)?.get(mapper.identityMapper)?.get(value);
  }

  /**
   * The state that the rows of `mapper` loaded into this map with `loadOptions` share until one
   * needs its own (`addShared`): owned by this map, persistent.
   */
  sharedState(mapper: StateMapper, loadOptions: unknown): SharedLoadState {
    if (loadOptions !== undefined) {
      const shared = new SharedLoadState(mapper, this, loadOptions);
      this.#sharedWithOptions.push(shared);
      return shared;
    }
    let shared = this.#shared.get(mapper);
    if (shared === undefined) this.#shared.set(mapper, (shared = new SharedLoadState(mapper, this, undefined)));
    return shared;
  }

  /** Puts a loaded instance holding one of this map's shared states in the map (unsharded). */
  addShared(object: object, mapper: StateMapper, value: unknown): void {
    this.#put(this.#byMapper, mapper.identityMapper, value, object);
  }

  /** Puts `object` under `value` in `mapper`'s partition of `partitions`, keeping `size`. */
  #put(partitions: Map<StateMapper, IdentityPartition>, mapper: StateMapper, value: unknown, object: object): void {
    let objects = partitions.get(mapper);
    if (objects === undefined) partitions.set(mapper, (objects = new IdentityPartition()));
    const size = objects.size;
    objects.set(value, object);
    this.#size += objects.size - size;
  }

  #partitions(identityToken: string | undefined): Map<StateMapper, IdentityPartition> | undefined {
    return identityToken === undefined ? this.#byMapper : this.#byToken.get(identityToken);
  }

  /**
   * Puts a persistent instance in the map and makes the map its owner. `value` is its
   * `Mapper.identityValue` when the caller has it at hand (hydration), saving the identity array.
   */
  add(state: InstanceState, value?: unknown): void {
    const mapper = state.mapper.identityMapper;
    const token = state.identityToken;
    let partitions = this.#byMapper;
    if (token !== undefined) {
      partitions = this.#byToken.get(token) ?? new Map();
      this.#byToken.set(token, partitions);
    }
    this.#put(partitions, mapper, value ?? state.identityValue, state.object);
    this.#ownStates = true;
    state.owner = this;
    if (state.modified) this.#modified.add(state);
  }

  remove(state: InstanceState): void {
    if (state.hasIdentity) {
      const states = this.#partitions(state.identityToken)?.get(state.mapper.identityMapper);
      const value = state.identityValue;
      if (states?.get(value) === state.object) {
        states.delete(value);
        this.#size--;
      }
    }
    this.#modified.delete(state);
    if (state.owner === this) state.owner = undefined;
  }

  /**
   * Takes an unchanged instance out of the lookup, leaving it persistent and owned by this map (its
   * changes are still flushed): the older instances of a long `stream()`, so that reading a table
   * through does not keep every row. SQLAlchemy's map is weak and lets them go by itself; this one
   * is strong. A later load of the row builds a new instance.
   */
  evict(state: InstanceState): void {
    const states = this.#partitions(state.identityToken)?.get(state.mapper.identityMapper);
    const value = state.identityValue;
    if (states?.get(value) === state.object) {
      states.delete(value);
      this.#size--;
    }
  }

  /** StateOwner: a row of this map's shared states made its own. */
  ownStateMade(): void {
    this.#ownStates = true;
  }

  /** StateOwner: a persistent instance changed for the first time since it was last clean. */
  markModified(state: InstanceState): void {
    this.#modified.add(state);
  }

  /** Instances with changes to flush. */
  get modified(): ReadonlySet<InstanceState> {
    return this.#modified;
  }

  clearModified(state: InstanceState): void {
    this.#modified.delete(state);
  }

  /** Every instance of the map, as an array taken now (changing the map while going through it is safe). */
  states(): InstanceState[] {
    const states: InstanceState[] = [];
    this.forEachState((state) => states.push(state));
    return states;
  }

  /** Calls `visit` with the state of every instance of the map (making those the rows shared). */
  forEachState(visit: (state: InstanceState) => void): void {
    this.#forEachObject((object) => visit(mappedState(object)));
  }

  /**
   * Calls `visit` with every instance of the map, allocating nothing: closing a session goes
   * through every instance it loaded, and iterating them through nested generators was 2–4% of
   * the read workloads (bench W1–W4).
   */
  #forEachObject(visit: (object: object) => void): void {
    for (const objects of this.#byMapper.values()) objects.forEach(visit);
    for (const partitions of this.#byToken.values()) for (const objects of partitions.values()) objects.forEach(visit);
  }

  /** Empties the map; each instance it owned is left detached (the session closed). */
  detachAll(): void {
    this.#clear("detached");
  }

  clear(): void {
    this.#clear(undefined);
  }

  #clear(status: "detached" | undefined): void {
    // Rows with a state of their own are visited (none when every row still shares); those
    // still sharing one change with it.
    if (this.#ownStates) {
      this.#forEachObject((object) => {
        const state = (object as { [STATE]: HeldState })[STATE];
        if (!(state instanceof InstanceState)) return;
        if (status !== undefined) state.status = status;
        if (state.owner === this) state.owner = undefined;
      });
    }
    this.#ownStates = false;
    for (const shared of [...this.#shared.values(), ...this.#sharedWithOptions]) {
      if (status !== undefined) shared.status = status;
      shared.owner = undefined;
    }
    this.#shared.clear();
    this.#sharedWithOptions.length = 0;
    this.#byMapper.clear();
    this.#byToken.clear();
    this.#size = 0;
    this.#modified.clear();
  }
}
