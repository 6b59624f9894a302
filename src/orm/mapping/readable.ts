import type { NotLoaded } from "./model-types.ts";

/**
 * A mapped object as the synchronous `Session` hands it out: every attribute readable, because a
 * read of an unloaded relationship or deferred column loads it there and then (`lazy: "select"`).
 * `NotLoaded` is taken out of each attribute's type, and the related objects are readable too;
 * anything that is not a mapped object stays as it is. The models are the same classes for both
 * sessions: only the result types differ.
 *
 * ```ts
 * const user = session.execute(select(User)).scalars().one();   // Readable<User>
 * user.organization.name;                                        // compiles; loads on access
 * ```
 */
export type Readable<T> = T extends { readonly awaitableAttrs: unknown } ? ReadableObject<T> : T;

type ReadableObject<E> = { [K in keyof E]: K extends "awaitableAttrs" ? E[K] : ReadableValue<Exclude<E[K], NotLoaded<unknown>>> };

/** An attribute's loaded value, with the objects in it readable: one object, a list of them, or a column's value. */
type ReadableValue<V> = V extends readonly (infer X)[] ? (X extends { readonly awaitableAttrs: unknown } ? ReadableObject<X>[] : V) : Readable<V>;

/** A result row's places made `Readable` (a tuple of entities and columns). */
export type ReadableRow<R> = R extends readonly unknown[] ? { [I in keyof R]: Readable<R[I]> } : Readable<R>;
