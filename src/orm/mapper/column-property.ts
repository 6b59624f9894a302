import type { TableColumn } from "../../core/schema/column.ts";

/** A mapped column attribute: its key, its slot in instance state, and its table column. */
export class ColumnProperty {
  readonly kind = "column";
  readonly key: string;
  readonly slot: number;
  readonly column: TableColumn<unknown>;
  /** Left out of the entity's SELECT until read (`deferred` / `defer()`). */
  readonly deferred: boolean;

  constructor(key: string, slot: number, column: TableColumn<unknown>, deferred: boolean) {
    this.key = key;
    this.slot = slot;
    this.column = column;
    this.deferred = deferred;
    Object.freeze(this);
  }
}
