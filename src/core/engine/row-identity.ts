/**
 * A row's identity for `unique()`: a one-element tuple by its element, other tuple rows by their
 * elements' identities, object rows by their values (entities by identity, plain values by value).
 */
export function rowIdentity(row: unknown): unknown {
  if (Array.isArray(row)) {
    if (row.length === 1) return row[0];
    return row.map((value) => valueKey(value)).join("\u0000");
  }
  if (typeof row === "object" && row !== null) return Object.values(row).map((value) => valueKey(value)).join("\u0000");
  return row;
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

function valueKey(value: unknown): string {
  if (typeof value === "object" && value !== null && !(value instanceof Date)) {
    let id = objectIds.get(value);
    if (id === undefined) objectIds.set(value, (id = ++nextObjectId));
    return `#${id}`;
  }
  if (typeof value === "bigint") return `${value}n`;
  if (value instanceof Date) return `d${value.getTime()}`;
  return `${typeof value}:${String(value)}`;
}
