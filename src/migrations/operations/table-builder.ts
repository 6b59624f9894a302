import { Column, ColumnSpec } from "../../core/schema/column.ts";
import type { TableConstraint } from "../../core/schema/constraints.ts";
import { MetaData } from "../../core/schema/metadata.ts";
import { Table, type ColumnSpecs } from "../../core/schema/table.ts";
import { NullType } from "../../core/types/type-constructors.ts";

/**
 * A `Table` for the DDL compiler to render, in a `MetaData` of its own: the tables its foreign
 * keys refer to are added as stubs holding only the referenced columns (a foreign key clause
 * needs their names, nothing else), so an op never needs the whole schema.
 */
export function buildTable(
  name: string,
  schema: string | undefined,
  columns: ColumnSpecs,
  constraints: readonly TableConstraint[] = [],
): Table {
  const metadata = new MetaData();
  const own = schema === undefined ? name : `${schema}.${name}`;
  const referenced = new Map<string, Set<string>>();
  const targets = [
    ...Object.values(columns).flatMap((spec) => spec.foreignKeys.map((fk) => fk.target)),
    ...constraints.flatMap((c) => (c.kind === "foreign-key" ? c.targets : [])),
  ];
  for (const target of targets) {
    const table = target.slice(0, target.lastIndexOf("."));
    if (table === own) continue;
    const set = referenced.get(table) ?? new Set<string>();
    set.add(target.slice(target.lastIndexOf(".") + 1));
    referenced.set(table, set);
  }
  for (const [fullName, names] of referenced) {
    const dot = fullName.lastIndexOf(".");
    const stubColumns = Object.fromEntries([...names].map((n) => [n, Column(NullType)]));
    if (dot < 0) new Table(fullName, metadata, stubColumns);
    else new Table(fullName.slice(dot + 1), metadata, stubColumns, { schema: fullName.slice(0, dot) });
  }
  return new Table(name, metadata, columns, ...constraints, ...(schema === undefined ? [] : [{ schema }]));
}

/** The same column declaration without its foreign keys, uniqueness or index (rendered apart). */
export function bareColumnSpec(spec: ColumnSpec<unknown>, overrides: Partial<ColumnSpec<unknown>["options"]> = {}): ColumnSpec<unknown> {
  const { unique: _u, index: _i, ...options } = spec.options;
  return new ColumnSpec(spec.type, { ...options, ...overrides }, []);
}
