import type { Expression } from "./coercions.ts";
import type { DmlTable } from "./dml-table.ts";
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
import type { DeleteNode } from "./nodes.ts";
import { withExecutionOptions, withReturning } from "./returning.ts";
import { andAll } from "./update.ts";
import { type CompileOptions, type CompiledSql, compileStatement } from "./statement-compilation.ts";

/**
 * An immutable DELETE builder.
 *
 * ```ts
 * delete_(users).where(users.c.id.eq(5))   // DELETE FROM users WHERE users.id = ?
 * ```
 *
 * Built from a mapped class (`delete_(User)`), a session runs it as an ORM-enabled DELETE
 * (docs/orm-dml.md).
 */
export class Delete<T extends DmlTable, R = never> {
  declare readonly __row: R;
  readonly table: T;
  readonly node: DeleteNode;
  /** @internal What a session needs to know beyond the SQL: the target given, entities returned, options. */
  readonly extras: DmlStatementExtras;

  constructor(table: T, node: DeleteNode, extras: DmlStatementExtras = dmlExtrasOf(table)) {
    this.table = table;
    this.node = node;
    this.extras = extras;
  }

  /** The table or mapped class the statement was built from. */
  get target(): unknown {
    return this.extras.target;
  }

  /** WHERE criteria, AND-ed; a nullable boolean counts NULL as false, as in `select().where()`. */
  where(...clauses: readonly Expression<boolean | null>[]): Delete<T, R> {
    return new Delete<T, R>(this.table, Object.freeze({ ...this.node, where: andAll(this.node.where, clauses, "delete().where()") }), this.extras);
  }

  /** `RETURNING …` (where the dialect has it); a mapped class returns instances when a session runs it. */
  returning<const A extends readonly ReturningArg[]>(...args: A): Delete<T, ReturningRow<A>> {
    const { node, extras } = withReturning(this.node, this.extras, args);
    return new Delete<T, ReturningRow<A>>(this.table, node, extras);
  }

  /**
   * Options a session reads when it runs the statement: `{ synchronizeSession }` says how the
   * objects it holds follow the DELETE (docs/orm-dml.md). A connection ignores them.
   */
  executionOptions(options: DmlExecutionOptions): Delete<T, R> {
    return new Delete<T, R>(this.table, this.node, withExecutionOptions(this.extras, options));
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
 * `DELETE FROM table`, of a table or of a mapped class's table (`delete_(User)`); named `delete_`
 * because `delete` is a reserved word (SQLAlchemy's spelling too).
 */
export function delete_<T extends DmlTable>(table: T): Delete<T>;
export function delete_<C extends DmlColumns>(model: DmlTargetable<C>): Delete<DmlTable<C>>;
export function delete_(target: DmlTable | DmlTargetable): Delete<DmlTable> {
  const table = dmlTableOf(target, "delete_()");
  return new Delete(
    table,
    Object.freeze({ kind: "delete", table: table.node, where: undefined, returning: [], returningKeys: [], ctes: [] }),
    dmlExtrasOf(target),
  );
}
