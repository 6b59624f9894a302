import { InvalidRequestError } from "../../shared/errors.ts";
import type { DriverResult } from "../../core/drivers/driver.ts";
import type { PreparedStatement } from "../../core/engine/prepared-statement.ts";
import { DML_TARGET, type ReturningTarget } from "../../core/sql/dml-target.ts";
import type { EntityLoad, PlanElement } from "../loading/load-plan.ts";
import { type LoadTarget, LoadRun, loadColumn, loadRows } from "../loading/load-rows.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { mapperOfClass } from "../mapper/registry.ts";

/**
 * How the rows of a DML statement's RETURNING become result tuples: each mapped class given to
 * `returning()` an entity built from its run of columns, every other column a value.
 */
export function returningElements(targets: readonly ReturningTarget[], width: number): PlanElement[] {
  const elements: PlanElement[] = [];
  let position = 0;
  for (const target of targets) {
    for (; position < target.offset; position++) elements.push({ kind: "column", offset: position });
    elements.push({ kind: "entity", load: entityLoadOf(target) });
    position += target.width;
  }
  for (; position < width; position++) elements.push({ kind: "column", offset: position });
  return elements;
}

/** An entity's load from its table's columns at `offset`: no eager loads (its relationships load lazily). */
function entityLoadOf(target: ReturningTarget): EntityLoad {
  const mapper = mapperOfClass(target.target) as Mapper | undefined;
  if (mapper === undefined) throw new InvalidRequestError("returning() names a class that is not mapped");
  mapper.ensureRegistered(target.target as never);
  const keys = Object.keys(target.target[DML_TARGET]().c);
  const slots = keys.map((key) => (mapper.property(key) as { slot: number }).slot);
  return {
    mapper,
    owner: mapper.table.node,
    offset: target.offset,
    slots,
    pkPositions: mapper.primaryKey.map((c) => keys.indexOf(c.key)),
    joined: [],
    post: [],
    readOverrides: [],
    noloadSlots: [],
    lazySlots: [],
    tree: undefined,
  };
}

/**
 * Builds the result rows of one executed DML statement from its raw rows: instances go into (or
 * are found in) the identity map through `target`; `populateExisting` overwrites loaded
 * attributes of instances already there (an UPDATE's rows are newer than memory).
 */
export function loadReturningRows(
  raw: DriverResult,
  prepared: PreparedStatement,
  elements: readonly PlanElement[],
  target: LoadTarget,
  populateExisting: boolean,
): unknown[] {
  const run = new LoadRun(target, populateExisting);
  const single = elements[0];
  const rows =
    elements.length === 1 && single?.kind === "entity"
      ? loadColumn(raw.rows, prepared.plan.resultProcessors, single.load, run)
      : loadRows(raw.rows, prepared.plan.resultProcessors, elements, run);
  run.finish();
  return rows;
}
