import { ArgumentError } from "../../shared/errors.ts";
import type { ColumnRef } from "../../core/sql/from-clause.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { LoadStrategy } from "../mapping/relationship.ts";
import type { RelationshipAttributeType } from "../mapping/model-types.ts";
import {
  type ColumnsAndFlags,
  LoaderOption,
  type LoadStep,
  type RelationshipRef,
  columnDirective,
  containsEagerStep,
  raiseStep,
  step,
  wildcardStep,
} from "./loader-option.ts";

/** The key a typed relationship attribute names, so options can say what they load. */
type KeyOf<A> = A extends RelationshipAttributeType<unknown, infer K, LoadStrategy> ? K : string;

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
export function Load(entity: abstract new (...args: never[]) => object): BoundLoad {
  const mapper = mapperOfClass(entity);
  if (mapper === undefined) {
    throw new ArgumentError(`Load() takes a mapped class such as User (an aliased class is not supported yet), got ${String((entity as { name?: string })?.name ?? entity)}`);
  }
  return new BoundLoad(mapper);
}

/** The options of one entity, before their first step: each method returns the `LoaderOption` that starts there. */
export class BoundLoad {
  readonly #mapper: Mapper;

  constructor(mapper: Mapper) {
    this.#mapper = mapper;
    Object.freeze(this);
  }

  joinedload<A extends RelationshipRef>(attribute: A, options: { innerjoin?: boolean | "unnested" } = {}): LoaderOption<KeyOf<A>> {
    return this.#start(step(attribute, "joined", options));
  }

  selectinload<A extends RelationshipRef>(attribute: A): LoaderOption<KeyOf<A>> {
    return this.#start(step(attribute, "selectin"));
  }

  subqueryload<A extends RelationshipRef>(attribute: A): LoaderOption<KeyOf<A>> {
    return this.#start(step(attribute, "subquery"));
  }

  immediateload<A extends RelationshipRef>(attribute: A): LoaderOption<KeyOf<A>> {
    return this.#start(step(attribute, "immediate"));
  }

  containsEager<A extends RelationshipRef>(attribute: A): LoaderOption<KeyOf<A>> {
    return this.#start(containsEagerStep(attribute));
  }

  lazyload(attribute: RelationshipRef | "*"): LoaderOption<never> {
    return this.#start(wildcardStep(attribute, "select"));
  }

  /** `Load(User).raiseload("*")`: every relationship of this entity (not the statement's other entities) raises. */
  raiseload(attribute: RelationshipRef | "*", options: { sqlOnly?: boolean } = {}): LoaderOption<never> {
    return this.#start(raiseStep(attribute, options));
  }

  noload(attribute: RelationshipRef | "*"): LoaderOption<never> {
    return this.#start(wildcardStep(attribute, "noload"));
  }

  defaultload(attribute: RelationshipRef): LoaderOption<never> {
    return this.#start(step(attribute, "default"));
  }

  loadOnly(...columns: ColumnsAndFlags): LoaderOption<never> {
    return new LoaderOption([], [columnDirective("loadOnly", columns)], true, this.#mapper);
  }

  defer(...columns: ColumnsAndFlags): LoaderOption<never> {
    return new LoaderOption([], [columnDirective("defer", columns)], true, this.#mapper);
  }

  undefer(...columns: readonly ColumnRef<unknown, string>[]): LoaderOption<never> {
    return new LoaderOption([], [columnDirective("undefer", columns)], true, this.#mapper);
  }

  toString(): string {
    return `Load(${this.#mapper.className})`;
  }

  #start<K extends string>(first: LoadStep): LoaderOption<K> {
    return new LoaderOption<K>([first], [], false, this.#mapper);
  }
}
