/**
 * The names the generator gives: classes from table names, attribute keys from column names,
 * each made unique within its scope. Pure and deterministic (sqlacodegen's naming, in
 * TypeScript's case: `post_tags` → class `PostTag`, column `org_id` → attribute `orgId`).
 */

/** `post_tags` → `["post", "tags"]`; `OrderItems` → `["order", "items"]`. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

const capitalize = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

/** A plain English singular, good enough for table names: `categories` → `category`, `orgs` → `org`. */
export function singular(word: string): string {
  if (/ies$/.test(word) && word.length > 4) return `${word.slice(0, -3)}y`;
  if (/(ss|sh|ch|x)es$/.test(word)) return word.slice(0, -2);
  if (/(ss|us|is)$/.test(word) || !word.endsWith("s") || word.length <= 2) return word;
  return word.slice(0, -1);
}

/** `org_id` → `orgId`, `Created At` → `createdAt`; a leading digit gets an underscore. */
export function camelCase(name: string): string {
  const parts = words(name);
  const text = parts.map((w, i) => (i === 0 ? w : capitalize(w))).join("");
  if (text === "") return "_";
  return /^[0-9]/.test(text) ? `_${text}` : text;
}

/** `orgs` → `Org`, `post_tags` → `PostTag` (the last word made singular). */
export function className(table: string): string {
  const parts = words(table);
  if (parts.length === 0) return "Model";
  parts[parts.length - 1] = singular(parts[parts.length - 1]!);
  const text = parts.map(capitalize).join("");
  return /^[0-9]/.test(text) ? `T${text}` : text;
}

/** `wanted`, or `wanted2`, `wanted3` … when taken (tables `user` and `users` give `User` and `User2`); records the name taken. */
export function uniqueName(wanted: string, taken: Set<string>): string {
  let name = wanted;
  for (let i = 2; taken.has(name); i++) name = `${wanted}${i}`;
  taken.add(name);
  return name;
}

/** Names the generated module declares or imports, which a class may not take. */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  "Base", "Table", "Column", "ForeignKey", "ForeignKeyConstraint", "Index", "UniqueConstraint",
  "CheckConstraint", "Computed", "Identity",
  "declarativeBase", "mappedColumn", "relationship", "literalColumn",
  "Integer", "BigInteger", "SmallInteger", "Text", "BooleanType", "Float", "DateType", "Time", "Interval",
  "Uuid", "LargeBinary", "Json", "NullType", "StringType", "Numeric", "DateTime", "Enum", "ARRAY",
  "Object", "Array", "String", "Number", "Boolean", "Date", "Map", "Set", "Promise", "Error",
]);

/** A property key as written in an object literal: bare when it is an identifier, quoted otherwise. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}
