import { STATE, type InstanceState, UNLOADED } from "../state/instance-state.ts";
import type { Mapper } from "./mapper.ts";
import type { RelationshipProperty } from "./relationship-property.ts";
import { validatorFor } from "./value-validator.ts";
import { installAwaitableAttrs } from "./awaitable-attrs.ts";
import { WriteOnlyCollection } from "./write-only-collection.ts";
import { syncBackPopulates, trackedList } from "./back-populates.ts";

type Stateful = { [STATE]: InstanceState };

/**
 * Defines one getter/setter pair per mapped attribute on the model's base prototype. A read is an
 * array load and a comparison; a write records the previous value once (change tracking at write
 * time, so a flush only visits changed objects).
 */
export function installAccessors(mapper: Mapper, prototype: object): void {
  for (const property of mapper.columns) {
    const slot = property.slot;
    const validate = validatorFor(property.column.type, () => `${mapper.className}.${property.key}`, property.column.nullable || property.column.primaryKey);
    Object.defineProperty(prototype, property.key, {
      configurable: true,
      enumerable: true,
      get(this: Stateful) {
        const state = this[STATE];
        const value = state.values[slot];
        return value !== UNLOADED ? value : state.mapper.readUnloaded(state, slot);
      },
      set(this: Stateful, value: unknown) {
        validate(value);
        this[STATE].set(slot, value);
      },
    });
  }
  for (const property of mapper.relationships) installRelationship(property, prototype);
  installAwaitableAttrs(mapper, prototype);
}

function installRelationship(property: RelationshipProperty, prototype: object): void {
  const slot = property.slot;
  const writeOnly = property.strategy === "write_only";
  Object.defineProperty(prototype, property.key, {
    configurable: true,
    enumerable: true,
    get(this: Stateful) {
      const state = this[STATE];
      if (writeOnly) return new WriteOnlyCollection(state, property);
      const value = state.values[slot];
      return value !== UNLOADED ? value : state.mapper.readUnloaded(state, slot);
    },
    set(this: Stateful, value: unknown) {
      const state = this[STATE];
      const previous = state.values[slot];
      const next = Array.isArray(value) ? trackedList(value, state, property) : value;
      state.set(slot, next);
      state.parkedCollections?.delete(slot);
      syncBackPopulates(property, state, previous, next);
    },
  });
}
