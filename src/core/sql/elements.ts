import { ArgumentError } from "../../shared/errors.ts";
import { SqlType } from "../types/sql-type.ts";
import { BooleanType, NullType } from "../types/type-constructors.ts";
import { type ArrayScalar, ColumnElement, booleanElement } from "./column-element.ts";
import { type Coercible, type Expression, type QuerySource, bindNode, coerceToClause, coerceToNode, typeOfValue } from "./coercions.ts";
import { inferType } from "./infer-type.ts";
import type { Node } from "./nodes.ts";

/** `a AND b AND …`; with no clauses it is an error (SQLAlchemy deprecates the empty form). */
export function and(...clauses: readonly Expression<boolean>[]): ColumnElement<boolean> {
  return booleanList("AND", clauses);
}

/** `a OR b OR …`. */
export function or(...clauses: readonly Expression<boolean>[]): ColumnElement<boolean> {
  return booleanList("OR", clauses);
}

/**
 * Where a clause keeps its own negation, when that is not `NOT (clause)`: the negation of a
 * many-to-many `contains()` (an implicit join) is `NOT EXISTS (…)`, as SQLAlchemy's `negation_clause`.
 */
export const NEGATION: unique symbol = Symbol.for("tsalchemy.negation");

/** `clause`, negated by `not()` as `negation`. */
export function withNegation(clause: ColumnElement<boolean>, negation: ColumnElement<boolean>): ColumnElement<boolean> {
  Object.defineProperty(clause, NEGATION, { value: negation });
  return clause;
}

/** `NOT clause` (or the clause's own negation, see `withNegation`). */
export function not(clause: Expression<boolean>): ColumnElement<boolean> {
  const own = (clause as { readonly [NEGATION]?: ColumnElement<boolean> })[NEGATION];
  if (own !== undefined) return own;
  return booleanElement({ kind: "unary", operator: "NOT", operand: coerceToClause(clause, "not()") });
}

function booleanList(operator: "AND" | "OR", clauses: readonly Expression<boolean>[]): ColumnElement<boolean> {
  if (clauses.length === 0) throw new ArgumentError(`${operator.toLowerCase()}() needs at least one clause`);
  const nodes = clauses.map((c) => coerceToClause(c, `${operator.toLowerCase()}()`));
  if (nodes.length === 1) return booleanElement(nodes[0] as Node);
  return booleanElement({ kind: "clause-list", operator, clauses: nodes });
}

/** A value as a bound parameter: `literal(5)` renders `?` with 5 bound. */
export function literal<T>(value: T, type?: SqlType<T>): ColumnElement<T> {
  const t = (type ?? inferType(value)) as SqlType<T>;
  return new ColumnElement<T>(bindNode(value, t as SqlType<unknown>), t);
}

/**
 * A named parameter whose value is given at execution: `conn.execute(stmt, { id: 5 })`.
 * With a value, that value is the default.
 */
export function bindparam<T>(key: string, type: SqlType<T>, value?: T): ColumnElement<T> {
  // Unchecked JavaScript (or a cast) can pass the value where the type goes: say so, not a TypeError later.
  if (!(type instanceof SqlType)) {
    throw new ArgumentError(`bindparam(${JSON.stringify(key)}, type, value?): the second argument is a type (Integer, StringType(50) …), got ${typeof type === "object" ? String(type) : JSON.stringify(type)}`);
  }
  return new ColumnElement<T>(bindNode(value, type as SqlType<unknown>, key), type);
}

/** SQL text used as a column, e.g. `literalColumn("1")`; never pass user input here. */
export function literalColumn<T = unknown>(sql: string, type?: SqlType<T>): ColumnElement<T> {
  const t = (type ?? NullType) as SqlType<T>;
  return new ColumnElement<T>({ kind: "raw-column", sql, type: t as SqlType<unknown> }, t);
}

/** `NULL`. */
export function nullValue(): ColumnElement<null> {
  return new ColumnElement<null>({ kind: "null" }, NullType as SqlType<null>);
}

