import type { TableColumn } from "../../core/schema/column.ts";
import type { ColumnElement } from "../../core/sql/column-element.ts";
import { and, or } from "../../core/sql/elements.ts";
import type { CompositeSpec } from "../mapping/composite.ts";

/**
 * A composite as the model class offers it: comparisons over all its columns at once, and the
 * columns themselves (`orderBy(...Vertex.start.columns)`).
 */
export class CompositeAttribute<T> {
  readonly kind = "composite-attribute";
  readonly key: string;
  /** The columns, in the order the value's constructor takes them. */
  readonly columns: readonly ColumnElement<unknown>[];
  readonly #spec: CompositeSpec<T>;

  constructor(key: string, spec: CompositeSpec<T>, columns: readonly TableColumn<unknown>[]) {
    this.key = key;
    this.#spec = spec;
    this.columns = Object.freeze([...columns]);
    Object.freeze(this);
  }

  /** Every column equals the value's: `x1 = ? AND y1 = ?`; with `null`, every column `IS NULL`. */
  eq(value: T | null): ColumnElement<boolean> {
    const values = this.#valuesOf(value);
    return and(...this.columns.map((c, i) => c.eq(values[i] as never)));
  }

  /** Some column differs from the value's: `x1 <> ? OR y1 <> ?`. */
  ne(value: T | null): ColumnElement<boolean> {
    const values = this.#valuesOf(value);
    return or(...this.columns.map((c, i) => c.ne(values[i] as never)));
  }

  #valuesOf(value: T | null): readonly unknown[] {
    return value === null ? this.columns.map(() => null) : this.#spec.values(value);
  }
}
