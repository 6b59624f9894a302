import { loaderStrategy } from "../loading/loader-strategy-table.ts";
import { installAwaitableAttrs } from "../mapper/awaitable-attrs.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { validatorFor } from "../mapper/value-validator.ts";
import { attributeListening, fireSet } from "../mapper/attribute-events.ts";
import { mappedState } from "../state/instance-state.ts";
import { slotGetter } from "../state/slot-getter.ts";

/**
 * Defines one getter/setter pair per mapped attribute on the model's base prototype. A read is a
 * property load (its slot's reader, slot-getter.ts) and a comparison; a write records the previous
 * value once (change tracking at write time, so a flush only visits changed objects). Each
 * relationship's accessor is its configured strategy's (SQLAlchemy's `init_class_attribute`). A
 * subclass's prototype gets the attributes `own` accepts (its parent's prototype has the others).
 */
export function installAccessors(mapper: Mapper, prototype: object, own: (key: string) => boolean = () => true): void {
  for (const property of mapper.columns) {
    if (!own(property.key)) continue;
    const slot = property.slot;
    const validate = validatorFor(property.column.type, () => `${mapper.className}.${property.key}`, property.column.nullable || property.column.primaryKey);
    Object.defineProperty(prototype, property.key, {
      configurable: true,
      enumerable: true,
      get: slotGetter(slot),
      set(this: object, value: unknown) {
        const state = mappedState(this);
        // One field read when no attribute anywhere is listened to.
        if (attributeListening.count > 0) value = fireSet(property, state, value, state.valueAt(slot));
        validate(value);
        state.set(slot, value);
      },
    });
  }
  for (const property of mapper.relationships) if (own(property.key)) loaderStrategy(property.strategy).initClassAttribute(property, prototype);
  installAwaitableAttrs(mapper, prototype);
}
