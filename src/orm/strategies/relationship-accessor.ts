import { loaderStrategy } from "../loading/loader-strategy-table.ts";
import { syncBackPopulates, trackedList } from "../mapper/back-populates.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { attributeListening, fireCollectionChange, fireSet, watchesCollection } from "../mapper/attribute-events.ts";
import { type InstanceState, UNLOADED, mappedState } from "../state/instance-state.ts";
import { slotReader } from "../state/slot-storage.ts";

/**
 * Defines a relationship's getter/setter on the model's base prototype. A loaded read is an array
 * load and a comparison. An unloaded read of a persistent or detached object is answered by the
 * strategy the object was loaded with (a query's option) or the configured one; a new object's
 * by its mapper (empty collections, `null`). `readAll` replaces the getter (a write-only collection).
 */
export function installRelationshipAccessor(property: RelationshipProperty, prototype: object, readAll?: (state: InstanceState) => unknown): void {
  const slot = property.slot;
  const read = slotReader(slot);
  Object.defineProperty(prototype, property.key, {
    configurable: true,
    enumerable: true,
    get:
      readAll === undefined
        ? function (this: object) {
            // A loaded value is read off the instance: a row loaded with its load's shared state keeps it.
            const value = read(this);
            if (value !== UNLOADED) return value;
            const state = mappedState(this);
            if (!state.hasIdentity) return state.mapper.readUnloaded(state, slot);
            return loaderStrategy(state.readOverrides?.get(slot) ?? property.strategy).readUnloaded(state, property);
          }
        : function (this: object) {
            return readAll(mappedState(this));
          },
    set(this: object, value: unknown) {
      const state = mappedState(this);
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
