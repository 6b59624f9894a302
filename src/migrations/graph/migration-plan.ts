import { InvalidTargetError } from "../migration-errors.ts";
import type { Revision, RevisionGraph } from "./revision-graph.ts";

/**
 * The revisions `upgrade <target>` applies, parents first: every ancestor of the targets that
 * the database's current heads do not already include. A target below the current heads is
 * not an upgrade target (Alembic refuses it too).
 */
export function planUpgrade(graph: RevisionGraph, current: readonly string[], targets: readonly string[]): Revision[] {
  const applied = graph.ancestors(current);
  for (const target of targets) {
    if (applied.has(target) && !current.includes(target)) {
      throw new InvalidTargetError(
        `Destination ${target} is not a valid upgrade target from current head(s) ${current.join(", ")}; use downgrade`,
      );
    }
  }
  const wanted = graph.ancestors(targets);
  return graph.sortedUp([...wanted].filter((id) => !applied.has(id)));
}

/**
 * The revisions `downgrade <target>` undoes, children first: those applied that descend from a
 * target (all applied ones for `base`). Branches that do not descend from the target stay.
 */
export function planDowngrade(graph: RevisionGraph, current: readonly string[], targets: readonly string[]): Revision[] {
  const applied = graph.ancestors(current);
  for (const target of targets) {
    if (!applied.has(target)) {
      throw new InvalidTargetError(
        `Destination ${target} is not a valid downgrade target from current head(s) ${current.length === 0 ? "<base>" : current.join(", ")}`,
      );
    }
  }
  const undo =
    targets.length === 0
      ? applied
      : new Set([...graph.descendants(targets)].filter((id) => applied.has(id) && !targets.includes(id)));
  return graph.sortedDown(undo);
}
