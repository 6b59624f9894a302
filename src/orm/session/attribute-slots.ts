/**
 * Attribute names to the slots of an object's values, as `expire()` and `refresh()` take them.
 * Apart from SessionBase because both it (expire) and refresh-object.ts (refresh) need it.
 */

import { InvalidRequestError } from "../../shared/errors.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { InstanceState } from "../state/instance-state.ts";

/** The slots of the named attributes of `state` (for `expire()` and `refresh()`); an unknown name is refused. */
export function attributeSlots(state: InstanceState, names: readonly string[]): number[] {
  const mapper = state.mapper as Mapper;
  return names.map((name) => {
    const property = mapper.property(name);
    if (!property) throw new InvalidRequestError(`${mapper.className} has no attribute '${name}'`);
    return property.slot;
  });
}
