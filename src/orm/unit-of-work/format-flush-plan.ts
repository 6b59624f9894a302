import type { Mapper } from "../mapper/mapper.ts";
import type { InstanceState } from "../state/instance-state.ts";
import type { ForeignKeySync, SecondaryRow } from "./dependency-processor.ts";
import type { FlushPlan } from "./flush-plan.ts";
import type { FlushStep } from "./flush-steps.ts";

/**
 * A flush plan as text, one line per step, for reading what a flush will do (docs, tests,
 * debugging): `INSERT INTO users (id, name) × 2: User(id=1), User(id=2)`.
 */
export function formatFlushPlan(plan: FlushPlan): string[] {
  return plan.steps.map(formatStep);
}

function formatStep(step: FlushStep): string {
  switch (step.kind) {
    case "insert":
      return `INSERT INTO ${step.mapper.table.name} (${step.columns.map((c) => c.column.name).join(", ")}) × ${step.states.length}: ${objects(step.states)}`;
    case "update":
      return `UPDATE ${step.mapper.table.name} SET ${step.columns.map((c) => c.column.name).join(", ")} × ${step.states.length}: ${objects(step.states)}`;
    case "post-update":
      return `postUpdate: ${step.syncs.map(formatSync).join("; ")}`;
    case "secondary":
      return step.rows.map(formatSecondary).join("; ");
    case "delete":
      return `DELETE FROM ${step.mapper.table.name} × ${step.states.length}: ${objects(step.states)}`;
  }
}

function objects(states: readonly InstanceState[]): string {
  return states.map((s) => s.mapper.describe(s)).join(", ");
}

/** `UPDATE writers SET favorite_id of Writer(id=1) from Essay(id=7)` (or `to NULL`). */
function formatSync(sync: ForeignKeySync): string {
  const dest = sync.dest;
  const mapper = dest.mapper as Mapper;
  const columns = mapper.columns.filter((c) => sync.destSlots.includes(c.slot)).map((c) => c.column.name);
  const from = sync.source === null ? "to NULL" : `from ${sync.source.mapper.describe(sync.source)}`;
  return `UPDATE ${mapper.table.name} SET ${columns.join(", ")} of ${mapper.describe(dest)} ${from}`;
}

function formatSecondary(row: SecondaryRow): string {
  const table = row.property.join.secondary?.table.name ?? "?";
  const pair = `${row.parent.mapper.describe(row.parent)} ↔ ${row.child.mapper.describe(row.child)}`;
  return row.action === "insert" ? `INSERT INTO ${table}: ${pair}` : `DELETE FROM ${table}: ${pair}`;
}
