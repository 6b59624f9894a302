import type { Mapper } from "../mapper/mapper.ts";
import type { Cascade } from "../mapper/relationship-property.ts";
import { type InstanceState, STATE, UNLOADED } from "../state/instance-state.ts";

/**
 * The objects reachable from `state` through loaded relationships that carry `cascade`
 * (not loading anything: an unloaded relationship has nothing in memory to cascade to).
 */
export function* cascadeTargets(state: InstanceState, cascade: Cascade): Generator<InstanceState> {
  for (const property of (state.mapper as Mapper).relationships) {
    if (!property.cascade.has(cascade)) continue;
    const value = state.values[property.slot];
    const parked = state.parkedCollections?.get(property.slot);
    const items = value === UNLOADED ? (parked ?? []) : Array.isArray(value) ? value : value === null ? [] : [value];
    for (const item of items) {
      const target = (item as { [STATE]?: InstanceState } | null)?.[STATE];
      if (target !== undefined) yield target;
    }
  }
}
