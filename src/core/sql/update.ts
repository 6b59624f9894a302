import { ArgumentError } from "../../shared/errors.ts";
import { type Expression, coerceToClause, coerceToValue } from "./coercions.ts";
import type { DmlTable, ValuesOf } from "./dml-table.ts";
import {
  type DmlColumns,
  type DmlExecutionOptions,
  type DmlStatementExtras,
  type DmlTargetable,
  type ReturningArg,
  type ReturningRow,
  dmlExtrasOf,
  dmlTableOf,
} from "./dml-target.ts";
import type { Assignment, Node, UpdateNode } from "./nodes.ts";
import { withExecutionOptions, withReturning } from "./returning.ts";
import { type CompileOptions, type CompiledSql, compileStatement } from "./statement-compilation.ts";

type Columns<T> = T extends DmlTable<infer C> ? C : never;

/**
 * An immutable UPDATE builder. Columns with a client-side `onupdate` that the SET does not name
 * get it, as in SQLAlchemy.
 *
 * ```ts
 * update(users).where(users.c.id.eq(5)).values({ name: "bo" })  // UPDATE users SET name=? WHERE users.id = ?
 * ```
 *
 * Built from a mapped class (`update(User)`), values are keyed by attribute and a session runs it
 * as an ORM-enabled UPDATE (docs/orm-dml.md).
 */
export class Update<T extends DmlTable, R = never> {
  declare readonly __row: R;
  readonly table: T;
  readonly node: UpdateNode;
  /** @internal What a session needs to know beyond the SQL: the target given, entities returned, options. */
  readonly extras: DmlStatementExtras;

  constructor(table: T, node: UpdateNode, extras: DmlStatementExtras = dmlExtrasOf(table)) {
    this.table = table;
    this.node = node;
    this.extras = extras;
  }

  /** The table or mapped class the statement was built from. */
  get target(): unknown {
    return this.extras.target;
  }

  #with(changes: Partial<UpdateNode>): Update<T, R> {
    return new Update<T, R>(this.table, Object.freeze({ ...this.node, ...changes }), this.extras);
  }

  values(values: ValuesOf<Columns<T>>): Update<T, R> {
    const set: Assignment[] = Object.entries(values)
      .filter(([, v]) => v !== undefined)
      .map(([key, value]) => {
        const column = this.table.c[key];
        if (!column) throw new ArgumentError(`Table "${this.table.name}" has no column "${key}"`);
        return { column: column.name, value: coerceToValue(value, column.type) };
      });
    if (set.length === 0) throw new ArgumentError("update().values() needs at least one column");
    const named = new Set(set.map((a) => a.column));
    const onupdate = Object.values(this.table.c)
      .filter((c) => c.onupdate !== undefined && !named.has(c.name))
      .map((c): Assignment => {
        const source = c.onupdate;
        const compute = typeof source === "function" ? (source as () => unknown) : () => source;
        return { column: c.name, value: { kind: "column-default", compute, type: c.type } };
      });
    return this.#with({ set: [...set, ...onupdate] });
  }

  /** WHERE criteria, AND-ed; a nullable boolean counts NULL as false, as in `select().where()`. */
  where(...clauses: readonly Expression<boolean | null>[]): Update<T, R> {
    return this.#with({ where: andAll(this.node.where, clauses, "update().where()") });
  }

  /**
   * `RETURNING …` (where the dialect has it). A mapped class returns its instances when a session
   * runs the statement: `update(User).where(…).values(…).returning(User)`.
   */
  returning<const A extends readonly ReturningArg[]>(...args: A): Update<T, ReturningRow<A>> {
    const { node, extras } = withReturning(this.node, this.extras, args);
    return new Update<T, ReturningRow<A>>(this.table, node, extras);
  }

  /**
   * Options a session reads when it runs the statement: `{ synchronizeSession }` says how the
   * objects it holds follow the UPDATE (docs/orm-dml.md). A connection ignores them.
   */
  executionOptions(options: DmlExecutionOptions): Update<T, R> {
    return new Update<T, R>(this.table, this.node, withExecutionOptions(this.extras, options));
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

/**
 * `UPDATE table SET …`, of a table or of a mapped class's table (`update(User)`, values keyed by
 * attribute; a session runs it as an ORM-enabled UPDATE, see docs/orm-dml.md).
 */
export function update<T extends DmlTable>(table: T): Update<T>;
export function update<C extends DmlColumns>(model: DmlTargetable<C>): Update<DmlTable<C>>;
export function update(target: DmlTable | DmlTargetable): Update<DmlTable> {
  const table = dmlTableOf(target, "update()");
  return new Update(
    table,
    Object.freeze({ kind: "update", table: table.node, set: [], where: undefined, returning: [], returningKeys: [], ctes: [] }),
    dmlExtrasOf(target),
  );
}

export function andAll(existing: Node | undefined, clauses: readonly unknown[], where: string): Node | undefined {
  const nodes = clauses.map((c) => coerceToClause(c, where));
  const all = existing === undefined ? nodes : [existing, ...nodes];
  if (all.length === 0) return undefined;
  if (all.length === 1) return all[0];
  return { kind: "clause-list", operator: "AND", clauses: all };
}
