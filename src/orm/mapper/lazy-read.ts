import { InvalidRequestError } from "../../shared/errors.ts";
import type { TableColumn } from "../../core/schema/column.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import type { Mapper } from "./mapper.ts";
import type { RelationshipProperty } from "./relationship-property.ts";
import { unloadedAttributeError } from "./unloaded-attribute-error.ts";

/** The identity-map lookup a many-to-one read tries before giving up on SQL. */
export type IdentityLookup = (mapper: Mapper, identity: readonly unknown[]) => InstanceState | undefined;

/** The slot holding `column` on instances of `mapper`, if it is mapped. */
export function slotOf(mapper: Mapper, column: TableColumn<unknown>): number | undefined {
  return mapper.columns.find((c) => c.column === column)?.slot;
}

/** The parent's values of the relationship's local join columns (UNLOADED where not loaded). */
export function localValues(state: InstanceState, property: RelationshipProperty): unknown[] {
  const mapper = state.mapper as Mapper;
  return property.join.pairs.map((p) => {
    const slot = slotOf(mapper, p.local);
    const value = slot === undefined ? UNLOADED : state.values[slot];
    if (value !== UNLOADED || state.identity === undefined) return value;
    // An expired object still knows its primary key, which one-to-many joins usually use.
    const pk = mapper.primaryKey.findIndex((c) => c.column === p.local);
    return pk >= 0 ? state.identity[pk] : UNLOADED;
  });
}

/**
 * The target of a many-to-one that is in memory already: `null` for a NULL foreign key, the
 * identity-map instance when the join is foreign key → primary key and the target is loaded and
 * not expired; `UNLOADED` when SQL is needed (always, for collections).
 */
export function targetWithoutSql(state: InstanceState, property: RelationshipProperty, lookup: IdentityLookup): unknown {
  const join = property.join;
  if (join.uselist) return UNLOADED;
  const values = localValues(state, property);
  if (values.includes(UNLOADED)) return UNLOADED;
  if (values.every((v) => v === null)) return null;
  if (!join.useGet) return UNLOADED;
  const hit = lookup(join.target as Mapper, values);
  if (hit === undefined || hit.unloadedReason !== undefined || hit.status === "deleted") return UNLOADED;
  return hit.object;
}

/**
 * A read of an unloaded relationship on a persistent or detached object, under the async API
 * where a property read cannot run SQL. By the effective strategy (configured, or set by the
 * query's options): `raise` always raises; otherwise a many-to-one answerable from memory is
 * answered (and kept); `raise_on_sql` raises where SQL would be needed; anything else raises
 * `MissingGreenlet` (or `DetachedInstanceError`) with the fix.
 */
export function readUnloadedRelationship(mapper: Mapper, state: InstanceState, property: RelationshipProperty): unknown {
  const strategy = state.readOverrides?.get(property.slot) ?? property.strategy;
  if (strategy === "raise") throw notAvailable(mapper, property, strategy);
  if (strategy === "noload") return property.join.uselist ? [] : null;
  const owner = state.owner;
  if (state.status !== "detached") {
    const known = targetWithoutSql(state, property, (target, identity) => owner?.find(target, identity, state.identityToken));
    if (known !== UNLOADED) {
      if (known !== null) owner?.lazyReadFromMemory?.(state, property);
      state.values[property.slot] = known;
      return known;
    }
  }
  if (strategy === "raise_on_sql") throw notAvailable(mapper, property, strategy);
  throw unloadedAttributeError(mapper, state, property, strategy);
}

function notAvailable(mapper: Mapper, property: RelationshipProperty, strategy: string): InvalidRequestError {
  return new InvalidRequestError(`'${mapper.className}.${property.key}' is not available due to lazy='${strategy}'`);
}
