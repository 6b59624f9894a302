import { ArgumentError } from "../../shared/errors.ts";
import { JsonPathElement, jsonElementType } from "../types/json-path-element.ts";
import { BooleanType, Integer, StringType } from "../types/type-constructors.ts";
import { type ComparisonOperator, SqlType, type TypeDecoration } from "../types/sql-type.ts";
import { type Coercible, EXPRESSION, coerceToNode, queryNodeOf, type QuerySource } from "./coercions.ts";
import type { BinaryOperator, JsonPathNode, Node, OrderingNode } from "./nodes.ts";

/**
 * A typed SQL expression that yields values of `T`. Every operator returns a new element over a
 * new frozen node; values on the right-hand side always become bound parameters.
 *
 * ```ts
 * users.c.name.eq("ann")          // users.name = ?            params: ["ann"]
 * users.c.id.in([1, 2])           // users.id IN (?, ?)        params: [1, 2]
 * users.c.email.isNull()          // users.email IS NULL
 * ```
 */
export class ColumnElement<T> {
  /** Phantom: the TypeScript type of the values. */
  declare readonly __ts: T;
  readonly [EXPRESSION] = true;
  readonly node: Node;
  readonly type: SqlType<T>;

  constructor(node: Node, type: SqlType<T>) {
    this.node = node;
    this.type = type;
  }

  /** The key a row uses for this element when it is selected; `undefined` for anonymous ones. */
  get rowKey(): string | undefined {
    return undefined;
  }

  /** `=`; comparing with `null` renders `IS NULL`, as SQLAlchemy does. */
  eq(other: Coercible<T> | null): ColumnElement<boolean> {
    return other === null ? this.isNull() : this.#compare("=", other);
  }
  /** `<>`; comparing with `null` renders `IS NOT NULL`. */
  ne(other: Coercible<T> | null): ColumnElement<boolean> {
    return other === null ? this.isNotNull() : this.#compare("<>", other);
  }
  lt(other: Coercible<T>): ColumnElement<boolean> {
    return this.#compare("<", other);
  }
  le(other: Coercible<T>): ColumnElement<boolean> {
    return this.#compare("<=", other);
  }
  gt(other: Coercible<T>): ColumnElement<boolean> {
    return this.#compare(">", other);
  }
  ge(other: Coercible<T>): ColumnElement<boolean> {
    return this.#compare(">=", other);
  }
  /** `IS DISTINCT FROM` (null-safe inequality). */
  isDistinctFrom(other: Coercible<T> | null): ColumnElement<boolean> {
    return this.#compare("IS DISTINCT FROM", other);
  }
  isNotDistinctFrom(other: Coercible<T> | null): ColumnElement<boolean> {
    return this.#compare("IS NOT DISTINCT FROM", other);
  }

  isNull(): ColumnElement<boolean> {
    return booleanElement({ kind: "unary", operator: "IS NULL", operand: this.node });
  }
  isNotNull(): ColumnElement<boolean> {
    return booleanElement({ kind: "unary", operator: "IS NOT NULL", operand: this.node });
  }

  /**
   * `IN (…)` over a list of values (each bound) or a subquery. An empty list is never true:
   * it renders `x IN (NULL) AND (1 != 1)`, SQLAlchemy's "empty set" form.
   */
  in(values: readonly Coercible<T>[] | QuerySource): ColumnElement<boolean> {
    return this.#inList(values, false);
  }
  /** `NOT IN (…)`; an empty list is always true (`x NOT IN (NULL) OR (1 = 1)`). */
  notIn(values: readonly Coercible<T>[] | QuerySource): ColumnElement<boolean> {
    return this.#inList(values, true);
  }

  between(lower: Coercible<T>, upper: Coercible<T>): ColumnElement<boolean> {
    return booleanElement({
      kind: "between",
      operand: this.node,
      lower: coerceToNode(lower, this.type),
      upper: coerceToNode(upper, this.type),
      negated: false,
    });
  }

