import { slotOf } from "../mapper/lazy-read.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { Cascade, RelationshipProperty } from "../mapper/relationship-property.ts";
import { type InstanceState, UNLOADED, mappedState, stateOf } from "../state/instance-state.ts";
import { relatedItems } from "../state/related-items.ts";
import { LOADER_STRATEGIES } from "../strategies/registry.ts";
import type { Io } from "../../shared/io.ts";

const NONE: readonly InstanceState[] = [];

/**
 * The objects reachable from `state` through loaded relationships that carry `cascade`
 * (not loading anything: an unloaded relationship has nothing in memory to cascade to).
 * Runs for every object added and every object flushed, most of which hold nothing in their
 * relationships: that case allocates nothing.
 */
export function cascadeTargets(state: InstanceState, cascade: Cascade): readonly InstanceState[] {
  let out: InstanceState[] | undefined;
  const relationships = (state.mapper as Mapper).relationships;
  for (let i = 0; i < relationships.length; i++) {
    const property = relationships[i] as RelationshipProperty;
    const value = state.valueAt(property.slot);
    if (value === null || !property.cascade.has(cascade)) continue;
    if (value === UNLOADED) {
      const parked = state.parkedCollections?.get(property.slot);
      if (parked !== undefined) for (const item of parked) out = addTarget(out, item);
    } else if (Array.isArray(value)) {
      for (const item of value) out = addTarget(out, item);
    } else {
      out = addTarget(out, value);
    }
  }
  return out ?? NONE;
}

/** Every object reachable from `state` through loaded relationships carrying `cascade`, transitively (not `state`). */
export function cascadeClosure(state: InstanceState, cascade: Cascade): InstanceState[] {
  const seen = new Set<InstanceState>([state]);
  const stack = [state];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    for (const target of cascadeTargets(next, cascade)) {
      if (seen.has(target)) continue;
      seen.add(target);
      stack.push(target);
    }
  }
  seen.delete(state);
  return [...seen];
}

function addTarget(out: InstanceState[] | undefined, item: unknown): InstanceState[] | undefined {
  const target = stateOf(item);
  if (target === undefined) return out;
  (out ??= []).push(target);
  return out;
}

/** Loads a relationship of a persistent object (the session's lazy load), returning its value. */
export type LoadRelationship = (state: InstanceState, property: RelationshipProperty) => Io<unknown>;

/**
 * Persistent objects removed since the last flush from a collection with the `delete-orphan`
 * cascade (`org.users.remove(user)`, or `user.organization = null` with `org.users` loaded):
 * the flush DELETEs them instead of setting their foreign key to NULL.
 */
export function orphansOf(modified: Iterable<InstanceState>): InstanceState[] {
  const orphans: InstanceState[] = [];
  for (const state of modified) {
    const committed = state.committed;
    if (committed === undefined) continue;
    for (const property of (state.mapper as Mapper).relationships) {
      if (!property.cascade.has("delete-orphan") || !committed.has(property.slot)) continue;
      const current = relatedItems(state.valueAt(property.slot));
      const previous = relatedItems(committed.get(property.slot));
      for (const item of previous) {
        if (current.includes(item)) continue;
        const child = stateOf(item);
        if (child !== undefined && child.hasIdentity) orphans.push(child);
      }
    }
  }
  return orphans;
}

/**
 * What a flush needs in memory before it can DELETE `deleted` (SQLAlchemy's default cascade):
 * each one-to-many collection without the `delete` cascade is loaded and its children's foreign
 * keys set to NULL, and each many-to-many collection is loaded so its association rows can be
 * deleted. `passiveDeletes` leaves unloaded collections to the database's ON DELETE.
 */
export function* prepareDeletes(deleted: ReadonlySet<InstanceState>, load: LoadRelationship): Io<void> {
  for (const state of [...deleted]) {
    for (const property of (state.mapper as Mapper).relationships) {
      const direction = property.join.direction;
      if (direction === "many-to-one" || property.spec.options.viewonly) continue;
      if (direction === "one-to-many" && property.cascade.has("delete")) continue;
      let children = state.valueAt(property.slot);
      if (children === UNLOADED) {
        if (property.spec.options.passiveDeletes || !LOADER_STRATEGIES[property.strategy].populates) continue;
        children = yield* load(state, property);
      }
      if (direction === "many-to-many") continue;
      for (const child of relatedItems(children)) releaseChild(mappedState(child as object), state, property, deleted);
    }
  }
}

/** `child.<fk> = NULL`, and its back reference to the deleted `parent` cleared without history. */
function releaseChild(child: InstanceState, parent: InstanceState, property: RelationshipProperty, deleted: ReadonlySet<InstanceState>): void {
  if (deleted.has(child)) return;
  for (const pair of property.join.pairs) {
    const slot = slotOf(child.mapper as Mapper, pair.remote);
    if (slot !== undefined && child.valueAt(slot) !== null) child.set(slot, null);
  }
  const back = property.backPopulates;
  if (back && child.valueAt(back.slot) === parent.object) child.storeAt(back.slot, null);
}
