import { UnmappedError } from "../shared/errors.ts";
import type { Mapper } from "./mapper/mapper.ts";
import { type InstanceState, type Status, UNLOADED, stateOf } from "./state/instance-state.ts";
import { relatedItems } from "./state/related-items.ts";

/**
 * What changed in one attribute since it was loaded or last flushed (SQLAlchemy's `History`):
 * `added` the new value(s), `deleted` the replaced one(s), `unchanged` what stayed. An unloaded
 * attribute has an empty history. A collection lists its items; a scalar is zero or one value.
 */
export interface AttributeHistory {
  readonly added: readonly unknown[];
  readonly unchanged: readonly unknown[];
  readonly deleted: readonly unknown[];
}

/** One attribute of an inspected object. */
export interface AttributeInspection {
  readonly key: string;
  /** Whether it holds a value in memory (not expired, deferred, or an unloaded relationship). */
  readonly loaded: boolean;
  /** Its value, or `undefined` when not loaded (reading it never runs SQL). */
  readonly loadedValue: unknown;
  readonly history: AttributeHistory;
}

/**
 * A mapped object's ORM state, read without SQL (SQLAlchemy's `inspect(obj)` on an instance):
 * its lifecycle status, identity, and per-attribute loaded-ness and history.
 *
 * ```ts
 * const info = inspect(user);
 * info.status;                    // "persistent"
 * info.attrs.name.history;        // { added: ["ann2"], unchanged: [], deleted: ["ann"] }
 * ```
 */
export class InstanceInspection {
  readonly #state: InstanceState;

  constructor(state: InstanceState) {
    this.#state = state;
  }

  get object(): object {
    return this.#state.object;
  }

  /** transient (never added) / pending (added, not flushed) / persistent / deleted (flushed DELETE) / detached. */
  get status(): Status {
    return this.#state.status;
  }
  get transient(): boolean {
    return this.status === "transient";
  }
  get pending(): boolean {
    return this.status === "pending";
  }
  get persistent(): boolean {
    return this.status === "persistent";
  }
  get deleted(): boolean {
    return this.status === "deleted";
  }
  get detached(): boolean {
    return this.status === "detached";
  }

  /** The primary key the database knows the row by, once it has one. */
  get identity(): readonly unknown[] | undefined {
    return this.#state.hasIdentity ? this.#state.identity : undefined;
  }

  /** The shard of a sharded session's instance (SQLAlchemy's `identity_token`). */
  get identityToken(): string | undefined {
    return this.#state.identityToken;
  }

  /** Whether any attribute changed since the last load or flush. */
  get modified(): boolean {
    return this.#state.modified;
  }

  /** Keys of the attributes not loaded (expired, deferred, unloaded relationships). */
  get unloaded(): ReadonlySet<string> {
    return new Set(properties(this.#mapper).filter((p) => this.#state.valueAt(p.slot) === UNLOADED).map((p) => p.key));
  }

  /** Every mapped attribute, by key. */
  get attrs(): Readonly<Record<string, AttributeInspection>> {
    const out: Record<string, AttributeInspection> = {};
    for (const property of properties(this.#mapper)) out[property.key] = this.#attribute(property.key, property.slot);
    return out;
  }

  /** One attribute's history (SQLAlchemy's `attributes.get_history(obj, key)`). */
  history(key: string): AttributeHistory {
    const property = this.#mapper.property(key);
    if (property === undefined) throw new UnmappedError(`${this.#mapper.className} has no attribute '${key}'`);
    return this.#attribute(key, property.slot).history;
  }

  get #mapper(): Mapper {
    return this.#state.mapper as Mapper;
  }

  #attribute(key: string, slot: number): AttributeInspection {
    const state = this.#state;
    const value = state.valueAt(slot);
    const loaded = value !== UNLOADED;
    return { key, loaded, loadedValue: loaded ? value : undefined, history: historyOf(state, slot, this.#mapper.relationships.some((r) => r.slot === slot)) };
  }
}

function properties(mapper: Mapper): readonly { readonly key: string; readonly slot: number }[] {
  return [...mapper.columns, ...mapper.relationships];
}

function historyOf(state: InstanceState, slot: number, relationship: boolean): AttributeHistory {
  const value = state.valueAt(slot);
  if (value === UNLOADED) return { added: [], unchanged: [], deleted: [] };
  const changed = state.committed?.has(slot) === true && state.committed.get(slot) !== value;
  const before = changed ? state.committed?.get(slot) : value;
  if (relationship && (Array.isArray(value) || Array.isArray(before))) {
    const now = relatedItems(value);
    const was = relatedItems(before);
    return { added: now.filter((v) => !was.includes(v)), unchanged: now.filter((v) => was.includes(v)), deleted: was.filter((v) => !now.includes(v)) };
  }
  if (!changed) return { added: [], unchanged: [value], deleted: [] };
  // A new object's first value has no "deleted" side; neither has a value set over an unloaded one.
  return { added: [value], unchanged: [], deleted: before === UNLOADED || before === undefined || !state.hasIdentity ? [] : [before] };
}

/** The ORM state of a mapped object (SQLAlchemy's `inspect(obj)`); `UnmappedError` for anything else. */
export function inspect(object: object): InstanceInspection {
  const state = stateOf(object);
  if (state === undefined) throw new UnmappedError(`inspect() needs a mapped object; got ${object?.constructor?.name ?? typeof object}`);
  return new InstanceInspection(state);
}

/** `inspect(object).history(key)`: SQLAlchemy's `attributes.get_history`. */
export function getHistory(object: object, key: string): AttributeHistory {
  return inspect(object).history(key);
}
