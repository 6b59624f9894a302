import type { Revision, RevisionGraph } from "./revision-graph.ts";

/** One change to the version table's rows. */
export type VersionChange =
  | { readonly kind: "insert"; readonly id: string }
  | { readonly kind: "update"; readonly from: string; readonly to: string }
  | { readonly kind: "delete"; readonly id: string };

export interface VersionStep {
  /** The version table's rows after the step, sorted. */
  readonly heads: readonly string[];
  readonly changes: readonly VersionChange[];
}

/**
 * The version table after applying `revision` (Alembic's `HeadMaintainer`): a parent among the
 * heads is updated to it; a merge point deletes all its parents' rows but one and updates that
 * one; a revision whose parent is no longer a head (a second branch from a branch point) or
 * that has no parent inserts a row.
 */
export function headsAfterUpgrade(heads: readonly string[], revision: Revision): VersionStep {
  const current = new Set(heads);
  const parents = revision.downRevisions.filter((d) => current.has(d));
  const changes: VersionChange[] = [];
  if (parents.length === 0) {
    changes.push({ kind: "insert", id: revision.id });
  } else {
    for (const parent of parents.slice(0, -1)) changes.push({ kind: "delete", id: parent });
    changes.push({ kind: "update", from: parents[parents.length - 1]!, to: revision.id });
  }
  for (const parent of parents) current.delete(parent);
  current.add(revision.id);
  return { heads: [...current].sort(), changes };
}

/**
 * The version table after undoing `revision`: its row goes back to its parents, except parents
 * that another remaining head already descends from (a branch point's other branch); with none
 * left to record (a base, or such a parent), the row is deleted.
 */
export function headsAfterDowngrade(graph: RevisionGraph, heads: readonly string[], revision: Revision): VersionStep {
  const remaining = heads.filter((h) => h !== revision.id);
  const covered = graph.ancestors(remaining);
  const restored = revision.downRevisions.filter((d) => !covered.has(d));
  const changes: VersionChange[] =
    restored.length === 0
      ? [{ kind: "delete", id: revision.id }]
      : [{ kind: "update", from: revision.id, to: restored[0]! }, ...restored.slice(1).map((id) => ({ kind: "insert" as const, id }))];
  return { heads: [...remaining, ...restored].sort(), changes };
}

/** `stamp`: the rows that turn `heads` into `target`, with no migration run. */
export function headsAfterStamp(graph: RevisionGraph, heads: readonly string[], target: readonly string[]): VersionStep {
  const wanted = graph.headsOf(target);
  const changes: VersionChange[] = [
    ...heads.filter((h) => !wanted.includes(h)).map((id) => ({ kind: "delete" as const, id })),
    ...wanted.filter((w) => !heads.includes(w)).map((id) => ({ kind: "insert" as const, id })),
  ];
  return { heads: wanted, changes };
}
