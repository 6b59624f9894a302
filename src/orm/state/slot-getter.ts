import { UNLOADED, mappedState } from "./instance-state.ts";
import { slotReader } from "./slot-storage.ts";

/**
 * The getter of a column-like attribute (a column, a column property) in `slot`: the slot's value
 * read straight off the instance by the slot's own reader; only an unloaded slot goes through the
 * state (a default for a new object, a load, or the error that names the fix).
 */
export function slotGetter(slot: number): (this: object) => unknown {
  const read = slotReader(slot);
  return function (this: object) {
    const value = read(this);
    if (value !== UNLOADED) return value;
    const state = mappedState(this);
    return state.mapper.readUnloaded(state, slot);
  };
}
