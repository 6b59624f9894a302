import { type InstanceState, STATE, UNLOADED, mappedState } from "../state/instance-state.ts";
import { InstrumentedList } from "./instrumented-list.ts";
import { attributeListening, fireCollectionChange } from "./attribute-events.ts";
import type { RelationshipProperty } from "./relationship-property.ts";

type Stateful = { [STATE]: InstanceState };

/**
 * Keeps the other side of a `backPopulates` pair in step with an assignment, in memory and
 * without SQL (SQLAlchemy's backref events): an unloaded collection on a persistent object is
 * left unloaded rather than loaded.
 */
export function syncBackPopulates(property: RelationshipProperty, state: InstanceState, previous: unknown, next: unknown): void {
  const other = property.backPopulates;
  if (other === undefined) return;
  const parent = state.object;
  if (Array.isArray(next) || Array.isArray(previous)) {
    const before = Array.isArray(previous) ? previous : [];
    const after = Array.isArray(next) ? next : [];
    for (const child of before) if (!after.includes(child)) detach(other, child, parent);
    for (const child of after) if (!before.includes(child)) attach(other, child, parent);
    return;
  }
  if (previous !== next) {
    if (isMapped(previous)) detach(other, previous, parent);
    if (isMapped(next)) attach(other, next, parent);
  }
}

/** `child.<other>` now includes / is `parent`. */
function attach(other: RelationshipProperty, child: unknown, parent: object): void {
  if (!isMapped(child)) return;
  const childState = mappedState(child);
  const current = childState.valueAt(other.slot);
  if (other.join.uselist) {
    const list = current === UNLOADED ? (!childState.hasIdentity ? promoteParked(childState, other.slot) : undefined) : current;
    if (Array.isArray(list) && !list.includes(parent)) {
      const grown = trackedList([...list, parent], childState, other);
      childState.set(other.slot, grown);
    }
  } else if (current !== parent) {
    childState.set(other.slot, parent);
  }
}

/** `child.<other>` no longer includes / is `parent`. */
function detach(other: RelationshipProperty, child: unknown, parent: object): void {
  if (!isMapped(child)) return;
  const childState = mappedState(child);
  const current = childState.valueAt(other.slot);
  if (other.join.uselist) {
    if (Array.isArray(current) && current.includes(parent)) {
      childState.set(other.slot, trackedList(current.filter((x) => x !== parent), childState, other));
    }
  } else if (current === parent || current === UNLOADED) {
    // An unloaded reference is not loaded to compare: it pointed at `parent` (SQLAlchemy's backref pop).
    childState.set(other.slot, null);
  }
}

function promoteParked(state: InstanceState, slot: number): unknown[] {
  const list = state.parkedCollections?.get(slot) ?? [];
  state.parkedCollections?.delete(slot);
  return list;
}

function isMapped(value: unknown): value is Stateful {
  return typeof value === "object" && value !== null && STATE in value;
}

/** The collection value of `property` on `state`: tracked, so in-place changes are flushed and synced. */
export function trackedList(items: readonly unknown[], state: InstanceState, property: RelationshipProperty): InstrumentedList<unknown> {
  return InstrumentedList.tracking(items, (before, list) => {
    if (attributeListening.count > 0) fireCollectionChange(property, state, before, list);
    state.recordChange(property.slot, before);
    syncBackPopulates(property, state, before, list);
  });
}

/**
 * The empty collection a read of a new object's unset collection hands out. Reading stores
 * nothing (SQLAlchemy), but the first change makes it the attribute's value, so
 * `newUser.posts.push(post)` is flushed and sets `post.author` like an assignment would.
 */
export function parkedCollection(state: InstanceState, property: RelationshipProperty): InstrumentedList<unknown> {
  return InstrumentedList.tracking<unknown>([], (before, list) => {
    if (state.valueAt(property.slot) === UNLOADED && state.parkedCollections?.get(property.slot) === list) {
      state.parkedCollections.delete(property.slot);
      state.storeAt(property.slot, list);
    }
    if (attributeListening.count > 0) fireCollectionChange(property, state, before, list);
    state.recordChange(property.slot, before);
    syncBackPopulates(property, state, before, list);
  });
}
