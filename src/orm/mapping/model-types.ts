import type { DmlColumn } from "../../core/sql/dml-table.ts";
import type { Joinable } from "../../core/sql/join-target.ts";
import type { MappedColumnSpec } from "./mapped-column.ts";
import type { LoadStrategy, RelationshipSpec } from "./relationship.ts";
import type { CompositeSpec } from "./composite.ts";
import type { SynonymSpec } from "./synonym.ts";

declare const NOT_LOADED: unique symbol;

/** A model class's primary key as `session.get()` takes it (type only). */
export declare const PRIMARY_KEY: unique symbol;

/** The primary-key attributes of a declaration, with their types. */
type PrimaryKeyColumns<S extends ModelSpec> = {
  [K in keyof S as S[K] extends MappedColumnSpec<unknown, boolean, true> ? K : never]: S[K] extends MappedColumnSpec<infer T> ? T : never;
};

/**
 * What `session.get(Model, identity)` takes for a declaration: with one primary-key column of type
 * `T`, `T`, `[T]` or `{ id: T }`; with several, an object of them, or an array in the table's
 * column order (its element types are not checked).
 */
export type PrimaryKeyIdentity<S extends ModelSpec> = PrimaryKeyOf<PrimaryKeyColumns<S>>;

type PrimaryKeyOf<C> = [keyof C] extends [never]
  ? unknown
  : IsSingle<keyof C> extends true
    ? C[keyof C] | readonly [C[keyof C]] | { readonly [K in keyof C]: C[K] }
    : { readonly [K in keyof C]: C[K] } | readonly unknown[];

type IsSingle<K, All = K> = K extends unknown ? ([All] extends [K] ? true : false) : never;

declare const FIX: unique symbol;

/**
 * The type of a relationship (or deferred column) a query did not load. It has no members one can
 * read, so reading through it (`user.organization.name`) does not compile; `Fix` is the message
 * errors and hovers show, naming the fix: `NotLoaded<Post[], "posts is not loaded: add
 * selectinload(Model.posts) …">`. Load it with an option
 * (`select(User).options(selectinload(User.organization))`) or `await user.awaitableAttrs.organization`.
 */
export interface NotLoaded<T, Fix extends string = string> {
  readonly [NOT_LOADED]: T;
  readonly [FIX]: Fix;
}

/** The message of an unloaded relationship `K`. */
export type RelationshipFix<K extends string> =
  `${K} is not loaded: add selectinload(Model.${K}) or joinedload(Model.${K}) to the query's options, or read await obj.awaitableAttrs.${K}`;

/** The message of an unloaded (deferred) column `K`. */
export type ColumnFix<K extends string> =
  `${K} is not loaded (deferred): add undefer(Model.${K}) to the query's options, or read await obj.awaitableAttrs.${K}`;

