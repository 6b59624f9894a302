import type { Table } from "../../core/schema/table.ts";
import type { Node } from "../../core/sql/nodes.ts";

/** Brands a class-level mapped expression (type only). */
export declare const MAPPED_EXPRESSION: unique symbol;

/**
 * A mapped SQL expression as loader options take it (`undefer(Author.bestScore)`): the class-level
 * side of a `columnProperty()`. It names no column key, so options that take it mark no path.
 */
export interface MappedExpressionRef {
  readonly [MAPPED_EXPRESSION]: true;
  readonly node: Node;
}

/** The table a class-level mapped expression belongs to, read by `select()` (run-time key). */
export const EXPRESSION_PARENT = Symbol.for("tsalchemy.expressionParent");

/**
 * The table of the model whose mapped expression `value` is, if it is one: selected without the
 * entity (`select(Author.postCount)`), the expression still needs that table in the FROM list to
 * correlate to, as SQLAlchemy adds it.
 */
export function expressionParentOf(value: unknown): Table | undefined {
  return typeof value === "object" && value !== null ? ((value as { [EXPRESSION_PARENT]?: Table })[EXPRESSION_PARENT] ?? undefined) : undefined;
}