/** `true` / `false` (1 / 0 where the database has no boolean). */
export function true_(): ColumnElement<boolean> {
  return new ColumnElement<boolean>({ kind: "boolean", value: true }, BooleanType);
}
export function false_(): ColumnElement<boolean> {
  return new ColumnElement<boolean>({ kind: "boolean", value: false }, BooleanType);
}

/** `CAST(expr AS type)`. */
export function cast<T>(expr: Coercible<unknown>, type: SqlType<T>): ColumnElement<T> {
  return new ColumnElement<T>({ kind: "cast", operand: coerceToNode(expr, typeOfValue(expr)), type: type as SqlType<unknown> }, type);
}

/**
 * `CASE WHEN c1 THEN v1 … ELSE e END`, or with `value`, `CASE value WHEN k1 THEN v1 … END`.
 *
 * ```ts
 * case_([[users.c.id.lt(10), "low"]], { else: "high" })  // CASE WHEN users.id < ? THEN ? ELSE ? END
 * ```
 */
export function case_<T>(
  whens: readonly (readonly [Expression<boolean> | Coercible<unknown>, Coercible<T>])[],
  options: { value?: Expression; else?: Coercible<T> } = {},
): ColumnElement<T> {
  if (whens.length === 0) throw new ArgumentError("case_() needs at least one WHEN");
  const resultType = typeOfFirst(whens.map((w) => w[1]), options.else);
  const valueType = options.value ? options.value.type : BooleanType;
  return new ColumnElement<T>(
    {
      kind: "case",
      value: options.value?.node,
      whens: whens.map(([when, then]) => [coerceToNode(when, valueType), coerceToNode(then, resultType)] as const),
      otherwise: options.else === undefined ? undefined : coerceToNode(options.else, resultType),
      type: resultType,
    },
    resultType as SqlType<T>,
  );
}

/** `EXISTS (subquery)`. */
export function exists(query: QuerySource): ColumnElement<boolean> {
  return booleanElement({ kind: "exists", query: query.queryNode });
}

/** `DISTINCT expr`, inside an aggregate: `func.count(distinct(users.c.name))`. */
export function distinct<T>(expr: Expression<T>): ColumnElement<T> {
  return new ColumnElement<T>({ kind: "unary", operator: "DISTINCT", operand: expr.node }, expr.type);
}

/** `asc(expr)` / `desc(expr)` as functions, SQLAlchemy-style. */
export function asc(expr: ColumnElement<unknown>) {
  return expr.asc();
}
export function desc(expr: ColumnElement<unknown>) {
  return expr.desc();
}

function typeOfFirst(values: readonly unknown[], otherwise: unknown): SqlType<unknown> {
  for (const v of [...values, otherwise]) {
    const t = typeOfValue(v);
    if (t !== NullType) return t;
  }
  const sample = values.find((v) => v !== null && v !== undefined) ?? otherwise;
  return inferType(sample);
}

/**
 * `ANY (arr)`: the right side of a comparison that holds for some element of a PostgreSQL ARRAY
 * (SQLAlchemy's `any_`).
 *
 * ```ts
 * select(users.c.id).where(users.c.name.eq(any_(teams.c.members)))
 * // … WHERE "users"."name" = ANY ("teams"."members")
 * ```
 */
export function any_<T>(array: ColumnElement<T>): ColumnElement<ArrayScalar<T>> {
  return quantified("ANY", array);
}

/** `ALL (arr)`: holds for every element (SQLAlchemy's `all_`): `x.gt(all_(arr))` → `x > ALL (arr)`. */
export function all_<T>(array: ColumnElement<T>): ColumnElement<ArrayScalar<T>> {
  return quantified("ALL", array);
}

function quantified<T>(quantifier: "ANY" | "ALL", array: ColumnElement<T>): ColumnElement<ArrayScalar<T>> {
  const item = array.type.kind === "array" ? array.type.options.item : undefined;
  if (item === undefined) throw new ArgumentError(`${quantifier.toLowerCase()}_() takes an ARRAY expression`);
  return new ColumnElement<ArrayScalar<T>>({ kind: "any-all", quantifier, operand: array.node, type: item }, item as SqlType<ArrayScalar<T>>);
}
