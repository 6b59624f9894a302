import type { Expression } from "./coercions.ts";
import type { DmlTable } from "./dml-table.ts";
import type { DeleteNode } from "./nodes.ts";
import { returningOf } from "./returning.ts";
import type { RowOf, SelectArg } from "./select.ts";
import { andAll } from "./update.ts";
import { type CompileOptions, type CompiledSql, compileStatement } from "./statement-compilation.ts";

/**
 * An immutable DELETE builder.
 *
 * ```ts
 * delete_(users).where(users.c.id.eq(5))   // DELETE FROM users WHERE users.id = ?
 * ```
 */
export class Delete<T extends DmlTable, R = never> {
  declare readonly __row: R;
  readonly table: T;
  readonly node: DeleteNode;

  constructor(table: T, node: DeleteNode) {
    this.table = table;
    this.node = node;
  }

  where(...clauses: readonly Expression<boolean>[]): Delete<T, R> {
    return new Delete<T, R>(this.table, Object.freeze({ ...this.node, where: andAll(this.node.where, clauses, "delete().where()") }));
  }

  returning<A extends readonly SelectArg[]>(...args: A): Delete<T, RowOf<A>> {
    return new Delete<T, RowOf<A>>(this.table, Object.freeze({ ...this.node, ...returningOf(args) }));
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

/** `DELETE FROM table`; named `delete_` because `delete` is a reserved word (SQLAlchemy's spelling too). */
export function delete_<T extends DmlTable>(table: T): Delete<T> {
  return new Delete(table, Object.freeze({ kind: "delete", table: table.node, where: undefined, returning: [], returningKeys: [], ctes: [] }));
}
