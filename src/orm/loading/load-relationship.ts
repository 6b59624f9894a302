import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import { and } from "../../core/sql/elements.ts";
import type { Expression } from "../../core/sql/coercions.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { trackedList } from "../mapper/back-populates.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { EntitySelect } from "../query/entity-select.ts";
import { select } from "../query/orm-select.ts";
import { prepareStatement } from "../../core/engine/prepared-statement.ts";
import { type LoadTarget, loadRows } from "./load-rows.ts";

/** What an explicit relationship load needs from the session. */
export interface RelationshipLoadContext extends LoadTarget {
  connection(): Promise<AsyncConnection>;
}

/**
 * Loads one relationship of one persistent object now (the awaited form of a lazy load, used by
 * `refresh(obj, ["rel"])` and `awaitableAttrs`). A many-to-one whose target is in the identity map
 * needs no SQL; otherwise one SELECT of the target by the join's columns.
 */
export async function loadRelationship(state: InstanceState, property: RelationshipProperty, context: RelationshipLoadContext): Promise<unknown> {
  const join = property.join;
  const target = join.target as Mapper;
  const localValues = join.pairs.map((p) => {
    const slot = (state.mapper as Mapper).columns.find((c) => c.column === p.local)?.slot;
    return slot === undefined ? null : state.values[slot];
  });
  if (localValues.some((v) => v === UNLOADED)) {
    throw new Error(`internal: ${property.path} needs its foreign key columns loaded first`);
  }
  let value: unknown;
  if (!join.uselist && localValues.every((v) => v === null)) {
    value = null;
  } else if (join.useGet && context.get(target.identityKey(localValues))) {
    value = (context.get(target.identityKey(localValues)) as InstanceState).object;
  } else {
    const entity = target.modelClass ?? target.base;
    let statement = select(entity as never) as unknown as EntitySelect<[object]>;
    const criteria: Expression<boolean>[] = [];
    if (join.secondary) {
      statement = statement.join(join.secondary.table, and(...join.secondary.targetPairs.map((p) => p.local.eq(p.remote as never))));
    }
    join.pairs.forEach((p, i) => criteria.push(p.remote.eq(localValues[i] as never)));
    statement = statement.where(...criteria);
    for (const key of property.spec.options.orderBy ?? []) {
      const desc = key.startsWith("-");
      const column = target.property(desc ? key.slice(1) : key);
      if (column?.kind === "column") statement = statement.orderBy(desc ? column.column.desc() : column.column.asc());
    }
    const conn = await context.connection();
    const prepared = prepareStatement(conn.dialect, statement.node);
    const raw = await conn.executeRaw(prepared);
    const rows = loadRows(raw.rows, prepared.plan.resultProcessors, statement.layout, context, { populateExisting: false });
    const objects = rows.map((r) => r[0]);
    value = join.uselist ? objects : (objects[0] ?? null);
  }
  state.values[property.slot] = join.uselist ? trackedList(value as unknown[], state, property) : value;
  return state.values[property.slot];
}
