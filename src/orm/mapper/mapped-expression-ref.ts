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
