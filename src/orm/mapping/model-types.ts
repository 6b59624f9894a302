import type { ColumnRef } from "../../core/sql/from-clause.ts";
import type { DmlColumn } from "../../core/sql/dml-table.ts";
import type { Joinable } from "../../core/sql/join-target.ts";
import type { ColumnElement } from "../../core/sql/column-element.ts";
import type { Expression } from "../../core/sql/coercions.ts";
import type { ALIASED_ENTITY } from "../mapper/entity-alias.ts";
import type { MappedColumnSpec } from "./mapped-column.ts";
import type { WriteOnlyCollection } from "../mapper/write-only-collection.ts";
import type { EagerStrategy, LoadStrategy, RelationshipSpec } from "./relationship.ts";

declare const NOT_LOADED: unique symbol;

/**
 * The type of a relationship a query did not load. It has no members, so reading through it
 * (`user.organization.name`) does not compile; load it with an option
 * (`select(User).options(selectinload(User.organization))`) or `await user.awaitableAttrs.organization`.
 */
export interface NotLoaded<T> {
  readonly [NOT_LOADED]: T;
}

/** A model declaration: attribute keys to mapped columns and relationships. */
export type ModelSpec = {
  readonly [key: string]: MappedColumnSpec<unknown> | RelationshipSpec<unknown, LoadStrategy>;
};

/** The instance attributes a declaration gives: column values, and relationships typed by their default strategy. */
export type ModelAttributes<S extends ModelSpec> = {
  -readonly [K in keyof S]: S[K] extends MappedColumnSpec<infer T>
    ? T
    : S[K] extends RelationshipSpec<infer T, infer L>
      ? L extends "write_only"
        ? WriteOnlyCollection<T extends readonly (infer E)[] ? E & object : never>
        : L extends EagerStrategy
          ? T
          : T | NotLoaded<T>
      : never;
};

/**
 * `obj.awaitableAttrs.x`: each attribute as a promise of its loaded value (SQLAlchemy's
 * `AsyncAttrs`), the explicit way to load a lazy relationship or an expired column.
 */
export type AwaitableAttributes<S extends ModelSpec> = {
  readonly awaitableAttrs: {
    readonly [K in keyof S]: Promise<
      S[K] extends MappedColumnSpec<infer T> ? T : S[K] extends RelationshipSpec<infer T, LoadStrategy> ? T : never
    >;
  };
};

/** Keys of the column attributes of a declaration. */
export type ColumnKeys<S extends ModelSpec> = {
  [K in keyof S]: S[K] extends MappedColumnSpec<unknown> ? K : never;
}[keyof S] &
  string;

/** Keys of the relationship attributes of a declaration. */
export type RelationshipKeys<S extends ModelSpec> = {
  [K in keyof S]: S[K] extends RelationshipSpec<unknown, LoadStrategy> ? K : never;
}[keyof S] &
  string;

/** What a constructor accepts: any subset of the attributes (relationships as loaded values). */
export type ModelInit<S extends ModelSpec> = {
  [K in keyof S]?: S[K] extends MappedColumnSpec<infer T> ? T : S[K] extends RelationshipSpec<infer T, LoadStrategy> ? T : never;
};

/** The object type a relationship relates to: a collection's element, or the scalar target. */
export type RelatedObject<T> = T extends readonly (infer E)[] ? E : Exclude<T, null | undefined>;

/** A relationship as a class attribute, for loader options and joins: `User.organization`. */
export interface RelationshipAttributeType<T, K extends string, L extends LoadStrategy> extends Joinable {
  readonly kind: "relationship-attribute";
  readonly key: K;
  readonly __target: T;
  readonly __lazy: L;
}

/**
 * The comparators of a relationship attribute. `any()` and `contains()` exist for collections,
 * `has()` and comparing with an object for scalar references (SQLAlchemy raises for the other
 * pairings; here they do not compile).
 */
export interface RelationshipComparators<T, K extends string, L extends LoadStrategy> {
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
  and(...criteria: readonly Expression<boolean>[]): ModelRelationship<T, K, L>;
  /** The relationship leading to an alias of its target (SQLAlchemy's `of_type()`): `User.manager.ofType(Manager)`. */
  ofType(entity: { readonly [ALIASED_ENTITY]: unknown }): ModelRelationship<T, K, L>;
}

/** A relationship as the model class offers it: attribute and comparators (`User.posts.any()`). */
export type ModelRelationship<T, K extends string, L extends LoadStrategy> = RelationshipAttributeType<T, K, L> & RelationshipComparators<T, K, L>;

/** The class-level attributes: columns as SQL expressions, relationships as attributes. */
export type ModelStatics<S extends ModelSpec> = {
  readonly [K in keyof S & string]: S[K] extends MappedColumnSpec<infer T>
    ? ColumnRef<T, K>
    : S[K] extends RelationshipSpec<infer T, infer L>
      ? ModelRelationship<T, K, L>
      : never;
};

/** The model's table columns as INSERT and UPDATE see them, keyed by attribute: `update(User).values({ name })`. */
export type ModelDmlColumns<S extends ModelSpec> = {
  readonly [K in ColumnKeys<S>]: S[K] extends MappedColumnSpec<infer T> ? DmlColumn<T, K> : never;
};

/** `Loaded<User, "organization">`: a user whose `organization` is known to be loaded. */
export type Loaded<E, K extends keyof E> = E & { [P in K]: Exclude<E[P], NotLoaded<unknown>> };
