import { ArgumentError } from "../../shared/errors.ts";
import { alias } from "../../core/sql/alias.ts";
import type { Alias, ColumnCollection, FromClause } from "../../core/sql/from-clause.ts";
import type { DML_TARGET } from "../../core/sql/dml-target.ts";
import { JOIN_TARGET } from "../../core/sql/join-target.ts";
import type { TableNode } from "../../core/sql/nodes.ts";
import { classAttributesOf } from "../mapper/class-attribute.ts";
import { ALIASED_ENTITY, type AliasedEntity } from "../mapper/entity-alias.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import { RelationshipAttribute } from "../mapper/relationship-attribute.ts";

/** A mapped class as a select argument. */
type EntityClass = abstract new (...args: never[]) => object;

/**
 * A mapped class under another name (SQLAlchemy's `AliasedClass`): the class's attributes, with
 * columns and relationships on the alias, and no constructor. Its rows are instances of the class.
 */
export type AliasedClass<C extends EntityClass> = Omit<C, "prototype" | typeof DML_TARGET> & {
  readonly [ALIASED_ENTITY]: AliasedEntity;
  /** Phantom: the instances its rows hold. */
  readonly __entity: InstanceType<C>;
};

/**
 * `aliased(User, { name: "manager" })`: the class as `users AS manager`, to select or join it a
 * second time (self-referential joins, two roles of one class). Its attributes render on the alias
 * (`Manager.name` → `manager.name`) and its rows load as `User` objects, into the same identity
 * map as `User`'s. Without a name the alias is named anonymously (`users_1`). For a table,
 * `aliased(table, "name")` is Core's `alias()`.
 *
 * ```ts
 * const Manager = aliased(User, { name: "manager" });
 * select(User, Manager).join(Manager, User.managerId.eq(Manager.id))
 * // SELECT users.id, …, manager.id, … FROM users JOIN users AS manager ON users.manager_id = manager.id
 * select(User).join(User.manager.ofType(Manager)).where(Manager.name.eq("ann"))
 * select(User).join(Manager, User.manager)                // the same join
 * ```
 */
export function aliased<C extends EntityClass>(entity: C, options?: { readonly name?: string }): AliasedClass<C>;
export function aliased<C extends ColumnCollection>(table: FromClause<C> & { readonly node: TableNode }, name?: string): Alias<C>;
export function aliased(target: unknown, options?: string | { readonly name?: string }): unknown {
  const name = typeof options === "string" ? options : options?.name;
  const mapper = mapperOfClass(target);
  if (mapper === undefined) {
    if (typeof target === "function") throw new ArgumentError(`aliased() takes a mapped class or a table, got the unmapped class ${target.name || "(anonymous)"}`);
    return alias(target as FromClause & { readonly node: TableNode }, name);
  }
  mapper.ensureRegistered(target as EntityClass);
  const tableAlias = alias(mapper.table, name) as Alias;
  const entity: AliasedEntity = Object.freeze({ mapper, alias: tableAlias });
  const aliasedClass: Record<string | symbol, unknown> = {};
  for (const column of mapper.columns) aliasedClass[column.key] = tableAlias.c[column.key];
  for (const property of mapper.relationships) {
    aliasedClass[property.key] = new RelationshipAttribute(mapper, property, { parentAlias: tableAlias });
  }
  // Hybrids: their expressions with the table's columns moved onto the alias.
  for (const [key, attribute] of classAttributesOf(target as EntityClass)) {
    if (attribute.adaptTo) aliasedClass[key] = attribute.adaptTo(mapper.table.node, tableAlias.node);
  }
  aliasedClass[ALIASED_ENTITY] = entity;
  // As a join or FROM target (`join(Manager, …)`, `selectFrom(Manager)`), the alias is a table.
  aliasedClass[JOIN_TARGET] = () => [{ target: tableAlias, on: undefined }];
  Object.defineProperty(aliasedClass, "toString", { value: () => `aliased(${mapper.className}, ${JSON.stringify(tableAlias.node.kind === "alias" ? tableAlias.node.name : "")})` });
  return Object.freeze(aliasedClass);
}
