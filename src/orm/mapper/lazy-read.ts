import type { TableColumn } from "../../core/schema/column.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import type { Mapper } from "./mapper.ts";
import type { RelationshipProperty } from "./relationship-property.ts";

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
    const value = slot === undefined ? UNLOADED : state.valueAt(slot);
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
