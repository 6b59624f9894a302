import { ArgumentError } from "../../shared/errors.ts";
import type { ColumnRef } from "../../core/sql/from-clause.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import type { Mapper } from "../mapper/mapper.ts";
import {
  type ColumnKeysOf,
  type ColumnsAndFlags,
  type ColumnTarget,
  type KeyOf,
  LoaderOption,
  type LoadStep,
  type Started,
  type RelationshipOf,
  type Unloads,
  columnDirective,
  containsEagerStep,
  raiseStep,
  step,
  wildcardStep,
} from "./loader-option.ts";

/**
 * `Load(User)`: loader options that start from one entity of the statement (SQLAlchemy's `Load`),
 * for a statement with several entities, or a wildcard meant for one of them:
 *
 * ```ts
 * select(User, Post).join(User.posts).options(Load(User).raiseload("*"))   // User's relationships raise, Post's keep theirs
 * select(User).options(Load(User).selectinload(User.posts).joinedload(Post.tags))
 * ```
 *
 * A statement without the entity refuses the option (`ArgumentError`), naming both.
 */
export function Load<E extends abstract new (...args: never[]) => object>(entity: E): BoundLoad<InstanceType<E>> {
  const mapper = mapperOfClass(entity);
  if (mapper === undefined) {
    throw new ArgumentError(`Load() takes a mapped class such as User (an aliased class is not supported yet), got ${String((entity as { name?: string })?.name ?? entity)}`);
  }
  return new BoundLoad<InstanceType<E>>(mapper);
}

/**
 * The options of one entity, before their first step: each method returns the `LoaderOption` that
 * starts there, rooted at `E` (so it types only that entity of a statement's rows), whose first
 * step must be one of `E`'s relationships.
 */
export class BoundLoad<E = unknown> {
  declare readonly __entity: E;
  readonly #mapper: Mapper;

  constructor(mapper: Mapper) {
    this.#mapper = mapper;
    Object.freeze(this);
  }

  joinedload<A extends RelationshipOf<E>>(attribute: A, options: { innerjoin?: boolean | "unnested" } = {}): Started<A, KeyOf<A>, E> {
    return this.#start(step(attribute, "joined", options));
  }

  selectinload<A extends RelationshipOf<E>>(attribute: A): Started<A, KeyOf<A>, E> {
    return this.#start(step(attribute, "selectin"));
  }

  subqueryload<A extends RelationshipOf<E>>(attribute: A): Started<A, KeyOf<A>, E> {
    return this.#start(step(attribute, "subquery"));
  }

  immediateload<A extends RelationshipOf<E>>(attribute: A): Started<A, KeyOf<A>, E> {
    return this.#start(step(attribute, "immediate"));
  }

  containsEager<A extends RelationshipOf<E>>(attribute: A): Started<A, KeyOf<A>, E> {
    return this.#start(containsEagerStep(attribute));
  }

  lazyload<A extends RelationshipOf<E> | "*">(attribute: A): Started<A, Unloads<A>, E> {
    return this.#start(wildcardStep(attribute, "select"));
  }

  /** `Load(User).raiseload("*")`: every relationship of this entity (not the statement's other entities) raises. */
  raiseload<A extends RelationshipOf<E> | "*">(attribute: A, options: { sqlOnly?: boolean } = {}): Started<A, Unloads<A>, E> {
    return this.#start(raiseStep(attribute, options));
  }

  noload<A extends RelationshipOf<E> | "*">(attribute: A): Started<A, Unloads<A>, E> {
    return this.#start(wildcardStep(attribute, "noload"));
  }

  defaultload<A extends RelationshipOf<E>>(attribute: A): Started<A, `${KeyOf<A>}?`, E> {
    return this.#start(step(attribute, "default"));
  }

  loadOnly<const C extends ColumnsAndFlags>(...columns: C): LoaderOption<E, ColumnKeysOf<C> | "=", "", never> {
    return new LoaderOption([], [columnDirective("loadOnly", columns)], true, this.#mapper) as never;
  }

  defer<const C extends ColumnsAndFlags>(...columns: C): LoaderOption<E, `!${ColumnKeysOf<C>}`, "", never> {
    return new LoaderOption([], [columnDirective("defer", columns)], true, this.#mapper) as never;
  }

  undefer<const C extends readonly ColumnTarget[]>(...columns: C): LoaderOption<E, ColumnKeysOf<C>, "", never> {
    return new LoaderOption([], [columnDirective("undefer", columns)], true, this.#mapper) as never;
  }

  toString(): string {
    return `Load(${this.#mapper.className})`;
  }

  #start(first: LoadStep): never {
    return new LoaderOption([first], [], false, this.#mapper) as never;
  }
}
