import { ArgumentError } from "../../shared/errors.ts";
import { Integer } from "../types/type-constructors.ts";
import { ColumnElement, Ordering, booleanElement } from "./column-element.ts";
import { type Expression, bindNode, coerceToClause, coerceToExpression, isExpression } from "./coercions.ts";
import { FromClause } from "./from-clause.ts";
import type { CompoundSelectNode, FromNode, JoinNode, Node, OrderingNode, SelectNode } from "./nodes.ts";
import { Cte, Subquery } from "./query-from-clause.ts";
import { inferJoinCondition } from "./join-condition.ts";
import { type JoinStep, type JoinTarget, type Joinable, fromItemOf, joinStepsOf, joinStepsToward } from "./join-target.ts";
import { andAll } from "./update.ts";
import { type CompileOptions, type CompiledSql, compileStatement } from "./statement-compilation.ts";
import { selectNode } from "./select-node.ts";

/** What `select()` accepts: column expressions, or FROM items standing for all their columns. */
export type SelectArg = Expression | FromClause;

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The row one select argument contributes: `{ key: T }` for a named column, all columns for a table. */
export type ArgRow<A> =
  A extends FromClause<infer C>
    ? { [K in keyof C]: C[K] extends Expression<infer T> ? T : never }
    : A extends { readonly rowKey: infer K extends string; readonly __ts: infer T }
      ? { [P in K]: T }
      : {};

/** The row type of `select(...args)`. */
export type RowOf<A extends readonly unknown[]> = Simplify<UnionToIntersection<{ [I in keyof A]: ArgRow<A[I]> }[number]>>;

/**
 * The type of a select after an outer join to `T` (`F`: a full outer join). A select type that
 * declares `__outerJoin` (the ORM's entity select) computes it: its `result` read with `target`
 * and `full` set to the join's (a type-level function). Any other select is unchanged.
 */
export type OuterJoined<S, T, F extends boolean> = S extends { readonly __outerJoin: infer J extends { readonly result: unknown } }
  ? (J & { readonly target: T; readonly full: F })["result"]
  : S;

/** An ORDER BY argument: an expression (ascending) or `expr.desc()` and friends. */
export type OrderByArg = Expression | Ordering;

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * An immutable SELECT builder; each method returns a new `Select`. `R` is the row type.
 *
 * ```ts
 * select(users.c.id, users.c.name).where(users.c.name.like("a%")).orderBy(users.c.id.desc()).limit(10)
 * // SELECT users.id, users.name FROM users WHERE users.name LIKE ? ORDER BY users.id DESC LIMIT ?
 * ```
 */
export class Select<R = Record<string, unknown>> {
  declare readonly __row: R;
  readonly node: SelectNode;

  constructor(node: SelectNode) {
    this.node = node;
  }

  /** The node used when this select appears inside another statement. */
  get queryNode(): SelectNode {
    return this.node;
  }

