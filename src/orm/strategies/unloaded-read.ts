import type { AwaitedLoad } from "../loading/loader-strategy.ts";
import { targetWithoutSql } from "../mapper/lazy-read.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { unloadedAttributeError } from "../mapper/unloaded-attribute-error.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { loadsWithCriteria } from "./loads-with-criteria.ts";

/** `explainLoading`'s note for a relationship left unloaded that a read would have to load. */
export const NOT_LOADED_NOTE = "not loaded: reading it raises MissingGreenlet unless the target is already in the identity map";

/**
 * The answer a property read can give without SQL, kept on the object: `null` for a NULL key, the
 * identity map's loaded target of a many-to-one (reported to the session, for strictLoading);
 * `UNLOADED` otherwise. A detached object has no identity map to ask.
 */
export function readFromMemory(state: InstanceState, property: RelationshipProperty): unknown {
  if (state.status === "detached") return UNLOADED;
  const owner = state.owner;
  const known = targetWithoutSql(state, property, (target, identity) => owner?.find(target, identity, state.identityToken));
  if (known === UNLOADED) return UNLOADED;
  if (known !== null) owner?.lazyReadFromMemory?.(state, property);
  state.storeAt(property.slot, known);
  return known;
}

/**
 * A read that would need SQL, by a strategy that loads: the memory's answer, else the load under a
 * synchronous Session (its `loadOnRead`), else `MissingGreenlet` (or `DetachedInstanceError`) with
 * the fix. `lazy`: the read is the lazy strategy's, not an eager strategy's that left the
 * relationship unloaded (the message says which).
 */
export function readOrMissingGreenlet(state: InstanceState, property: RelationshipProperty, lazy: boolean): unknown {
  const loadOnRead = state.owner?.loadOnRead;
  // With criteria the load selects, whatever the identity map holds (SQLAlchemy turns use_get off).
  if (loadOnRead !== undefined && loadsWithCriteria(state, property)) return loadOnRead(state, property.key);
  const known = readFromMemory(state, property);
  if (known !== UNLOADED) return known;
  if (loadOnRead !== undefined) return loadOnRead(state, property.key);
  throw unloadedAttributeError(state.mapper as Mapper, state, property, lazy);
}

/** The awaited load of every strategy that loads: from memory when it can, else its per-parent SELECT. */
export function loadFromMemoryOrSelect(load: AwaitedLoad): Promise<unknown> {
  return load.operation(async () => {
    const known = load.inMemory();
    return known !== UNLOADED ? known : load.select();
  });
}
