import type { Node, SelectNode } from "../../core/sql/nodes.ts";
import type { ResultElement } from "./entity-select.ts";

/** One element of an ORM row, for its key: an entity by the name it goes by, or the column at `column`. */
export type KeyedElement = { readonly entity: string } | { readonly column: number };

/** The keys of an ORM select's row elements (`EntitySelect.resultKeys`); see `rowKeysOf`. */
export function ormResultKeys(layout: readonly ResultElement[], node: SelectNode): string[] {
  const elements = layout.map((e): KeyedElement => (e.kind === "entity" ? { entity: e.name ?? e.mapper.className } : { column: e.offset }));
  return rowKeysOf(elements, node.columns, node.columnKeys);
}

/**
 * The keys of ORM row elements, by SQLAlchemy 2.0's rules (orm/context.py, the entities'
 * `_label_name`, and `SelectState._column_naming_convention` for columns):
 *
 * - an entity by its class name (`select(User)` → `row.User`), an aliased one by its alias name;
 * - a column by its key or label (`User.name` → `name`, `User.name.label("n")` → `n`), an
 *   anonymous expression `_no_label`;
 * - a column key seen before gets `_1`, `_2`… (`select(User.name, Organization.name)` →
 *   `name`, `name_1`). Entity keys are not deduplicated: `select(User, User)` has two `User`.
 *
 * `columns` and `columnKeys` are the statement's column list and the keys its builder recorded.
 */
export function rowKeysOf(elements: readonly KeyedElement[], columns: readonly Node[], columnKeys: readonly (string | undefined)[]): string[] {
  const used = new Set<string>();
  const counters = new Map<string, number>();
  return elements.map((element) => {
    if ("entity" in element) return element.entity;
    const base = columnKey(columns[element.column], columnKeys[element.column]);
    if (!used.has(base)) {
      used.add(base);
      return base;
    }
    // SQLAlchemy's anonymous key label: a counter per name, from 1.
    let n = counters.get(base) ?? 1;
    while (used.has(`${base}_${n}`)) n++;
    counters.set(base, n + 1);
    const key = `${base}_${n}`;
    used.add(key);
    return key;
  });
}

function columnKey(column: Node | undefined, key: string | undefined): string {
  if (key !== undefined) return key;
  if (column?.kind === "raw-column" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(column.sql)) return column.sql;
  return "_no_label";
}
