import type { ColumnElement } from "../../core/sql/column-element.ts";
import type { Expression } from "../../core/sql/coercions.ts";
import type { ColumnRef } from "../../core/sql/from-clause.ts";
import type { ALIASED_ENTITY } from "../mapper/entity-alias.ts";
import type { MappedColumnSpec } from "../mapping/mapped-column.ts";
import type { ColumnFix, ColumnOwner, ModelInit, ModelParent, ModelSpec, NotLoaded, PRIMARY_KEY, PrimaryKeyIdentity, RelationshipFix, RelatedObject, RelationshipAttributeType, RequiredInitKeys } from "../mapping/model-types.ts";
import type { EagerStrategy, LoadStrategy, RelationshipSpec } from "../mapping/relationship.ts";
import type { WriteOnlyCollection } from "../strategies/write-only-collection.ts";
import type { CompositeSpec } from "../mapping/composite.ts";
import type { SynonymSpec } from "../mapping/synonym.ts";
import type { CompositeAttribute } from "./composite-attribute.ts";

/**
 * The instance attributes a declaration gives: column values (a deferred column's as maybe not
 * loaded), and relationships typed by their default strategy.
 */
export type ModelAttributes<S extends ModelSpec> = ModelParent<S> & ModelAttributeValues<S>;

type ModelAttributeValues<S extends ModelSpec> = {
  -readonly [K in keyof S]: S[K] extends MappedColumnSpec<infer T, infer D>
    ? D extends true
      ? T | NotLoaded<T, ColumnFix<K & string>>
      : T
    : S[K] extends RelationshipSpec<infer T, infer L>
      ? L extends "write_only"
        ? WriteOnlyCollection<T extends readonly (infer E)[] ? E & object : never>
        : L extends EagerStrategy
          ? T
          : T | NotLoaded<T, RelationshipFix<K & string>>
      : S[K] extends SynonymSpec<infer N>
        ? ModelAttributeValues<S>[N & keyof S]
        : S[K] extends CompositeSpec<infer T>
          ? T
          : never;
};

/** Keys of the synonyms and composites of a declaration. */
type ComputedKeys<S extends ModelSpec> = { [K in keyof S]: S[K] extends SynonymSpec<string> | CompositeSpec<unknown> ? K : never }[keyof S];

/** The column keys composites and synonyms cover: given through them, they are not required on their own. */
type CoveredColumnKeys<S extends ModelSpec> = {
  [K in keyof S]: S[K] extends CompositeSpec<unknown, infer C> ? C[number] : S[K] extends SynonymSpec<infer N> ? N : never;
}[keyof S] &
  string;

/**
 * What a model's constructor takes: `ModelInit` (its required keys but `V` and composites'
 * columns), with synonyms and composites as their values.
 */
export type ModelConstructorInit<S extends ModelSpec, V extends string = never> = Omit<ModelInit<S, V | CoveredColumnKeys<S>>, ComputedKeys<S>> & {
  [K in ComputedKeys<S>]?: S[K] extends SynonymSpec<infer N>
    ? S[N & keyof S] extends MappedColumnSpec<infer T>
      ? T
      : S[N & keyof S] extends RelationshipSpec<infer T, LoadStrategy>
        ? T
        : never
    : S[K] extends CompositeSpec<infer T>
      ? T
      : never;
};

/** The constructor's parameters: `init` may be left out only when no key is required. */
export type ModelConstructorArgs<S extends ModelSpec, V extends string = never> = [RequiredInitKeys<S, V | CoveredColumnKeys<S>>] extends [never]
  ? [init?: ModelConstructorInit<S, V>]
  : [init: ModelConstructorInit<S, V>];

/**
 * The comparators of a relationship attribute. `any()` and `contains()` exist for collections,
 * `has()` and comparing with an object for scalar references (SQLAlchemy raises for the other
 * pairings; here they do not compile).
 */
export interface RelationshipComparators<T, K extends string, L extends LoadStrategy, P = never> {
  /** `EXISTS (SELECT 1 FROM target WHERE <join> [AND criterion])`: the collection has a (matching) member. */
  readonly any: [T] extends [readonly unknown[]] ? (criterion?: Expression<boolean>) => ColumnElement<boolean> : never;
  /** `EXISTS (SELECT 1 FROM target WHERE <join> [AND criterion])`: the reference is set (and matches). */
  readonly has: [T] extends [readonly unknown[]] ? never : (criterion?: Expression<boolean>) => ColumnElement<boolean>;
  /** The collection holds `item`: `parent.id = ?` (the item's foreign key). */
  readonly contains: [T] extends [readonly unknown[]] ? (item: RelatedObject<T>) => ColumnElement<boolean> : never;
  /** The reference is `other` (`? = child.fk`); with `null`, unset (`fk IS NULL`), or for a collection, empty. */
  eq(other: ([T] extends [readonly unknown[]] ? never : RelatedObject<T>) | null): ColumnElement<boolean>;
  /** The negation of `eq()`. */
  ne(other: ([T] extends [readonly unknown[]] ? never : RelatedObject<T>) | null): ColumnElement<boolean>;
  /** The relationship with criteria added to its join condition (SQLAlchemy's `and_()`). */
  and(...criteria: readonly Expression<boolean>[]): ModelRelationship<T, K, L, P>;
  /**
   * The relationship leading to an alias of its target (SQLAlchemy's `of_type()`):
   * `User.manager.ofType(Manager)`; or to a subclass of its target, whose tables (and, for
   * single-table inheritance, discriminator values) a join then takes in: `Firm.people.ofType(Engineer)`.
   */
  ofType(entity: { readonly [ALIASED_ENTITY]: unknown } | (abstract new (...args: never[]) => RelatedObject<T>)): ModelRelationship<T, K, L, P>;
}

/** A relationship as the model class offers it: attribute and comparators (`User.posts.any()`). */
export type ModelRelationship<T, K extends string, L extends LoadStrategy, P = never> = RelationshipAttributeType<T, K, L, P> &
  RelationshipComparators<T, K, L, P>;

/** The class-level attributes: columns as SQL expressions, relationships as attributes; the primary key's type for `session.get()`. */
export type ModelStatics<S extends ModelSpec> = ModelAttributesStatics<S> & { readonly [PRIMARY_KEY]?: PrimaryKeyIdentity<S> };

type ModelAttributesStatics<S extends ModelSpec> = {
  readonly [K in keyof S & string]: S[K] extends MappedColumnSpec<infer T>
    ? ColumnRef<T, K> & ColumnOwner<ModelParent<S>>
    : S[K] extends RelationshipSpec<infer T, infer L>
      ? ModelRelationship<T, K, L, ModelParent<S>>
      : S[K] extends SynonymSpec<infer N>
        ? ModelAttributesStatics<S>[N & keyof S & string]
        : S[K] extends CompositeSpec<infer T>
          ? CompositeAttribute<T>
          : never;
};
