import { ArgumentError } from "../../shared/errors.ts";
import { type Expression, isExpression } from "../../core/sql/coercions.ts";
import { FromClause } from "../../core/sql/from-clause.ts";
import { type RowOf, type Select, type SelectArg, select as coreSelect } from "../../core/sql/select.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import { EntitySelect, type ResultElement } from "./entity-select.ts";

/** A mapped class as a select argument. */
export type EntityClass = abstract new (...args: never[]) => object;

/** The tuple row of an ORM select: instances for entities, values for expressions. */
export type EntityRow<A extends readonly unknown[]> = {
  -readonly [I in keyof A]: A[I] extends EntityClass ? InstanceType<A[I]> : A[I] extends Expression<infer T> ? T : never;
};

type HasEntity<A extends readonly unknown[]> = true extends { [I in keyof A]: A[I] extends EntityClass ? true : false }[number]
  ? true
  : false;

/**
 * `select()` for entities and columns. With a mapped class among the arguments it is an ORM select
 * whose rows are tuples (`[User]`, `[User, Organization]`); otherwise it is Core's `select()`.
 *
 * ```ts
 * select(User).where(User.id.eq(1))        // rows: [User]; .scalars() → User
 * select(User.id, User.name)               // rows: { id: number; name: string }
 * ```
 */
export function select<const A extends readonly (SelectArg | EntityClass)[]>(
  ...args: A
): HasEntity<A> extends true ? EntitySelect<EntityRow<A>> : Select<RowOf<A>> {
  if (!args.some((a) => mapperOfClass(a) !== undefined)) return coreSelect(...(args as readonly SelectArg[])) as never;
  const columns: (Expression | FromClause)[] = [];
  const layout: ResultElement[] = [];
  for (const arg of args) {
    const mapper = mapperOfClass(arg);
    if (mapper) {
      mapper.ensureRegistered(arg as EntityClass);
      const loaded = mapper.columns.filter((c) => !c.deferred);
      layout.push({ kind: "entity", mapper, columns: loaded, offset: columns.length });
      for (const c of loaded) columns.push(c.column);
    } else if (isExpression(arg)) {
      layout.push({ kind: "column", offset: columns.length });
      columns.push(arg);
    } else if (arg instanceof FromClause) {
      throw new ArgumentError("select(): mix entities with columns, not with tables; select the table's columns instead");
    } else {
      throw new ArgumentError(`select() expects mapped classes or SQL expressions, got ${typeof arg}`);
    }
  }
  return new EntitySelect(coreSelect(...(columns as SelectArg[])).node, layout) as never;
}
