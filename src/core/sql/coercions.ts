import { ArgumentError } from "../../shared/errors.ts";
import type { SqlType } from "../types/sql-type.ts";
import { NullType } from "../types/type-constructors.ts";
import { inferType } from "./infer-type.ts";
import type { BindNode, CompoundSelectNode, Node, SelectNode } from "./nodes.ts";

/**
 * Turning user arguments into nodes, in one place (SQLAlchemy's `coercions`). Expressions are
 * recognised by a brand rather than `instanceof` so this module needs no class imports.
 */
export const EXPRESSION: unique symbol = Symbol.for("tsalchemy.expression");

/** Anything that renders as a SQL expression: a column, a function call, a label … */
export interface Expression<T = unknown> {
  readonly [EXPRESSION]: true;
  readonly node: Node;
  readonly type: SqlType<T>;
  /** Phantom: the TypeScript type of the expression's values. */
  readonly __ts: T;
}

/** A select (or compound select) usable as a subquery operand: `x.in(select(...))`, `exists(...)`. */
export interface QuerySource {
  readonly queryNode: SelectNode | CompoundSelectNode;
}

/** A value of `T` (bound as a parameter) or an expression yielding `T`. */
export type Coercible<T> = T | Expression<T | null>;

export function isExpression(value: unknown): value is Expression {
  return typeof value === "object" && value !== null && (value as Partial<Expression>)[EXPRESSION] === true;
}

export function isQuerySource(value: unknown): value is QuerySource {
  return typeof value === "object" && value !== null && "queryNode" in value;
}

/**
 * A value the statement builders bind as it is. A SQL expression or a select given as a value
 * renders as SQL instead, and `undefined` leaves the column out: statements holding those are
 * built the ordinary way, never filled into a compiled one.
 */
export function isPlainValue(value: unknown): boolean {
  if (value === undefined) return false;
  return typeof value !== "object" || value === null || (!isExpression(value) && !isQuerySource(value));
}

export function bindNode(value: unknown, type: SqlType<unknown>, key?: string): BindNode {
  return Object.freeze({ kind: "bind", value, type, key });
}

/**
 * A value or expression as a node. Plain values become bound parameters typed like the other
 * side of the comparison; a select becomes a scalar subquery; `null` becomes `NULL`.
 */
export function coerceToNode(value: unknown, type: SqlType<unknown>): Node {
  if (isExpression(value)) return value.node;
  if (value === null) return { kind: "null" };
  if (isQuerySource(value)) return { kind: "scalar-subquery", query: value.queryNode };
  if (value === undefined) throw new ArgumentError("undefined is not a SQL value; use null for NULL");
  return bindNode(value, type.kind === "null" ? inferType(value) : type);
}

/** A boolean SQL clause (WHERE, ON, HAVING). A plain string is refused: SQL text must be `text()`. */
export function coerceToClause(value: unknown, where: string): Node {
  if (isExpression(value)) return value.node;
  if (typeof value === "string") {
    throw new ArgumentError(
      `${where} got the string ${JSON.stringify(value.slice(0, 60))}; SQL text must be wrapped in text() ` +
        `(and values passed as bound parameters), e.g. text("id = :id").bindparams({ id })`,
    );
  }
  if (typeof value === "boolean") return { kind: "boolean", value };
  throw new ArgumentError(`${where} expects a SQL expression, got ${describe(value)}`);
}

/** A column-like expression in a SELECT list, ORDER BY or GROUP BY. Strings are refused. */
export function coerceToExpression(value: unknown, where: string): Node {
  if (isExpression(value)) return value.node;
  if (typeof value === "string") {
    throw new ArgumentError(
      `${where} got the string ${JSON.stringify(value.slice(0, 60))}; use a column (users.c.name), ` +
        `literalColumn() for a SQL fragment, or text()`,
    );
  }
  throw new ArgumentError(`${where} expects a SQL expression, got ${describe(value)}`);
}

export function queryNodeOf(value: unknown): SelectNode | CompoundSelectNode | undefined {
  return isQuerySource(value) ? value.queryNode : undefined;
}

export function typeOfValue(value: unknown): SqlType<unknown> {
  return isExpression(value) ? value.type : NullType;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}

/** A value for a column in INSERT/UPDATE: like `coerceToNode`, but `null` is bound too, keeping the statement's shape. */
export function coerceToValue(value: unknown, type: SqlType<unknown>): Node {
  return value === null ? bindNode(null, type) : coerceToNode(value, type);
}
