import { InvalidRequestError } from "../../shared/errors.ts";
import type { Io } from "../../shared/io.ts";
import type { ColumnElement } from "../../core/sql/column-element.ts";
import { and } from "../../core/sql/elements.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { setCollection } from "../loading/load-rows.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { type ChildLoad, childQuery, targetCriteria } from "./child-query.ts";
import type { RunChild } from "../loading/loader-strategy.ts";
import { columnOn, localValues } from "./relationship-keys.ts";
import { type IdentityLookup, targetWithoutSql } from "../mapper/lazy-read.ts";

export type { IdentityLookup };

/**
 * Loads one relationship of one parent (a lazy load done explicitly, and `immediate`): from memory
 * when `targetWithoutSql` can, else `SELECT target.* FROM target WHERE target.fk = ? [AND <criteria>]`.
 * With criteria (the option's `and()`, the statement's `withLoaderCriteria()`) a many-to-one is
 * always selected: the object in memory may not match them (SQLAlchemy turns off `use_get`).
 */
export function* loadForParent(
  state: InstanceState,
  property: RelationshipProperty,
  below: ChildLoad,
  runChild: RunChild,
  lookup: IdentityLookup,
): Io<unknown> {
  const join = property.join;
  const narrowed = targetCriteria(join.target as Mapper, below).length > 0;
  const known = narrowed ? (localValues(state, property).every((v) => v === null) ? null : UNLOADED) : targetWithoutSql(state, property, lookup);
  if (known !== UNLOADED) {
    state.storeAt(property.slot, known);
    return known;
  }
  const values = localValues(state, property);
  if (values.includes(UNLOADED)) {
    throw new InvalidRequestError(
      `${property.path} cannot be loaded for ${state.mapper.describe(state)}: its join column(s) were not loaded; ` +
        `do not leave them out with loadOnly()/defer() when the relationship loads per parent`,
    );
  }
  const criteria = and(
    ...join.pairs.map((p, i) => (join.secondary ? columnOn(join.secondary.table.node, p.remote) : p.remote).eq(values[i] as never) as ColumnElement<boolean>),
  );
  const rows = yield* runChild(childQuery(property, [], criteria, below));
  const objects = rows.map((r) => r[0]);
  if (join.uselist) setCollection(state, property, objects);
  else state.storeAt(property.slot, objects[0] ?? null);
  return state.valueAt(property.slot);
}