  /** `LIKE pattern [ESCAPE e]`; the pattern is bound as given (`%` and `_` are wildcards). */
  like(pattern: Coercible<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return this.#like(pattern, options.escape, false, false);
  }
  notLike(pattern: Coercible<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return this.#like(pattern, options.escape, false, true);
  }
  /** Case-insensitive LIKE: `ILIKE` on PostgreSQL, `lower(x) LIKE lower(p)` elsewhere. */
  ilike(pattern: Coercible<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return this.#like(pattern, options.escape, true, false);
  }
  notIlike(pattern: Coercible<string>, options: { escape?: string } = {}): ColumnElement<boolean> {
    return this.#like(pattern, options.escape, true, true);
  }
  /** `LIKE 'prefix%'` with `%`, `_` and the escape character in `prefix` escaped (SQLAlchemy's autoescape). */
  startsWith(prefix: string): ColumnElement<boolean> {
    return this.#like(`${escapeLike(prefix)}%`, LIKE_ESCAPE, false, false);
  }
  endsWith(suffix: string): ColumnElement<boolean> {
    return this.#like(`%${escapeLike(suffix)}`, LIKE_ESCAPE, false, false);
  }
  /**
   * `LIKE '%fragment%'` (escaped as `startsWith` is); on an ARRAY, `@>`: contains every element
   * of `other` (SQLAlchemy's `ARRAY.Comparator.contains`).
   *
   * ```ts
   * posts.c.tags.contains(["sql", "orm"])     // "posts"."tags" @> $1
   * ```
   */
  contains(fragment: string | Coercible<T>): ColumnElement<boolean> {
    if (this.type.kind === "array") return this.#compare("@>", fragment as Coercible<T>);
    if (typeof fragment !== "string") throw new ArgumentError("contains() takes a string (or, on an ARRAY column, an array)");
    return this.#like(`%${escapeLike(fragment)}%`, LIKE_ESCAPE, false, false);
  }

  /** ARRAY only: `<@`, every element is in `other` (SQLAlchemy's `contained_by`). */
  containedBy(other: Coercible<T>): ColumnElement<boolean> {
    return this.#arrayOperator("<@", other);
  }

  /** ARRAY only: `&&`, some element in common with `other` (SQLAlchemy's `overlap`). */
  overlap(other: Coercible<T>): ColumnElement<boolean> {
    return this.#arrayOperator("&&", other);
  }

  /**
   * ARRAY only: one element, `arr[i]`, counted from 1 as PostgreSQL does (SQLAlchemy's `col[i]`, operator `getitem`).
   *
   * ```ts
   * posts.c.tags.getItem(1).eq("sql")         // "posts"."tags"[$1] = $2
   * ```
   */
  getItem(position: Coercible<number>): ColumnElement<ArrayItem<T>> {
    const dimensions = this.type.options.dimensions ?? 1;
    const scalar = this.#arrayItemType("getItem()");
    // One step into a multi-dimensional array is an array of one dimension less (SQLAlchemy's typing).
    const item = dimensions > 1 ? new SqlType("array", { item: scalar, dimensions: dimensions - 1 }) : scalar;
    return new ColumnElement<ArrayItem<T>>(
      { kind: "array-index", operand: this.node, index: coerceToNode(position, Integer), type: item },
      item as SqlType<ArrayItem<T>>,
    );
  }

  add(other: Coercible<T>): ColumnElement<T> {
    return this.#arithmetic("+", other);
  }
  sub(other: Coercible<T>): ColumnElement<T> {
    return this.#arithmetic("-", other);
  }
  mul(other: Coercible<T>): ColumnElement<T> {
    return this.#arithmetic("*", other);
  }
  div(other: Coercible<T>): ColumnElement<T> {
    return this.#arithmetic("/", other);
  }
  mod(other: Coercible<T>): ColumnElement<T> {
    return this.#arithmetic("%", other);
  }
  neg(): ColumnElement<T> {
    return new ColumnElement<T>({ kind: "unary", operator: "-", operand: this.node }, this.type);
  }
  /**
   * An element of a JSON value by key or array index (SQLAlchemy's `col["key"]`), itself JSON;
   * `.asString()`, `.asInteger()` … read it as a scalar.
   *
   * ```ts
   * docs.c.data.item("name").asString().eq("ann")
   * // PostgreSQL: docs.data ->> CAST($1 AS TEXT) = $2
   * // MySQL:      JSON_UNQUOTE(JSON_EXTRACT(docs.data, CONCAT('$', ?))) = ?     -- ? = '."name"'
   * // SQLite:     JSON_EXTRACT(docs.data, '$' || ?) = ?
   * ```
   */
  item(key: string | number): JsonElement {
    return jsonElement(this.node, [key], "item");
  }

