import type { Expression } from "./coercions.ts";
import type { ColumnRef } from "./from-clause.ts";
import type { TableNode } from "./nodes.ts";

/** What INSERT/UPDATE need to know of a column beyond its name and type (a `TableColumn` has it). */
export interface DmlColumn<T = unknown, K extends string = string> extends ColumnRef<T, K> {
  readonly hasClientDefault: boolean;
  defaultValue(): unknown;
  readonly onupdate: unknown;
}

/** The target of INSERT / UPDATE / DELETE, typed structurally so `sql/` needs nothing from `schema/`. */
export interface DmlTable<C extends { readonly [key: string]: DmlColumn<unknown, string> } = { readonly [key: string]: DmlColumn<unknown, string> }> {
  readonly node: TableNode;
  readonly c: C;
  readonly name: string;
}

/** The values a row may give, by column key: a value of the column's type, or an expression. */
export type ValuesOf<C> = {
  readonly [K in keyof C]?: C[K] extends Expression<infer T> ? T | Expression<T> : never;
};
