import { STATE, type InstanceState, UNLOADED } from "./instance-state.ts";
import { slotReader } from "./slot-storage.ts";

type Stateful = { [STATE]: InstanceState };

/**
 * The getter of a column-like attribute (a column, a column property) in `slot`: the slot's value
 * read straight off the instance by the slot's own reader; only an unloaded slot goes through the
 * state (a default for a new object, a load, or the error that names the fix).
 */
export function slotGetter(slot: number): (this: Stateful) => unknown {
  const read = slotReader(slot);
  return function (this: Stateful) {
    const value = read(this);
    if (value !== UNLOADED) return value;
    const state = this[STATE];
    return state.mapper.readUnloaded(state, slot);
  };
}