  /**
   * An element of a JSON value by a path of keys and indexes (SQLAlchemy's `col[("a", 0, "b")]`).
   *
   * ```ts
   * docs.c.data.path(["address", "city"]).asString()
   * // PostgreSQL: docs.data #>> ARRAY[CAST($1 AS TEXT), CAST($2 AS TEXT)]
   * // MySQL:      JSON_UNQUOTE(JSON_EXTRACT(docs.data, CONCAT('$', ?, ?)))
   * ```
   */
  path(keys: readonly (string | number)[]): JsonElement {
    return jsonElement(this.node, keys, "path");
  }

  /** String concatenation: `||`, or `concat(a, b)` on MySQL. */
  concat(other: Coercible<string>): ColumnElement<string> {
    return new ColumnElement<string>(
      { kind: "binary", operator: "||", left: this.node, right: coerceToNode(other, StringType()) },
      StringType(),
    );
  }

  asc(): Ordering {
    return new Ordering({ kind: "ordering", element: this.node, direction: "ASC", nulls: undefined });
  }
  desc(): Ordering {
    return new Ordering({ kind: "ordering", element: this.node, direction: "DESC", nulls: undefined });
  }

  /** `expr AS name`; the row key of the selected value becomes `name`. */
  label<const N extends string>(name: N): Label<T, N> {
    return new Label<T, N>(name, this);
  }

  #compare(operator: BinaryOperator, other: Coercible<T> | null): ColumnElement<boolean> {
    const right = coerceToNode(other, this.type);
    const custom = this.type.decoration;
    if (custom?.compare !== undefined && isComparison(operator) && !comparing.has(custom)) {
      comparing.add(custom);
      let result: unknown;
      try {
        result = custom.compare(operator, this, new ColumnElement<T>(right, this.type));
      } finally {
        comparing.delete(custom);
      }
      if (result !== undefined) {
        if (!(result instanceof ColumnElement)) throw new ArgumentError(`The compare() of custom type ${custom.name} returned no SQL expression`);
        return result as ColumnElement<boolean>;
      }
    }
    return booleanElement({ kind: "binary", operator, left: this.node, right });
  }

  #arrayOperator(operator: "<@" | "&&", other: Coercible<T>): ColumnElement<boolean> {
    this.#arrayItemType(operator === "<@" ? "containedBy()" : "overlap()");
    return this.#compare(operator, other);
  }

  #arrayItemType(what: string): SqlType<unknown> {
    const item = this.type.kind === "array" ? this.type.options.item : undefined;
    if (item === undefined) throw new ArgumentError(`${what} applies to an ARRAY column`);
    return item;
  }

  #arithmetic(operator: BinaryOperator, other: Coercible<T>): ColumnElement<T> {
    return new ColumnElement<T>(
      { kind: "binary", operator, left: this.node, right: coerceToNode(other, this.type) },
      this.type,
    );
  }

  #inList(values: readonly Coercible<T>[] | QuerySource, negated: boolean): ColumnElement<boolean> {
    const query = queryNodeOf(values);
    const list = query ?? (values as readonly Coercible<T>[]).map((v) => coerceToNode(v, this.type));
    return booleanElement({ kind: "in", left: this.node, values: list, negated });
  }

  #like(pattern: Coercible<string>, escape: string | undefined, caseInsensitive: boolean, negated: boolean) {
    // The escape character is the one piece of LIKE written into the SQL text; every database
    // wants exactly one character there.
    if (escape !== undefined && (typeof escape !== "string" || [...escape].length !== 1)) {
      throw new ArgumentError(`A LIKE escape must be a single character, got ${JSON.stringify(escape)}`);
    }
    return booleanElement({
      kind: "like",
      operand: this.node,
      pattern: coerceToNode(pattern, StringType()),
      escape,
      caseInsensitive,
      negated,
    });
  }
}

/**
 * An element of a JSON value (`col.item("key")`, `col.path([...])`): JSON itself, or read as a
 * scalar with `asString()`, `asInteger()`, `asFloat()`, `asBoolean()` (SQLAlchemy's `as_string()`
 * …); `item()` on it goes one level deeper.
 */
export class JsonElement extends ColumnElement<unknown> {
  declare readonly node: JsonPathNode;

  constructor(node: JsonPathNode) {
    super(node, jsonElementType(node.as));
  }

  override item(key: string | number): JsonElement {
    return this.#deeper([key]);
  }

  override path(keys: readonly (string | number)[]): JsonElement {
    return this.#deeper(keys);
  }

