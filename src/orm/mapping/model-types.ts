import type { DmlColumn } from "../../core/sql/dml-table.ts";
import type { Joinable } from "../../core/sql/join-target.ts";
import type { MappedColumnSpec } from "./mapped-column.ts";
import type { LoadStrategy, RelationshipSpec } from "./relationship.ts";

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

/** The model's table columns as INSERT and UPDATE see them, keyed by attribute: `update(User).values({ name })`. */
export type ModelDmlColumns<S extends ModelSpec> = {
  readonly [K in ColumnKeys<S>]: S[K] extends MappedColumnSpec<infer T> ? DmlColumn<T, K> : never;
};

/** `Loaded<User, "organization">`: a user whose `organization` is known to be loaded. */
export type Loaded<E, K extends keyof E> = E & { [P in K]: Exclude<E[P], NotLoaded<unknown>> };
