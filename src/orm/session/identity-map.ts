import type { InstanceState, StateOwner } from "../state/instance-state.ts";

/** What the session handles for the instances of its map. */
export interface IdentityMapHooks {
  lazyReadFromMemory?(state: InstanceState, property: { readonly path: string; readonly key: string }): void;
  loadAttribute?(state: InstanceState, key: string): Promise<unknown>;
}

/**
 * One instance per primary key per session, and the set of persistent instances changed since
 * the last flush (filled by write-time change tracking, so a flush never scans the whole map).
 * References are strong: sessions are short-lived, and behaviour stays deterministic (a deliberate
 * difference from SQLAlchemy's weak map).
 */
export class IdentityMap implements StateOwner {
  readonly #states = new Map<string, InstanceState>();
  readonly #modified = new Set<InstanceState>();
  readonly #hooks: IdentityMapHooks;

  constructor(hooks: IdentityMapHooks = {}) {
    this.#hooks = hooks;
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
    return this.#states.size;
  }

  get(key: string): InstanceState | undefined {
    return this.#states.get(key);
  }

  /** Puts a persistent instance in the map and makes the map its owner. */
  add(state: InstanceState): void {
    this.#states.set(state.key as string, state);
    state.owner = this;
    if (state.modified) this.#modified.add(state);
  }

  remove(state: InstanceState): void {
    if (state.key !== undefined && this.#states.get(state.key) === state) this.#states.delete(state.key);
    this.#modified.delete(state);
    if (state.owner === this) state.owner = undefined;
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

  states(): IterableIterator<InstanceState> {
    return this.#states.values();
  }

  clear(): void {
    for (const state of this.#states.values()) if (state.owner === this) state.owner = undefined;
    this.#states.clear();
    this.#modified.clear();
  }
}