  #with(changes: Partial<SelectNode>): this {
    return this.withNode(Object.freeze({ ...this.node, ...changes }));
  }

  /**
   * A select like this one over a new node. Generative methods go through here, so a subclass
   * (the ORM's entity select) keeps its own data across `where()`, `orderBy()` …
   */
  protected withNode(node: SelectNode): this {
    return new Select<R>(node) as this;
  }

  /**
   * Adds WHERE criteria, joined with AND to any already there. A nullable boolean (a column typed
   * `boolean | null`) is a criterion too: SQL keeps the rows where it is true, NULL counting as
   * false. A plain string is refused.
   */
  where(...clauses: readonly Expression<boolean | null>[]): this {
    return this.#with({ where: andAll(this.node.where, clauses, "where()") });
  }

  /** Adds HAVING criteria, joined with AND (nullable booleans as in `where()`). */
  having(...clauses: readonly Expression<boolean | null>[]): this {
    return this.#with({ having: andAll(this.node.having, clauses, "having()") });
  }

  /**
   * `JOIN target ON on`. The target is a table (or alias, subquery, CTE), a mapped class (its
   * table) or a relationship attribute (its target, ON from the relationship; a many-to-many joins
   * its association table first). Without `on`, the condition comes from the one foreign key
   * between the left side and the target (an error if there is none or more than one). The left
   * side is the last explicit FROM item; with none, a relationship's parent table or the table of
   * the first column.
   *
   * ```ts
   * select(Post.title, User.name).join(Post.author)
   * // SELECT posts.title, users.name FROM posts JOIN users ON users.id = posts.user_id
   * select(Post.title, User.name).join(User)                        // the same ON, from the foreign key
   * select(Post.title, User.name).outerjoin(User, Post.userId.eq(User.id))
   * // … FROM posts LEFT OUTER JOIN users ON posts.user_id = users.id
   * select(User).join(Manager, User.manager)      // ON from a relationship, to an alias of its target
   * // … FROM users JOIN users AS manager ON manager.id = users.manager_id
   * ```
   */
  join(target: JoinTarget, on?: Expression<boolean> | Joinable, options: { isOuter?: boolean; full?: boolean } = {}): this {
    const steps = on !== undefined && !isExpression(on) ? joinStepsToward(on, target, "join()") : joinStepsOf(target, "join()");
    const from = [...this.node.from];
    if (from.length === 0) {
      const first = steps[0] as JoinStep;
      const owner = first.from?.node ?? firstColumnOwner(this.node.columns, first.target.node);
      if (!owner) throw new ArgumentError("join(): there is no FROM item to join from; call selectFrom() first");
      from.push(owner);
    }
    return this.#joinSteps(from, from.length - 1, steps, isExpression(on) ? on : undefined, options);
  }

  /**
   * `LEFT OUTER JOIN` (`FULL OUTER JOIN` with `{ full: true }`), by the same targets as `join()`.
   * A Core select keeps its row type; an ORM select types the entities the join can leave empty
   * as `| null` (see `OuterJoined`).
   */
  outerjoin<T extends JoinTarget, const F extends boolean = false>(
    target: T,
    on?: Expression<boolean> | Joinable,
    options: { full?: F } = {},
  ): OuterJoined<this, T, F> {
    return this.join(target, on, { isOuter: true, ...options }) as OuterJoined<this, T, F>;
  }

  /**
   * `left JOIN target ON on`, naming the left side (SQLAlchemy's `join_from`): a table, alias or
   * mapped class. When a FROM item already holds `left`, the join continues it; otherwise it starts
   * a new FROM item.
   *
   * ```ts
   * select(User.name, Post.title).joinFrom(Post, User)   // … FROM posts JOIN users ON users.id = posts.user_id
   * ```
   */
  joinFrom(left: FromClause | Joinable, target: JoinTarget, on?: Expression<boolean> | Joinable, options: { isOuter?: boolean; full?: boolean } = {}): this {
    const leftNode = fromItemOf(left, "joinFrom()");
    const steps = on !== undefined && !isExpression(on) ? joinStepsToward(on, target, "joinFrom()") : joinStepsOf(target, "joinFrom()");
    const from = [...this.node.from];
    let index = from.findIndex((f) => contains(f, leftNode));
    if (index < 0) index = from.push(leftNode) - 1;
    return this.#joinSteps(from, index, steps, isExpression(on) ? on : undefined, options);
  }

  /** Joins each step onto `from[index]`; `on`, when given, is the last step's ON clause. */
  #joinSteps(from: FromNode[], index: number, steps: readonly JoinStep[], on: Expression<boolean> | undefined, options: { isOuter?: boolean; full?: boolean }): this {
    const type = options.full ? "FULL OUTER" : options.isOuter ? "LEFT OUTER" : "INNER";
    steps.forEach((step, i) => {
      from[index] = joinNode(from[index] as FromNode, step.target.node, i === steps.length - 1 ? (on ?? step.on) : step.on, type, step.criterion);
    });
    return this.#with({ from });
  }

  /** Sets the FROM items explicitly (`select_from`). */
  selectFrom(...froms: readonly (FromClause | Joinable)[]): this {
    return this.#with({ from: [...this.node.from, ...froms.map((f) => fromItemOf(f, "selectFrom()"))] });
  }

  orderBy(...items: readonly OrderByArg[]): this {
    return this.#with({ orderBy: [...this.node.orderBy, ...items.map(toOrdering)] });
  }

  groupBy(...items: readonly Expression[]): this {
    return this.#with({ groupBy: [...this.node.groupBy, ...items.map((i) => coerceToExpression(i, "groupBy()"))] });
  }

  /** `LIMIT n`; `n` must be a non-negative integer (bound as a parameter). */
  limit(n: number | null): this {
    return this.#with({ limit: n === null ? undefined : bindNode(checkCount(n, "limit"), Integer) });
  }

  /** `OFFSET n`; `n` must be a non-negative integer. */
  offset(n: number | null): this {
    return this.#with({ offset: n === null ? undefined : bindNode(checkCount(n, "offset"), Integer) });
  }

  distinct(): this {
    return this.#with({ distinct: true });
  }

  /** `FOR UPDATE [NOWAIT | SKIP LOCKED]`, or `FOR SHARE` with `read: true`. Ignored on SQLite. */
  forUpdate(options: { nowait?: boolean; skipLocked?: boolean; read?: boolean; of?: readonly FromClause[] } = {}): this {
    return this.#with({
      forUpdate: {
        mode: options.read ? "SHARE" : "UPDATE",
        nowait: options.nowait ?? false,
        skipLocked: options.skipLocked ?? false,
        of: (options.of ?? []).map((f) => f.node),
      },
    });
  }

  /** Adds columns to the select list. */
  addColumns<A extends readonly SelectArg[]>(...args: A): Select<Simplify<R & RowOf<A>>> {
    const added = expandArgs(args);
    return new Select(
      Object.freeze({
        ...this.node,
        columns: [...this.node.columns, ...added.columns],
        columnKeys: [...this.node.columnKeys, ...added.keys],
      }),
    );
  }

  /** Replaces the select list, keeping everything else. */
  withOnlyColumns<A extends readonly SelectArg[]>(...args: A): Select<RowOf<A>> {
    const next = expandArgs(args);
    return new Select(Object.freeze({ ...this.node, columns: next.columns, columnKeys: next.keys }));
  }

  /**
   * Names the FROM items this select, used as a subquery, takes from its enclosing query.
   * By default (auto-correlation) any FROM item the enclosing query has is taken from it.
   */
  correlate(...froms: readonly FromClause[]): this {
    return this.#with({ correlate: froms.map((f) => f.node) });
  }

  /** This select as a FROM item: `(SELECT …) AS name`. */
  subquery(name = "anon_1"): Subquery<R> {
    return new Subquery<R>(this.node, name);
  }

  /** This select as a common table expression (`WITH name AS (…)`). */
  cte(name = "anon_1", options: { recursive?: boolean } = {}): Cte<R> {
    return new Cte<R>(this.node, name, options.recursive ?? false);
  }

  /** This select (of one column) as a value: `(SELECT …)`. */
  scalarSubquery(): ColumnElement<R[keyof R]> {
    const first = this.node.columns[0];
    if (!first) throw new ArgumentError("scalarSubquery() needs a select of one column");
    return new ColumnElement<R[keyof R]>(
      { kind: "scalar-subquery", query: this.node },
      (isExpressionNodeTyped(first) ?? Integer) as never,
    );
  }

  /** `EXISTS (SELECT …)`. */
  exists(): ColumnElement<boolean> {
    return booleanElement({ kind: "exists", query: this.node });
  }

  /** The scalar subquery, labelled, for use in a select list. */
  label<const N extends string>(name: N) {
    return this.scalarSubquery().label(name);
  }

  union(...others: readonly { readonly queryNode: SelectNode | CompoundSelectNode }[]): CompoundSelect<R> {
    return compound("UNION", [this, ...others]);
  }
  unionAll(...others: readonly { readonly queryNode: SelectNode | CompoundSelectNode }[]): CompoundSelect<R> {
    return compound("UNION ALL", [this, ...others]);
  }
  except(...others: readonly { readonly queryNode: SelectNode | CompoundSelectNode }[]): CompoundSelect<R> {
    return compound("EXCEPT", [this, ...others]);
  }
  intersect(...others: readonly { readonly queryNode: SelectNode | CompoundSelectNode }[]): CompoundSelect<R> {
    return compound("INTERSECT", [this, ...others]);
  }

  /**
   * The statement's SQL and parameters, for a dialect or generic (SQLAlchemy's `compile()`);
   * `literalBinds` writes the values inline, for display only.
   *
   * ```ts
   * stmt.compile().sql                                         // … WHERE "users"."id" = :param_1
   * stmt.compile({ dialect: "postgresql" }).sql                // … WHERE "users"."id" = $1
   * stmt.compile({ dialect: engine.dialect, literalBinds: true }).sql  // … WHERE "users"."id" = 5
   * ```
   */
  compile(options?: CompileOptions): CompiledSql {
    return compileStatement(this.node, options);
  }

  /** The generic SQL with `:name` placeholders (`String(stmt)`, SQLAlchemy's `str(stmt)`). */
  toString(): string {
    return this.compile().sql;
  }
}

