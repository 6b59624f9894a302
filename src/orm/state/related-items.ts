import { UNLOADED } from "./instance-state.ts";

/**
 * A relationship's value as a list: a collection as it is; a scalar (a many-to-one, or a
 * one-to-many with `uselist: false`) as zero or one item; nothing for an unloaded value.
 */
export function relatedItems(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : value === null || value === undefined || value === UNLOADED ? [] : [value];
}
