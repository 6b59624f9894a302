import { and, or } from "../../core/sql/elements.ts";
import type { ColumnElement } from "../../core/sql/column-element.ts";
import type { Expression } from "../../core/sql/coercions.ts";

export { localValues, slotOf } from "../mapper/lazy-read.ts";
export { columnOn, relationshipOrdering } from "../mapper/join-columns.ts";
export { joinKey, singleKey } from "../mapper/join-key.ts";

/** `(a, b) IN ((1, 2), …)` for composite keys, written as OR of ANDs; plain `IN` for one column. */
export function keysIn(columns: readonly ColumnElement<unknown>[], keys: readonly (readonly unknown[])[]): Expression<boolean> {
  if (columns.length === 1) return (columns[0] as ColumnElement<unknown>).in(keys.map((k) => k[0]) as never);
  return or(...keys.map((k) => and(...columns.map((c, i) => c.eq(k[i] as never)))));
}


/** Sorts key tuples as SQLAlchemy's selectin loader does (stable statements for the same keys). */
export function compareKeys(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as never;
    const y = b[i] as never;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}
