import { ArgumentError } from "../../shared/errors.ts";
import { type Expression, coerceToClause } from "../../core/sql/coercions.ts";
import type { FromNode, Node } from "../../core/sql/nodes.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import { replaceOwner } from "../mapper/replace-owner.ts";

/** A mapped class. */
type EntityClass = abstract new (...args: never[]) => object;

/** The criteria of `withLoaderCriteria()`: an expression, or a function of the class it applies to. */
export type LoaderCriteria<C extends EntityClass> = Expression<boolean> | ((entity: C) => Expression<boolean>);

/** How far `withLoaderCriteria()` reaches. */
export interface LoaderCriteriaOptions {
  /** Also apply to aliases of the entity the statement selects or joins (`aliased(User)`). Default false. */
  readonly includeAliases?: boolean;
  /**
   * Also apply to the relationship loads the statement leads to: joined eager loads and the lazy
   * and immediate loads of the instances it returns (which keep the option). Default true.
   * Selectin and subquery loads run with every option of the statement, so they apply it either way.
   */
  readonly propagateToLoaders?: boolean;
}

/**
 * A statement option adding criteria to every appearance of an entity (SQLAlchemy's
 * `LoaderCriteriaOption`): see `withLoaderCriteria()`. Immutable.
 */
export class LoaderCriteriaOption {
  readonly kind = "loader-criteria";
  /** The mapped class named (a subclass of it is covered too, as SQLAlchemy covers a mapper's descendants). */
  readonly entity: EntityClass;
  readonly includeAliases: boolean;
  readonly propagateToLoaders: boolean;
  readonly #criteria: LoaderCriteria<EntityClass>;
  /** The criteria per mapper, against its table: a function form runs once per class. */
  readonly #resolved = new Map<Mapper, Node>();

  constructor(entity: EntityClass, criteria: LoaderCriteria<EntityClass>, options: LoaderCriteriaOptions = {}) {
    this.entity = entity;
    this.#criteria = criteria;
    this.includeAliases = options.includeAliases ?? false;
    this.propagateToLoaders = options.propagateToLoaders ?? true;
    Object.freeze(this);
  }

  /** Whether the option covers `mapper`'s entities: its class is the one named or a subclass of it. */
  appliesTo(mapper: Mapper): boolean {
    const cls = mapper.modelClass;
    return cls !== undefined && (cls === this.entity || Object.prototype.isPrototypeOf.call(this.entity, cls));
  }

  /**
   * The criteria for `mapper`'s rows as they appear under `owner` (its table, or an alias of it,
   * where the criteria's columns are moved, as SQLAlchemy adapts them).
   */
  criteriaOn(mapper: Mapper, owner: FromNode = mapper.table.node): Node {
    let node = this.#resolved.get(mapper);
    if (node === undefined) {
      const criteria = this.#criteria;
      const expression = typeof criteria === "function" ? criteria(mapper.modelClass as EntityClass) : criteria;
      node = coerceToClause(expression, `withLoaderCriteria(${mapper.className})`);
      this.#resolved.set(mapper, node);
    }
    return owner === mapper.table.node ? node : replaceOwner(node, mapper.table.node, owner);
  }

  toString(): string {
    return `withLoaderCriteria(${this.entity.name || "(anonymous)"})`;
  }
}

/**
 * Adds criteria to every appearance of an entity in a statement (SQLAlchemy's
 * `with_loader_criteria`): the entity selected (WHERE), joined to (`ON … AND`), joined eagerly
 * (the eager join's ON), and the relationship loads that follow (selectin, subquery, immediate
 * and lazy loads: their WHERE). The function form builds the criteria from the class it is
 * given, once per class; for an alias they are moved onto the alias.
 *
 * ```ts
 * select(User).options(selectinload(User.posts), withLoaderCriteria(Post, Post.deleted.eq(false)))
 * // SELECT … FROM users
 * // SELECT posts.user_id, … FROM posts WHERE posts.user_id IN (?, ?) AND posts.deleted = ?
 * select(User).join(User.posts).options(withLoaderCriteria(Post, (cls) => cls.deleted.eq(false)))
 * // SELECT … FROM users JOIN posts ON users.id = posts.user_id AND posts.deleted = ?
 * ```
 *
 * It does not apply when an object is refreshed or its expired attributes load (as SQLAlchemy).
 */
export function withLoaderCriteria<C extends EntityClass>(entity: C, criteria: LoaderCriteria<C>, options: LoaderCriteriaOptions = {}): LoaderCriteriaOption {
  const mapper = mapperOfClass(entity);
  if (mapper === undefined) {
    // SQLAlchemy also takes an unmapped base class of several mapped ones; a model here extends its
    // own `Base.model(…)` class, so there is no such base to name: one option per class does it.
    const got = typeof entity === "function" ? `the unmapped class ${(entity as EntityClass).name || "(anonymous)"}` : String(entity);
    throw new ArgumentError(`withLoaderCriteria() takes a mapped class such as User (an aliased class is covered with includeAliases), got ${got}`);
  }
  mapper.ensureRegistered(entity);
  if (typeof criteria !== "function") coerceToClause(criteria, `withLoaderCriteria(${entity.name})`);
  return new LoaderCriteriaOption(entity, criteria as LoaderCriteria<EntityClass>, options);
}

/** The criteria the options give `mapper`'s rows under `owner`, in option order. */
export function entityCriteria(options: readonly LoaderCriteriaOption[], mapper: Mapper, owner?: FromNode): Node[] {
  const nodes: Node[] = [];
  for (const option of options) if (option.appliesTo(mapper)) nodes.push(option.criteriaOn(mapper, owner));
  return nodes;
}
