import type { ModelParent, RelatedObject, RelationshipAttributeType } from "../mapping/model-types.ts";
import type { LoadStrategy } from "../mapping/relationship.ts";

/**
 * Row types after an outer join: which entities of a row a LEFT (or FULL) OUTER JOIN can leave
 * without a row, typed `| null` (the loader gives `null` for an entity whose key columns are all
 * NULL). `R` is the row, `M` marks its aliased places, `T` the join target, `F` a full join.
 *
 * - a mapped class (`outerjoin(Organization)`): the row's non-aliased `Organization`s;
 * - an alias (`outerjoin(Manager)`, `Manager = aliased(User)`): the row's aliased `User`s;
 * - a relationship (`outerjoin(User.organization)`): the row's `Organization`s, aliased or not (an
 *   `ofType(alias)` target is not in the type); for a self-referential one, the aliased ones only;
 * - a full outer join: every entity of the row.
 *
 * Two places of one class cannot be told apart, so both are typed nullable: a wider type, never a
 * narrower one.
 */
export type OuterJoinedRow<R extends readonly unknown[], M, T, F> = {
  [I in keyof R]: R[I] extends { readonly awaitableAttrs: unknown }
    ? true extends F
      ? R[I] | null
      : LeftEmptyBy<R[I], I extends keyof M ? M[I] : false, T> extends true
        ? R[I] | null
        : R[I]
    : R[I];
};

/** The declaration phantom of an instance type: two instances of one class share it. */
type SpecPhantom<E> = E extends ModelParent<infer S> ? ModelParent<S> : never;

/** Whether `E` is an instance of the class whose instances are `Of`. */
type IsInstanceOf<E, Of> = [SpecPhantom<Of>] extends [never] ? false : E extends SpecPhantom<Of> ? true : false;

/** Whether the join to `T` can leave the entity `E` (at an aliased place when `Aliased`) empty. */
type LeftEmptyBy<E, Aliased, T> = T extends { readonly __entity: infer A }
  ? Aliased extends true
    ? IsInstanceOf<E, A>
    : false
  : T extends RelationshipAttributeType<infer X, string, LoadStrategy, infer P>
    ? IsInstanceOf<E, RelatedObject<X>> extends true
      ? Aliased extends true
        ? true
        : IsInstanceOf<RelatedObject<X>, P> extends true
          ? false
          : true
      : false
    : T extends abstract new (...args: never[]) => infer C
      ? Aliased extends true
        ? false
        : IsInstanceOf<E, C>
      : false;
