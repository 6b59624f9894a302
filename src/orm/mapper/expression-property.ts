import type { TableColumn } from "../../core/schema/column.ts";
import { ColumnElement, Label } from "../../core/sql/column-element.ts";
import type { FromNode, Node } from "../../core/sql/nodes.ts";
import type { ColumnProperty } from "./column-property.ts";
import { columnOn } from "./join-columns.ts";
import { replaceOwnerDeep } from "./replace-owner.ts";

/**
 * A mapped SQL expression (SQLAlchemy's `column_property`): loaded with its entity into its own
 * slot like a column, never written. Loading sees it as a column whose `column` is the expression
 * labelled with the key; `attribute` is the class-level expression loader options name.
 */
export class ExpressionProperty {
  readonly kind = "column";
  readonly key: string;
  readonly slot: number;
  readonly deferred: boolean;
  /** The class-level attribute (`Author.postCount`), as `undefer()` names it. */
  readonly attribute: ColumnElement<unknown>;
  /** The model's table, which the expression is written against. */
  readonly table: FromNode;
  #label: Label<unknown> | undefined;

  constructor(key: string, slot: number, attribute: ColumnElement<unknown>, deferred: boolean, table: FromNode) {
    this.key = key;
    this.slot = slot;
    this.attribute = attribute;
    this.deferred = deferred;
    this.table = table;
  }

  /** `(expression) AS "key"`, built at first use (the expression may name models defined later). */
  get column(): TableColumn<unknown> {
    this.#label ??= new Label(this.key, this.attribute);
    return this.#label as unknown as TableColumn<unknown>;
  }

  /** The labelled expression over `owner`, an alias of the table (into its subqueries: they correlate to the alias). */
  columnOn(owner: FromNode): Label<unknown> {
    if (owner === this.table) return this.column as unknown as Label<unknown>;
    return new Label(this.key, new ColumnElement(replaceOwnerDeep(this.attribute.node, this.table, owner), this.attribute.type));
  }
}

/** Whether a loaded column is a mapped expression. */
export function isExpressionProperty(property: { readonly kind: "column" }): property is ExpressionProperty {
  return property instanceof ExpressionProperty;
}

/** The node that selects a loaded column (or mapped expression) from `owner`, its table or an alias of it. */
export function loadedColumnOn(owner: FromNode, property: ColumnProperty): Node {
  return (isExpressionProperty(property) ? property.columnOn(owner) : columnOn(owner, property.column)).node;
}