/** A model declaration: attribute keys to mapped columns, relationships, synonyms and composites. */
export type ModelSpec = {
  readonly [key: string]: MappedColumnSpec<unknown> | RelationshipSpec<unknown, LoadStrategy> | SynonymSpec<string> | CompositeSpec<unknown>;
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

/** The declaration an instance type comes from (type only). */
export declare const MODEL_SPEC: unique symbol;

/**
 * What a relationship attribute records as its class, for loader chains: the declaration, held
 * invariantly (a class whose attributes are a superset of another's is not that class), and
 * independent of what is loaded, so a loaded, raiseloaded or deferred instance still matches its
 * class. Instances carry it as an optional phantom member.
 */
export type ModelParent<S extends ModelSpec> = {
  readonly [MODEL_SPEC]?: (spec: S) => S;
};

/**
 * What a model's class-level column (`User.name`) records about its class (type only): column
 * options (`defer(User.name)`) are rooted at that class, so they type only its entities.
 */
export interface ColumnOwner<P> {
  readonly __owner?: (owner: P) => void;
}

/** The class the columns of a column option belong to (`unknown`: none known, every entity). */
export type ColumnsRoot<C extends readonly unknown[]> = {
  [I in keyof C]: C[I] extends ColumnOwner<infer P> ? ([P] extends [never] ? never : unknown extends P ? never : P) : never;
}[number] extends infer R
  ? [R] extends [never]
    ? unknown
    : R
  : unknown;

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

/**
 * Keys `new Model({...})` must be given: NOT NULL columns nothing else fills at INSERT (see
 * `mappedColumn`), except `V`, the version counter the flush sets.
 */
export type RequiredInitKeys<S extends ModelSpec, V extends string = never> = Exclude<
  { [K in keyof S]: S[K] extends MappedColumnSpec<unknown, boolean, boolean, true> ? K : never }[keyof S],
  V
>;

type InitValue<S extends ModelSpec, K extends keyof S> = S[K] extends MappedColumnSpec<infer T>
  ? T
  : S[K] extends RelationshipSpec<infer T, LoadStrategy>
    ? T
    : never;

/**
 * What a constructor accepts: the required columns (`RequiredInitKeys`) and any subset of the other
 * attributes (relationships as loaded values).
 */
export type ModelInit<S extends ModelSpec, V extends string = never> = { [K in RequiredInitKeys<S, V>]: InitValue<S, K> } & {
  [K in Exclude<keyof S, RequiredInitKeys<S, V>>]?: InitValue<S, K>;
};

/** The constructor's parameters: `init` may be left out only when no key is required. */
export type ModelInitArgs<S extends ModelSpec, V extends string = never> = [RequiredInitKeys<S, V>] extends [never]
  ? [init?: ModelInit<S, V>]
  : [init: ModelInit<S, V>];

/** The object type a relationship relates to: a collection's element, or the scalar target. */
export type RelatedObject<T> = T extends readonly (infer E)[] ? E : Exclude<T, null | undefined>;

/**
 * A relationship as a class attribute, for loader options and joins: `User.organization`. `P` is
 * the instance type of the class it belongs to (its attributes), held contravariantly so a loader
 * chain can require that a step starts from the previous step's target (`never`: any class).
 */
export interface RelationshipAttributeType<T, K extends string, L extends LoadStrategy, P = never> extends Joinable {
  readonly kind: "relationship-attribute";
  readonly key: K;
  readonly __target: T;
  readonly __lazy: L;
  readonly __parent: (parent: P) => void;
}

/** The model's table columns as INSERT and UPDATE see them, keyed by attribute: `update(User).values({ name })`. */
export type ModelDmlColumns<S extends ModelSpec> = {
  readonly [K in ColumnKeys<S>]: S[K] extends MappedColumnSpec<infer T> ? DmlColumn<T, K> : never;
};

/**
 * `Loaded<User, "organization">`, `Loaded<User, "posts.comments">`: a user whose relationships on
 * these dot paths are known to be loaded (each prefix of a path too). Paths are what loader options
 * record: `"posts.comments"` for `selectinload(User.posts).selectinload(Post.comments)`; a segment
 * `"!posts"` (raiseload, lazyload, noload) makes `posts` not loaded, `"!*"` every relationship at
 * that level, and `"posts?"` (defaultload) descends without saying whether `posts` is loaded.
 * Columns take the same marks: `"bio"` (undefer, loadOnly) loaded, `"!bio"` (defer) not, and
 * `"="` (loadOnly) makes every column not named not loaded, but the primary key's.
 */
export type Loaded<E, P extends string> = [P] extends [never] ? E : LoadedObject<E, P>;

/** The paths below `K` (`"posts.comments"` → `"comments"` for `K = "posts"`). */
type SubPaths<P extends string, K extends string> = P extends `${K}.${infer R}` ? R : P extends `${K}?.${infer R}` ? R : never;

type LoadedObject<E, P extends string> = {
  [K in keyof E]: K extends string
    ? K extends P | FirstSegment<P>
      ? LoadedValue<Exclude<E[K], NotLoaded<unknown>>, SubPaths<P, K>>
      : `!${K}` extends P
        ? NotLoadedValue<E[K], K>
        : "=" extends P
          ? K extends LeftOutByLoadOnly<E>
            ? NotLoadedValue<E[K], K>
            : LoadedOtherwise<E, K, P>
          : LoadedOtherwise<E, K, P>
    : E[K];
};

/** The rest of `LoadedObject`'s decision for a key no loading or unloading mark names. */
type LoadedOtherwise<E, K extends keyof E & string, P extends string> =
  IsRelationshipValue<E[K]> extends false
    ? E[K]
    : "!*" extends P
      ? NotLoadedValue<E[K], K>
      : `${K}?` extends FirstSegment<P>
        ? E[K] extends NotLoaded<unknown>
          ? E[K]
          : LoadedValue<Exclude<E[K], NotLoaded<unknown>>, SubPaths<P, K>> | Extract<E[K], NotLoaded<unknown>>
        : E[K];

/** The declaration an instance type comes from. */
type SpecOf<E> = E extends { readonly [MODEL_SPEC]?: (spec: infer S) => unknown } ? S : never;

/** The columns `loadOnly()` leaves out unless it names them: every column but the primary key's. */
type LeftOutByLoadOnly<E> = SpecOf<E> extends infer S
  ? { [K in keyof S]: S[K] extends MappedColumnSpec<unknown, boolean, false> ? K : never }[keyof S]
  : never;

/** `"posts.comments"` → `"posts"`; `"posts?.comments"` → `"posts?"`. */
type FirstSegment<P extends string> = P extends `${infer H}.${string}` ? H : P;

/** Whether an attribute's value is a relationship's (it may be unloaded, or its target is a mapped object). */
type IsRelationshipValue<V> = [Extract<V, NotLoaded<unknown>>] extends [never] ? (RelatedObject<V> extends { readonly awaitableAttrs: unknown } ? true : false) : true;

/** An attribute's value made not loaded (raiseload, lazyload, noload, defer), keeping its message if it had one. */
type NotLoadedValue<V, K extends string> = [Extract<V, NotLoaded<unknown>>] extends [never]
  ? NotLoaded<V, IsRelationshipValue<V> extends true ? RelationshipFix<K> : ColumnFix<K>>
  : Extract<V, NotLoaded<unknown>>;

/** A loaded relationship's value with the paths below it applied to its objects. */
type LoadedValue<V, P extends string> = [P] extends [never]
  ? V
  : V extends readonly (infer X)[]
    ? Loaded<X, P>[]
    : V extends null | undefined
      ? V
      : Loaded<V, P>;