  /** The element as text: a JSON string without its quotes (PostgreSQL `->>`, MySQL `JSON_UNQUOTE`). */
  asString(): ColumnElement<string> {
    return this.#as("text") as ColumnElement<string>;
  }
  asInteger(): ColumnElement<number> {
    return this.#as("integer") as ColumnElement<number>;
  }
  asFloat(): ColumnElement<number> {
    return this.#as("float") as ColumnElement<number>;
  }
  asBoolean(): ColumnElement<boolean> {
    return this.#as("boolean") as ColumnElement<boolean>;
  }
  /** The element as JSON (what it is already; for symmetry with SQLAlchemy's `as_json()`). */
  asJson(): JsonElement {
    return this.#as("json") as JsonElement;
  }

  #as(as: JsonPathNode["as"]): ColumnElement<unknown> {
    if (this.node.as !== "json") throw new ArgumentError(`This JSON element is already read as ${this.node.as}`);
    const node = Object.freeze({ ...this.node, as });
    return as === "json" ? new JsonElement(node) : new ColumnElement<unknown>(node, jsonElementType(as));
  }

  #deeper(keys: readonly (string | number)[]): JsonElement {
    if (this.node.as !== "json") throw new ArgumentError(`A JSON element read as ${this.node.as} has no elements`);
    const more = jsonElement(this.node.operand, keys, "path").node;
    return new JsonElement(
      Object.freeze({ ...this.node, elements: [...this.node.elements, ...more.elements], indexes: [...this.node.indexes, ...more.indexes], form: "path" }),
    );
  }
}

function jsonElement(operand: Node, keys: readonly (string | number)[], form: "item" | "path"): JsonElement {
  if (keys.length === 0) throw new ArgumentError("A JSON path needs at least one key or index");
  for (const key of keys) {
    if (typeof key === "number" ? !Number.isSafeInteger(key) || key < 0 : typeof key !== "string") {
      throw new ArgumentError(`A JSON path element is a string key or a non-negative integer index, not ${String(key)}`);
    }
  }
  return new JsonElement(
    Object.freeze({
      kind: "json-path",
      operand,
      elements: keys.map((key) => coerceToNode(key, JsonPathElement as SqlType<string | number>)),
      indexes: keys.map((key) => typeof key === "number"),
      form,
      as: "json",
    }),
  );
}

/** The element type of an array type `T` (of `ARRAY(item)` columns); `unknown` for any other. */
export type ArrayItem<T> = NonNullable<T> extends readonly (infer E)[] ? E : unknown;

/** The innermost element type of a (multi-dimensional) array type `T`: what `ANY` / `ALL` compare with. */
export type ArrayScalar<T> = NonNullable<T> extends readonly (infer E)[] ? (E extends readonly unknown[] ? ArrayScalar<E> : E) : unknown;

/** `expr AS name`. */
export class Label<T, N extends string = string> extends ColumnElement<T> {
  readonly name: N;
  readonly element: ColumnElement<T>;

  constructor(name: N, element: ColumnElement<T>) {
    super({ kind: "label", name, element: element.node }, element.type);
    this.name = name;
    this.element = element;
  }

  override get rowKey(): N {
    return this.name;
  }
}

/** An ORDER BY item: `expr ASC|DESC [NULLS FIRST|LAST]`. */
export class Ordering {
  readonly node: OrderingNode;

  constructor(node: OrderingNode) {
    this.node = node;
  }

  nullsFirst(): Ordering {
    return new Ordering({ ...this.node, nulls: "FIRST" });
  }
  nullsLast(): Ordering {
    return new Ordering({ ...this.node, nulls: "LAST" });
  }
}

const LIKE_ESCAPE = "/";

/** Custom types whose `compare` is running: comparisons inside it are the plain ones. */
const comparing = new Set<TypeDecoration>();

function isComparison(operator: BinaryOperator): operator is ComparisonOperator {
  return operator === "=" || operator === "<>" || operator === "<" || operator === "<=" || operator === ">" || operator === ">=";
}

function escapeLike(text: string): string {
  return text.replace(/[/%_]/g, (c) => `/${c}`);
}

export function booleanElement(node: Node): ColumnElement<boolean> {
  return new ColumnElement<boolean>(node, BooleanType);
}

/** Used by `count()` and friends: an integer-typed element. */
export function integerElement(node: Node): ColumnElement<number> {
  return new ColumnElement<number>(node, Integer);
}
