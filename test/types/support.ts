import type { EntitySelect } from "../../src/orm/query/entity-select.ts";
import type { ColumnFix, NotLoaded, RelationshipFix } from "../../src/orm/mapping/model-types.ts";

/**
 * Helpers of the type tests. A type test is a statement that must compile (a positive case: an
 * assignment or `expectTypeOf`) or must not (`// @ts-expect-error` above it): `npm run typecheck`
 * checks both, and vitest runs the files so the statements they build are valid at run time too.
 */

/** The row type of an ORM select: `Row<typeof stmt>` is `[User]` for `select(User)`. */
export type Row<S> = S extends EntitySelect<infer R> ? R : never;

/** The first entity of a select's rows (what `.scalars()` yields). */
export type First<S> = Row<S>[0];

/** A value of type `T` for type-only assertions (never read at run time). */
export function value<T>(): T {
  return undefined as T;
}

/**
 * Runs nothing: the body holds statements that are only type-checked (reads of instances that do
 * not exist at run time), so a test file can state cases without a database.
 */
export function typeOnly(_cases: () => void): void {}

/** An unloaded relationship `K` as the types spell it (its message names the fix). */
export type Unloaded<T, K extends string> = NotLoaded<T, RelationshipFix<K>>;

/** An unloaded (deferred) column `K` as the types spell it. */
export type UnloadedColumn<T, K extends string> = NotLoaded<T, ColumnFix<K>>;
