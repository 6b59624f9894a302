import { ArgumentError } from "../../shared/errors.ts";
import type { Expression } from "../sql/coercions.ts";
import type { TableConstraint } from "./constraints.ts";

/**
 * How unnamed constraints and indexes of a `MetaData` are named (SQLAlchemy's
 * `MetaData(naming_convention=…)`): per kind, a template of `%(token)s` placeholders.
 *
 * Tokens: `table_name`, `constraint_name` (the constraint's own name: the template then applies to
 * named constraints too, and an unnamed one is an error), `referred_table_name`, and per column
 * `column_0_name` / `column_0_key` / `column_0_label` (`<schema_><table>_<column>`) — any index,
 * not only 0 — with `column_0N_name` (all columns, joined) and `column_0_N_name` (joined by `_`),
 * and `referred_column_0_name` (with the same `0N` / `0_N` forms) for foreign keys.
 *
 * ```ts
 * const metadata = new MetaData({
 *   namingConvention: {
 *     ix: "ix_%(column_0_label)s",
 *     uq: "uq_%(table_name)s_%(column_0_N_name)s",
 *     ck: "ck_%(table_name)s_%(constraint_name)s",
 *     fk: "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
 *     pk: "pk_%(table_name)s",
 *   },
 * });
 * ```
 */
export interface NamingConvention {
  /** Indexes. */
  readonly ix?: string;
  /** Unique constraints. */
  readonly uq?: string;
  /** Check constraints. */
  readonly ck?: string;
  /** Foreign keys. */
  readonly fk?: string;
  /** Primary keys. */
  readonly pk?: string;
  /** Extra tokens, computed per constraint (SQLAlchemy's callables in the convention dict). */
  readonly tokens?: Readonly<Record<string, (constraint: TableConstraint, table: NamingTable) => string>>;
}

/** SQLAlchemy's `DEFAULT_NAMING_CONVENTION`: only indexes; other unnamed constraints are named by the database. */
export const DEFAULT_NAMING_CONVENTION: NamingConvention = Object.freeze({ ix: "ix_%(column_0_label)s" });

/** What a convention reads from the table: its names and its columns' names. */
export interface NamingTable {
  readonly name: string;
  readonly schema: string | undefined;
  /** A column's key and database name, by key (or by name, for columns found in expressions). */
  column(keyOrName: string): { readonly key: string; readonly name: string } | undefined;
}

/** PostgreSQL's identifier limit (MySQL's is 64): generated names longer than this get a hash suffix. */
const MAX_NAME_LENGTH = 63;

const CONVENTION_KEY = { index: "ix", unique: "uq", check: "ck", "foreign-key": "fk", "primary-key": "pk" } as const;

/**
 * The name a table gives a constraint under a convention: the constraint's own name when it has
 * one and the template does not use `%(constraint_name)s`; the template filled in otherwise;
 * `undefined` when no template applies (the database names it).
 */
export function conventionName(convention: NamingConvention, constraint: TableConstraint, table: NamingTable): string | undefined {
  const template = convention[CONVENTION_KEY[constraint.kind]];
  if (template === undefined) return constraint.name;
  if (constraint.name !== undefined && !template.includes("%(constraint_name)s")) return constraint.name;
  const columns = constrainedColumns(constraint, table);
  const filled = template.replace(/%(%|\((\w+)\)s)/g, (_match, _all: string, token: string | undefined) =>
    token === undefined ? "%" : tokenValue(token, convention, constraint, table, columns),
  );
  return shortenName(filled);
}

function tokenValue(
  token: string,
  convention: NamingConvention,
  constraint: TableConstraint,
  table: NamingTable,
  columns: readonly { readonly key: string; readonly name: string }[],
): string {
  const custom = convention.tokens?.[token];
  if (custom !== undefined) return custom(constraint, table);
  switch (token) {
    case "table_name":
      return table.name;
    case "constraint_name":
      if (constraint.name === undefined) {
        throw new ArgumentError(
          `Naming convention including %(constraint_name)s requires that the ${constraint.kind} constraint on ${table.name} is explicitly named`,
        );
      }
      return constraint.name;
    case "referred_table_name":
      return constraint.kind === "foreign-key" ? lastPart(constraint.targetTable) : unknownToken(token, constraint, table);
  }
  const match = /^(referred_)?column_(\d+)(_?N)?_(name|key|label)$/.exec(token);
  if (match === null) return unknownToken(token, constraint, table);
  const [, referred, index, multiple, attribute] = match as unknown as [string, string | undefined, string, string | undefined, "name" | "key" | "label"];
  if (referred !== undefined && attribute !== "name") return unknownToken(token, constraint, table);
  const values = referred === undefined ? columns.map((c) => columnAttribute(c, attribute, table)) : referredColumns(token, constraint, table);
  if (multiple !== undefined) return values.join(multiple.startsWith("_") ? "_" : "");
  return values[Number(index)] ?? "";
}

function columnAttribute(column: { readonly key: string; readonly name: string }, attribute: "name" | "key" | "label", table: NamingTable): string {
  if (attribute === "key") return column.key;
  if (attribute === "name") return column.name;
  const prefix = table.schema === undefined ? "" : `${table.schema.replace(/\./g, "_")}_`;
  return `${prefix}${table.name}_${column.name}`;
}

function referredColumns(token: string, constraint: TableConstraint, table: NamingTable): string[] {
  if (constraint.kind !== "foreign-key") return [unknownToken(token, constraint, table)];
  return constraint.targets.map(lastPart);
}

/** The columns a constraint covers, in order; for an index, also those its expressions read. */
function constrainedColumns(constraint: TableConstraint, table: NamingTable): { readonly key: string; readonly name: string }[] {
  if (constraint.kind === "check") return columnsIn(constraint.condition, table);
  const keys = constraint.kind === "index" ? constraint.elements : constraint.columns;
  return keys.flatMap((element) => {
    if (typeof element !== "string") return columnsIn(element, table);
    const column = table.column(element);
    return column === undefined ? [] : [column];
  });
}

/** The table's columns an expression refers to, in order of appearance, each once. */
function columnsIn(expression: Expression, table: NamingTable): { readonly key: string; readonly name: string }[] {
  const found: { readonly key: string; readonly name: string }[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (value === null || typeof value !== "object") return;
    const node = value as { kind?: unknown; name?: unknown };
    if (node.kind === "column" && typeof node.name === "string") {
      const column = table.column(node.name);
      if (column !== undefined && !found.includes(column)) found.push(column);
      return;
    }
    if (typeof node.kind !== "string") return;
    for (const child of Object.values(node)) if (typeof child === "object") visit(child);
  };
  visit(expression.node);
  return found;
}

function lastPart(dotted: string): string {
  return dotted.slice(dotted.lastIndexOf(".") + 1);
}

function unknownToken(token: string, constraint: TableConstraint, table: NamingTable): never {
  throw new ArgumentError(`Naming convention token %(${token})s does not apply to the ${constraint.kind} constraint on ${table.name}`);
}

/** Keeps generated names within the identifier limit, deterministically (FNV-1a hash suffix). */
export function shortenName(name: string): string {
  if (name.length <= MAX_NAME_LENGTH) return name;
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${name.slice(0, MAX_NAME_LENGTH - 9)}_${hash.toString(16).padStart(8, "0")}`;
}
