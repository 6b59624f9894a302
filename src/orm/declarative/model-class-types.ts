import type { ColumnElement } from "../../core/sql/column-element.ts";
import type { Expression } from "../../core/sql/coercions.ts";
import type { ColumnRef } from "../../core/sql/from-clause.ts";
import type { ALIASED_ENTITY } from "../mapper/entity-alias.ts";
import type { MappedColumnSpec } from "../mapping/mapped-column.ts";
import type { ColumnFix, ModelInit, ModelParent, ModelSpec, NotLoaded, PRIMARY_KEY, PrimaryKeyIdentity, RelationshipFix, RelatedObject, RelationshipAttributeType } from "../mapping/model-types.ts";
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

/** What a model's constructor takes: `ModelInit`, with synonyms and composites as their values. */
export type ModelConstructorInit<S extends ModelSpec> = Omit<ModelInit<S>, ComputedKeys<S>> & {
  [K in ComputedKeys<S>]?: S[K] extends SynonymSpec<infer N> ? ModelInit<S>[N & keyof S] : S[K] extends CompositeSpec<infer T> ? T : never;
};

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
  /** The relationship leading to an alias of its target (SQLAlchemy's `of_type()`): `User.manager.ofType(Manager)`. */
  ofType(entity: { readonly [ALIASED_ENTITY]: unknown }): ModelRelationship<T, K, L, P>;
}

/** A relationship as the model class offers it: attribute and comparators (`User.posts.any()`). */
export type ModelRelationship<T, K extends string, L extends LoadStrategy, P = never> = RelationshipAttributeType<T, K, L, P> &
  RelationshipComparators<T, K, L, P>;

/** The class-level attributes: columns as SQL expressions, relationships as attributes; the primary key's type for `session.get()`. */
export type ModelStatics<S extends ModelSpec> = ModelAttributesStatics<S> & { readonly [PRIMARY_KEY]?: PrimaryKeyIdentity<S> };

type ModelAttributesStatics<S extends ModelSpec> = {
  readonly [K in keyof S & string]: S[K] extends MappedColumnSpec<infer T>
    ? ColumnRef<T, K>
    : S[K] extends RelationshipSpec<infer T, infer L>
      ? ModelRelationship<T, K, L, ModelParent<S>>
      : S[K] extends SynonymSpec<infer N>
        ? ModelAttributesStatics<S>[N & keyof S & string]
        : S[K] extends CompositeSpec<infer T>
          ? CompositeAttribute<T>
          : never;
};