/**
 * `UNION`, `UNION ALL`, `EXCEPT` or `INTERSECT` of selects; ORDER BY / LIMIT apply to the whole.
 *
 * ```ts
 * union(select(a.c.id), select(b.c.id)).orderBy(...)  // SELECT a.id FROM a UNION SELECT b.id FROM b ORDER BY …
 * ```
 */
export class CompoundSelect<R = Record<string, unknown>> {
  declare readonly __row: R;
  readonly node: CompoundSelectNode;

  constructor(node: CompoundSelectNode) {
    this.node = node;
  }

  get queryNode(): CompoundSelectNode {
    return this.node;
  }

  #with(changes: Partial<CompoundSelectNode>): CompoundSelect<R> {
    return new CompoundSelect<R>(Object.freeze({ ...this.node, ...changes }));
  }

  orderBy(...items: readonly OrderByArg[]): CompoundSelect<R> {
    return this.#with({ orderBy: [...this.node.orderBy, ...items.map(toOrdering)] });
  }
  limit(n: number | null): CompoundSelect<R> {
    return this.#with({ limit: n === null ? undefined : bindNode(checkCount(n, "limit"), Integer) });
  }
  offset(n: number | null): CompoundSelect<R> {
    return this.#with({ offset: n === null ? undefined : bindNode(checkCount(n, "offset"), Integer) });
  }
  subquery(name = "anon_1"): Subquery<R> {
    return new Subquery<R>(this.node, name);
  }
  cte(name = "anon_1", options: { recursive?: boolean } = {}): Cte<R> {
    return new Cte<R>(this.node, name, options.recursive ?? false);
  }

  /** The statement's SQL and parameters, for a dialect or generic; see `Select.compile()`. */
  compile(options?: CompileOptions): CompiledSql {
    return compileStatement(this.node, options);
  }

  /** The generic SQL with `:name` placeholders (`String(stmt)`, SQLAlchemy's `str(stmt)`). */
  toString(): string {
    return this.compile().sql;
  }
}

