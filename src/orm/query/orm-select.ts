import { ArgumentError } from "../../shared/errors.ts";
import { type Expression, isExpression } from "../../core/sql/coercions.ts";
import { FromClause } from "../../core/sql/from-clause.ts";
import { type RowOf, type Select, type SelectArg, select as coreSelect } from "../../core/sql/select.ts";
import type { FromNode, Node } from "../../core/sql/nodes.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import { aliasedEntityOf } from "../mapper/entity-alias.ts";
import { isExpressionProperty } from "../mapper/expression-property.ts";
import { columnOn } from "../mapper/join-columns.ts";
import { expressionParentOf } from "../mapper/mapped-expression-ref.ts";
import type { AliasedClass } from "./aliased.ts";
import { EntitySelect, type ResultElement } from "./entity-select.ts";
import { type EntityShape, type PolymorphicEntity, entityShape, polymorphicEntityOf } from "./polymorphic-entity.ts";

/** A mapped class as a select argument. */
export type EntityClass = abstract new (...args: never[]) => object;

/** The tuple row of an ORM select: instances for entities (aliased ones too), values for expressions. */
export type EntityRow<A extends readonly unknown[]> = {
  -readonly [I in keyof A]: A[I] extends EntityClass
    ? InstanceType<A[I]>
    : A[I] extends { readonly __entity: infer E }
      ? E
      : A[I] extends Expression<infer T>
        ? T
        : never;
};

/** Which places of a select's arguments are aliased entities (`aliased(User)`): loader options do not reach them. */
export type AliasedPlaces<A extends readonly unknown[]> = { -readonly [I in keyof A]: A[I] extends { readonly __entity: unknown } ? true : false };

type IsEntity<A> = A extends EntityClass ? true : A extends { readonly __entity: unknown } ? true : false;

type HasEntity<A extends readonly unknown[]> = true extends { [I in keyof A]: IsEntity<A[I]> }[number] ? true : false;

/** The mapper an argument selects, and the alias its columns come from (an aliased class's), if it is an entity. */
function entityOf(
  arg: unknown,
): { readonly mapper: Mapper; readonly owner: FromNode | undefined; readonly classes?: readonly Mapper[]; readonly shape?: EntityShape } | undefined {
  const mapper = mapperOfClass(arg);
  if (mapper !== undefined) {
    mapper.ensureRegistered(arg as EntityClass);
    return { mapper, owner: undefined };
  }
  const polymorphic = polymorphicEntityOf(arg);
  if (polymorphic !== undefined) return { mapper: polymorphic.mapper, owner: undefined, classes: polymorphic.classes, ...(polymorphic.shape ? { shape: polymorphic.shape } : {}) };
  const aliased = aliasedEntityOf(arg);
  return aliased && { mapper: aliased.mapper, owner: aliased.alias.node };
}

/**
 * `select()` for entities and columns. With a mapped class among the arguments it is an ORM select
 * whose rows are tuples (`[User]`, `[User, Organization]`); otherwise it is Core's `select()`.
 *
 * ```ts
 * select(User).where(User.id.eq(1))        // rows: [User]; .scalars() → User
 * select(User.id, User.name)               // rows: { id: number; name: string }
 * select(User, Manager)                    // Manager = aliased(User): rows [User, User]
 * ```
 */
export function select<const A extends readonly (SelectArg | EntityClass | AliasedClass<EntityClass> | PolymorphicEntity<EntityClass, readonly EntityClass[]>)[]>(
  ...args: A
): HasEntity<A> extends true ? EntitySelect<EntityRow<A>, AliasedPlaces<A>> : Select<RowOf<A>> {
  // A mapped expression's model table joins the FROM list, so it has something to correlate to.
  const parents = [...new Set(args.map(expressionParentOf).filter((t) => t !== undefined))];
  const withParents = (statement: Select<unknown>): Select<unknown> => (parents.length > 0 ? statement.selectFrom(...parents) : statement);
  if (!args.some((a) => mapperOfClass(a) !== undefined || aliasedEntityOf(a) !== undefined || polymorphicEntityOf(a) !== undefined)) {
    return withParents(coreSelect(...(args as readonly SelectArg[])) as Select<unknown>) as never;
  }
  const columns: (Expression | FromClause)[] = [];
  const layout: ResultElement[] = [];
  const froms: FromNode[] = [];
  const criteria: Node[] = [];
  for (const arg of args) {
    const entity = entityOf(arg);
    if (entity) {
      const { mapper } = entity;
      let owner = entity.owner;
      let loaded: readonly ColumnProperty[] = mapper.loadedColumns;
      if (mapper.inheritance !== undefined && owner === undefined) {
        // An inheritance hierarchy's class: its tables joined, its subclasses' columns, its discriminator values.
        const shape = entity.shape ?? entityShape(mapper, entity.classes);
        loaded = [...shape.columns];
        owner = shape.owner;
        if (shape.from !== undefined) froms.push(shape.from);
        if (shape.where !== undefined) criteria.push(shape.where);
      }
      // An aliased entity's rows read by its alias name (`row.manager`), as SQLAlchemy keys them.
      const name = owner?.kind === "alias" ? owner.name : undefined;
      layout.push({ kind: "entity", mapper, columns: loaded, offset: columns.length, owner, ...(name === undefined ? {} : { name }) });
      for (const c of loaded) columns.push(owner === undefined ? c.column : isExpressionProperty(c) ? c.columnOn(owner) : columnOn(owner, c.column));
    } else if (isExpression(arg)) {
      layout.push({ kind: "column", offset: columns.length });
      columns.push(arg);
    } else if (arg instanceof FromClause) {
      throw new ArgumentError("select(): mix entities with columns, not with tables; select the table's columns instead");
    } else {
      throw new ArgumentError(`select() expects mapped classes or SQL expressions, got ${typeof arg}`);
    }
  }
  let node = withParents(coreSelect(...(columns as SelectArg[])) as Select<unknown>).node;
  if (froms.length > 0 || criteria.length > 0) {
    const where = criteria.length === 0 ? undefined : criteria.length === 1 ? criteria[0] : Object.freeze({ kind: "clause-list" as const, operator: "AND" as const, clauses: criteria });
    node = Object.freeze({ ...node, from: [...node.from, ...froms], ...(where === undefined ? {} : { where }) });
  }
  return new EntitySelect(node, layout) as never;
}
