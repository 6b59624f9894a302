import type { TableColumn } from "../../core/schema/column.ts";
import type { ColumnElement } from "../../core/sql/column-element.ts";
import { and } from "../../core/sql/elements.ts";
import { ColumnRef } from "../../core/sql/from-clause.ts";
import type { FromNode, OrderingNode } from "../../core/sql/nodes.ts";
import type { Mapper } from "./mapper.ts";
import type { ColumnPair, RelationshipProperty } from "./relationship-property.ts";

/** `column` as owned by `owner` (a table or alias). */
export function columnOn<T>(owner: FromNode, column: TableColumn<T>): ColumnRef<T> {
  if (column.node.owner === owner) return column;
  return new ColumnRef(column.key, column.name, column.type, owner);
}

/**
 * A relationship's join condition, `remote = local AND …`, each side's column on its FROM item
 * (a table or an alias); without owners, on the columns' own tables.
 */
export function pairsCondition(pairs: readonly ColumnPair[], localOwner?: FromNode, remoteOwner?: FromNode): ColumnElement<boolean> {
  return and(
    ...pairs.map((p) =>
      (remoteOwner ? columnOn(remoteOwner, p.remote) : p.remote).eq((localOwner ? columnOn(localOwner, p.local) : p.local) as never),
    ),
  );
}

/** The relationship's `orderBy` as ordering nodes on the target's FROM item. */
export function relationshipOrdering(property: RelationshipProperty, owner: FromNode): OrderingNode[] {
  const target = property.join.target as Mapper;
  const ordering: OrderingNode[] = [];
  for (const key of property.spec.options.orderBy ?? []) {
    const descending = key.startsWith("-");
    const column = target.property(descending ? key.slice(1) : key);
    if (column?.kind !== "column") continue;
    const ref = columnOn(owner, column.column);
    ordering.push((descending ? ref.desc() : ref.asc()).node);
  }
  return ordering;
}