type QueryLike = { readonly queryNode: SelectNode | CompoundSelectNode };

function compound<R>(operator: CompoundSelectNode["operator"], parts: readonly QueryLike[]): CompoundSelect<R> {
  return new CompoundSelect<R>(
    Object.freeze({
      kind: "compound-select",
      operator,
      selects: parts.map((p) => p.queryNode),
      orderBy: EMPTY,
      limit: undefined,
      offset: undefined,
      ctes: EMPTY,
    }),
  );
}

export function union<R>(...selects: readonly (Select<R> | CompoundSelect<R>)[]): CompoundSelect<R> {
  return compound("UNION", selects);
}
export function unionAll<R>(...selects: readonly (Select<R> | CompoundSelect<R>)[]): CompoundSelect<R> {
  return compound("UNION ALL", selects);
}
export function except<R>(...selects: readonly (Select<R> | CompoundSelect<R>)[]): CompoundSelect<R> {
  return compound("EXCEPT", selects);
}
export function intersect<R>(...selects: readonly (Select<R> | CompoundSelect<R>)[]): CompoundSelect<R> {
  return compound("INTERSECT", selects);
}

/**
 * Builds a SELECT of columns, expressions and tables; the row type follows the arguments.
 *
 * ```ts
 * const rows = await conn.execute(select(users.c.id, users.c.name));  // rows: { id: number; name: string }[]
 * ```
 */
export function select<const A extends readonly SelectArg[]>(...args: A): Select<RowOf<A>> {
  const { columns, keys } = expandArgs(args);
  return new Select<RowOf<A>>(selectNode({ columns, columnKeys: keys }));
}

function expandArgs(args: readonly SelectArg[]): { columns: Node[]; keys: (string | undefined)[] } {
  const columns: Node[] = [];
  const keys: (string | undefined)[] = [];
  for (const arg of args) {
    if (arg instanceof FromClause) {
      for (const col of arg.columnList) {
        columns.push(col.node);
        keys.push(col.key);
      }
    } else if (isExpression(arg)) {
      columns.push(arg.node);
      keys.push((arg as { rowKey?: string }).rowKey);
    } else {
      coerceToExpression(arg, "select()");
    }
  }
  return { columns, keys };
}

function toOrdering(item: OrderByArg): OrderingNode {
  if (item instanceof Ordering) return item.node;
  return { kind: "ordering", element: coerceToExpression(item, "orderBy()"), direction: undefined, nulls: undefined };
}

function checkCount(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ArgumentError(`${what}() takes a non-negative integer, got ${typeof n === "number" ? n : typeof n}`);
  }
  return n;
}

function joinNode(left: FromNode, right: FromNode, on: Expression<boolean> | undefined, type: JoinNode["type"], criterion?: Expression<boolean>): JoinNode {
  const condition = on === undefined ? inferJoinCondition(left, right) : coerceToClause(on, "join()");
  const full = criterion === undefined ? condition : (andAll(condition, [criterion], "join()") as Node);
  return Object.freeze({ kind: "join", left, right, on: full, type });
}

function contains(from: FromNode, item: FromNode): boolean {
  return from === item || (from.kind === "join" && (contains(from.left, item) || contains(from.right, item)));
}

function firstColumnOwner(columns: readonly Node[], exclude: FromNode): FromNode | undefined {
  for (const col of columns) {
    if (col.kind === "column" && col.owner && col.owner !== exclude) return col.owner;
    if (col.kind === "star" && col.owner && col.owner !== exclude) return col.owner;
  }
  return undefined;
}

function isExpressionNodeTyped(node: Node) {
  return "type" in node ? node.type : undefined;
}
