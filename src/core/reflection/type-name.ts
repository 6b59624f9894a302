/** A database type's spelling taken apart: `numeric(10,2)` → `{ base: "numeric", args: [10, 2] }`. */
export interface TypeName {
  /** Lower case, single spaces, without the parenthesised arguments. */
  readonly base: string;
  /** The numeric arguments (length, precision and scale), in order. */
  readonly args: readonly number[];
}

/**
 * Splits a type as the catalogs write it. The arguments may sit mid-name
 * (`timestamp(3) without time zone`), so they are cut out wherever they are.
 */
export function parseTypeName(text: string): TypeName {
  const match = /\(([^)]*)\)/.exec(text);
  const base = (match ? text.slice(0, match.index) + text.slice(match.index + match[0].length) : text)
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase();
  const args = match
    ? match[1]!
        .split(",")
        .map((part) => Number(part.trim()))
        .filter((n) => Number.isFinite(n))
    : [];
  return { base, args };
}

/** `'a','b''c'` (MySQL's ENUM argument list) → `["a", "b'c"]`. */
export function parseQuotedList(text: string): string[] {
  const values: string[] = [];
  const pattern = /'((?:[^'\\]|''|\\.)*)'/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    values.push(match[1]!.replace(/''/g, "'").replace(/\\(.)/g, "$1"));
  }
  return values;
}
