import { ArgumentError } from "../../shared/errors.ts";
import type { ColumnRef } from "../../core/sql/from-clause.ts";
import type { ColumnsRoot } from "../mapping/model-types.ts";
import {
  type ColumnKeysOf,
  type ColumnsAndFlags,
  type ColumnTarget,
  type KeyOf,
  LoaderOption,
  type RelationshipRef,
  type Started,
  type Unloads,
  columnDirective,
  containsEagerStep,
  raiseStep,
  step,
  wildcardStep,
} from "./loader-option.ts";

/**
 * Load the relationship in the same statement with a LEFT OUTER JOIN (`innerjoin: true`: INNER
 * JOIN, which also drops parents without a related row).
 *
 * Every loader option takes a relationship narrowed by `and()`: the load then selects only the
 * related rows that match (`joinedload`: in the eager join's ON; `selectinload`, `subqueryload`,
 * `immediateload`, `lazyload`: in the child statement's WHERE). A collection already loaded is
 * not reloaded unless the statement has `populateExisting`.
 *
 * ```ts
 * select(User).options(joinedload(User.organization))
 * // SELECT users.*, organizations_1.* FROM users LEFT OUTER JOIN organizations AS organizations_1 ON organizations_1.id = users.organization_id
 * ```
 */
export function joinedload<A extends RelationshipRef>(attribute: A, options: { innerjoin?: boolean | "unnested" } = {}): Started<A, KeyOf<A>> {
  return new LoaderOption([step(attribute, "joined", options)]) as never;
}

/**
 * Load the relationship with a second statement, `WHERE <key> IN (…)` over the parents' keys, 500
 * keys per statement.
 *
 * ```ts
 * select(User).options(selectinload(User.posts.and(Post.published.eq(true))))
 * // SELECT posts.user_id, posts.* FROM posts WHERE posts.user_id IN (?, ?) AND posts.published = ?
 * ```
 */
export function selectinload<A extends RelationshipRef>(attribute: A): Started<A, KeyOf<A>> {
  return new LoaderOption([step(attribute, "selectin")]) as never;
}

/** Load the relationship with a second statement that joins the original query, as a subquery, to the related table. */
export function subqueryload<A extends RelationshipRef>(attribute: A): Started<A, KeyOf<A>> {
  return new LoaderOption([step(attribute, "subquery")]) as never;
}

/** Load the relationship for each parent as it loads, one statement per parent (inside the awaited call). */
export function immediateload<A extends RelationshipRef>(attribute: A): Started<A, KeyOf<A>> {
  return new LoaderOption([step(attribute, "immediate")]) as never;
}

/**
 * Leave the relationship (`"*"`: every one) lazy for this query (under the async API: load it
 * explicitly). With `and()` criteria, the instances keep them: their load of the relationship
 * (`awaitableAttrs`, `refresh(obj, [key])`) selects only matching rows.
 */
export function lazyload<A extends RelationshipRef | "*">(attribute: A): Started<A, Unloads<A>> {
  return new LoaderOption([wildcardStep(attribute, "select")]) as never;
}

/**
 * Make reading the relationship raise `InvalidRequestError` (`sqlOnly: true`: only when the read
 * would need SQL; an identity-map hit or a NULL foreign key still reads). `"*"`: every relationship.
 */
export function raiseload<A extends RelationshipRef | "*">(attribute: A, options: { sqlOnly?: boolean } = {}): Started<A, Unloads<A>> {
  return new LoaderOption([raiseStep(attribute, options)]) as never;
}

/** Never load the relationship (`"*"`: every one): it reads as `null` or an empty collection. */
export function noload<A extends RelationshipRef | "*">(attribute: A): Started<A, Unloads<A>> {
  return new LoaderOption([wildcardStep(attribute, "noload")]) as never;
}

/** A path step that keeps the relationship's configured strategy, to reach options further down. */
export function defaultload<A extends RelationshipRef>(attribute: A): Started<A, `${KeyOf<A>}?`> {
  return new LoaderOption([step(attribute, "default")]) as never;
}

/**
 * Populate the relationship from a join the statement makes itself (its columns selected too):
 * `select(User, Organization).join(User.organization)…` is not needed; write
 * `select(User).join(Organization).options(containsEager(User.organization))`.
 */
export function containsEager<A extends RelationshipRef>(attribute: A): Started<A, KeyOf<A>> {
  return new LoaderOption([containsEagerStep(attribute)]) as never;
}

/**
 * Load only these columns of their entity (plus its primary key); the others are deferred.
 * `{ raiseload: true }` last: reading one of the others raises `InvalidRequestError` (as `defer`'s).
 */
export function loadOnly<const C extends ColumnsAndFlags>(...columns: C): LoaderOption<ColumnsRoot<C>, ColumnKeysOf<C> | "=", "", never> {
  return new LoaderOption([], [columnDirective("loadOnly", columns)], true) as never;
}

/**
 * Do not load these columns; reading one raises `MissingGreenlet` until it is loaded. With
 * `{ raiseload: true }` last, reading one raises SQLAlchemy's `InvalidRequestError` instead, and so
 * does `awaitableAttrs` (it would need SQL); `session.refresh(obj, ["bio"])` still loads it.
 *
 * ```ts
 * select(User).options(defer(User.bio, { raiseload: true }))
 * // SELECT users.id, users.name, … FROM users          (no users.bio)
 * user.bio // InvalidRequestError: 'User.bio' is not available due to raiseload=True
 * ```
 */
export function defer<const C extends ColumnsAndFlags>(...columns: C): LoaderOption<ColumnsRoot<C>, `!${ColumnKeysOf<C>}`, "", never> {
  return new LoaderOption([], [columnDirective("defer", columns)], true) as never;
}

/** Load these columns although they are declared deferred. */
export function undefer<const C extends readonly ColumnTarget[]>(...columns: C): LoaderOption<ColumnsRoot<C>, ColumnKeysOf<C>, "", never> {
  return rootColumns("undefer", columns as readonly ColumnRef<unknown, string>[]) as never;
}

function rootColumns(mode: "loadOnly" | "defer" | "undefer", columns: readonly ColumnRef<unknown, string>[]): LoaderOption<unknown, never, "", never> {
  if (columns.length === 0) throw new ArgumentError(`${mode}() needs at least one column, such as User.name`);
  return new LoaderOption([], [{ mode, columns }], true);
}
