import { Alias, type ColumnCollection, FromClause } from "./from-clause.ts";
import type { TableNode } from "./nodes.ts";

let anonCount = 0;

/**
 * `table AS name`: the same table under another name, for self-joins and repeated joins.
 *
 * ```ts
 * const manager = alias(employees, "manager");
 * select(employees.c.name, manager.c.name.label("managerName"))
 *   .join(manager, employees.c.managerId.eq(manager.c.id));
 * // SELECT employees.name, manager.name AS "managerName" FROM employees JOIN employees AS manager ON …
 * ```
 */
export function alias<C extends ColumnCollection>(table: FromClause<C> & { readonly node: TableNode }, name?: string): Alias<C> {
  const aliasName = name ?? `${table.node.name}_${++anonCount}`;
  return new Alias(table, Object.freeze({ kind: "alias", element: table.node, name: aliasName }));
}

/** SQLAlchemy's `aliased()` spelling of `alias()` for tables. */
export const aliased = alias;
