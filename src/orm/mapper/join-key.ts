/**
 * A map key for a tuple of join values: the value itself for one column (no string built per
 * row, the common case), a string for composite keys. The loaders group child rows by it and look
 * parents up by it, so both sides must build it the same way.
 */
export function joinKey(values: readonly unknown[]): unknown {
  return values.length === 1 ? singleKey(values[0]) : compositeKey(values);
}

/** The key of a one-column join value (dates by their time, so equal instants meet). */
export function singleKey(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}

function compositeKey(values: readonly unknown[]): string {
  let key = "";
  for (const value of values) key += `\u0001${typeof value === "bigint" ? `${value}n` : value instanceof Date ? value.toISOString() : String(value)}`;
  return key;
}
