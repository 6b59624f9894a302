import type { ColumnElement } from "../../core/sql/column-element.ts";
import type { Io } from "../../shared/io.ts";
import type { SelectNode } from "../../core/sql/nodes.ts";
import { select as coreSelect } from "../../core/sql/select.ts";
import { isA } from "../mapper/inheritance.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type EntityLoad, planEntity } from "../loading/load-plan.ts";
import type { RunChild } from "../loading/loader-strategy.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { SELECTIN_BATCH } from "./selectin.ts";
import { compareKeys, keysIn } from "./relationship-keys.ts";

/**
 * Selectin polymorphic loading: for each subclass the entity's plan names, one SELECT of the key
 * and the subclass's own columns for the instances of that class the statement produced, filling
 * them in place (`SELECT employees.id, managers.manager_name FROM employees JOIN managers ON …
 * WHERE employees.id IN (…)`).
 */
export function* loadSubclassColumns(load: EntityLoad, states: ReadonlySet<InstanceState>, runChild: RunChild): Io<void> {
  const polymorphic = load.polymorphic;
  if (polymorphic === undefined) return;
  const queriedTables = new Set((load.mapper.inheritance?.tables ?? []).map((t) => t.node));
  for (const sub of polymorphic.selectin) {
    const inheritance = sub.inheritance;
    if (inheritance === undefined) continue;
    const keys = [...states]
      .filter((s) => isA(s.mapper as Mapper, sub))
      .map((s) => s.identity ?? sub.primaryKey.map((c) => s.valueAt(c.slot)))
      .sort(compareKeys);
    if (keys.length === 0) continue;
    const own = sub.columns.filter((c) => !c.deferred && !c.column.primaryKey && !queriedTables.has(c.column.node.owner as never));
    const columns = [...sub.primaryKey, ...own];
    const keyColumns = sub.primaryKey.map((c) => c.column as ColumnElement<unknown>);
    for (let i = 0; i < keys.length; i += SELECTIN_BATCH) {
      const chunk = keys.slice(i, i + SELECTIN_BATCH);
      const statement = coreSelect(...columns.map((c) => c.column))
        .where(keysIn(keyColumns, chunk))
        .orderBy(...keyColumns);
      const node: SelectNode = Object.freeze({ ...statement.node, from: [inheritance.from] });
      const planned = planEntity(node, sub, 0, undefined, [], columns);
      yield* runChild({ node: planned.node, elements: [{ kind: "entity", load: planned.load }] });
    }
  }
}
