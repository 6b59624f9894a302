import type { TableColumn } from "../../core/schema/column.ts";
import { type ColumnElement, Label } from "../../core/sql/column-element.ts";

/**
 * A mapped SQL expression (SQLAlchemy's `column_property`): loaded with its entity into its own
 * slot like a column, never written. Loading sees it as a column whose `column` is the expression
 * labelled with the key; `attribute` is the class-level expression loader options name.
 */
export class ExpressionProperty {
  readonly kind = "column";
  readonly expression = true;
  readonly key: string;
  readonly slot: number;
  readonly deferred: boolean;
  /** The class-level attribute (`Author.postCount`), as `undefer()` names it. */
  readonly attribute: ColumnElement<unknown>;
  #label: Label<unknown> | undefined;

  constructor(key: string, slot: number, attribute: ColumnElement<unknown>, deferred: boolean) {
    this.key = key;
    this.slot = slot;
    this.attribute = attribute;
    this.deferred = deferred;
  }

  /** `(expression) AS "key"`, built at first use (the expression may name models defined later). */
  get column(): TableColumn<unknown> {
    this.#label ??= new Label(this.key, this.attribute);
    return this.#label as unknown as TableColumn<unknown>;
  }
}

/** Whether a loaded column is a mapped expression (it has no place in an alias's columns). */
export function isExpressionProperty(property: { readonly kind: "column" }): property is ExpressionProperty {
  return property instanceof ExpressionProperty;
}
