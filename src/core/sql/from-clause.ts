import type { SqlType } from "../types/sql-type.ts";
import { ColumnElement } from "./column-element.ts";
import type { ColumnNode, FromNode } from "./nodes.ts";

/**
 * A column as it belongs to a FROM item (table, alias, subquery, CTE). `K` is its key: the name a
 * row uses for it and the property it has in the owner's `.c` collection.
 */
export class ColumnRef<T, K extends string = string> extends ColumnElement<T> {
  /** The key in `.c` and in result rows. */
  readonly key: K;
  /** The column's name in SQL (differs from `key` when a column is declared with `name`). */
  readonly name: string;
  declare readonly node: ColumnNode;

  constructor(key: K, name: string, type: SqlType<T>, owner: FromNode | undefined) {
    super(Object.freeze({ kind: "column", owner, name, type: type as SqlType<unknown> }), type);
    this.key = key;
    this.name = name;
  }

  override get rowKey(): K {
    return this.key;
  }
}

/** The `.c` collection of a FROM item: its columns by key. */
export type ColumnCollection = { readonly [key: string]: ColumnRef<unknown, string> };

/** Re-keys a collection's columns onto a new owner (an alias or a subquery of the same columns). */
export type Reowned<C extends ColumnCollection> = {
  readonly [K in keyof C]: C[K] extends ColumnRef<infer T, infer Key> ? ColumnRef<T, Key> : never;
};

/** Anything that can stand in a FROM clause and offers its columns as `.c`. */
export abstract class FromClause<C extends ColumnCollection = ColumnCollection> {
  abstract readonly node: FromNode;
  abstract readonly c: C;

  /** The columns in declaration order. */
  get columnList(): readonly ColumnRef<unknown, string>[] {
    return Object.values(this.c);
  }
}

/** `source AS name`: the same columns, owned by the alias. Created by `alias(table, "u")`. */
export class Alias<C extends ColumnCollection = ColumnCollection> extends FromClause<Reowned<C>> {
  readonly node: FromNode;
  readonly c: Reowned<C>;
  readonly original: FromClause<C>;

  constructor(original: FromClause<C>, node: FromNode) {
    super();
    this.original = original;
    this.node = node;
    this.c = reownColumns(original.c, node) as Reowned<C>;
    Object.freeze(this);
  }
}

export function reownColumns(columns: ColumnCollection, owner: FromNode): ColumnCollection {
  const out: Record<string, ColumnRef<unknown, string>> = {};
  for (const [key, column] of Object.entries(columns)) {
    out[key] = new ColumnRef(column.key, column.name, column.type, owner);
  }
  return Object.freeze(out);
}
