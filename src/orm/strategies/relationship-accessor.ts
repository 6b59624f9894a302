import { loaderStrategy } from "../loading/loader-strategy-table.ts";
import { syncBackPopulates, trackedList } from "../mapper/back-populates.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { attributeListening, fireCollectionChange, fireSet, watchesCollection } from "../mapper/attribute-events.ts";
import { type InstanceState, STATE, UNLOADED } from "../state/instance-state.ts";

type Stateful = { [STATE]: InstanceState };

/**
 * Defines a relationship's getter/setter on the model's base prototype. A loaded read is an array
 * load and a comparison. An unloaded read of a persistent or detached object is answered by the
 * strategy the object was loaded with (a query's option) or the configured one; a new object's
 * by its mapper (empty collections, `null`). `read` replaces the getter (a write-only collection).
 */
export function installRelationshipAccessor(property: RelationshipProperty, prototype: object, read?: (state: InstanceState) => unknown): void {
  const slot = property.slot;
  Object.defineProperty(prototype, property.key, {
    configurable: true,
    enumerable: true,
    get:
      read === undefined
        ? function (this: Stateful) {
            const state = this[STATE];
            const value = state.valueAt(slot);
            if (value !== UNLOADED) return value;
            if (!state.hasIdentity) return state.mapper.readUnloaded(state, slot);
            return loaderStrategy(state.readOverrides?.get(slot) ?? property.strategy).readUnloaded(state, property);
          }
        : function (this: Stateful) {
            return read(this[STATE]);
          },
    set(this: Stateful, value: unknown) {
      const state = this[STATE];
      const previous = state.valueAt(slot);
      if (attributeListening.count > 0 && !Array.isArray(value)) value = fireSet(property, state, value, previous);
      const next = Array.isArray(value) ? trackedList(value, state, property) : value;
      if (attributeListening.count > 0 && Array.isArray(next) && watchesCollection(property)) {
        const before = Array.isArray(previous) ? previous : (state.parkedCollections?.get(slot) ?? []);
        fireCollectionChange(property, state, before, next);
      }
      state.set(slot, next);
      state.parkedCollections?.delete(slot);
      syncBackPopulates(property, state, previous, next);
    },
  });
}
