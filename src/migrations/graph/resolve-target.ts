import { InvalidTargetError, RevisionNotFoundError } from "../migration-errors.ts";
import type { RevisionGraph } from "./revision-graph.ts";

const RELATIVE = /^([+-])(\d+)$/;
const ANCHORED_RELATIVE = /^(.+?)([+-])(\d+)$/;

/**
 * The revisions a target names (Alembic's revision identifiers), given the database's current
 * heads; the empty list is `base`.
 *
 * - `head` (the single head), `heads` (all of them), `base` (nothing applied);
 * - a full id, or a prefix matching one revision (`ae10`);
 * - `+n` / `-n`: n steps up or down from the current revision;
 * - `<id>+n`, `<id>-n`, `head-n`: n steps from that revision.
 *
 * A relative step across a branch point (up) or a merge point (down) is ambiguous and refused,
 * as is one that runs past the head or below base.
 */
export function resolveTarget(graph: RevisionGraph, target: string, current: readonly string[]): string[] {
  const name = target.trim();
  if (name === "base") return [];
  if (name === "heads") return [...graph.heads];
  if (name === "head") {
    const head = graph.head;
    return head === undefined ? [] : [head];
  }
  if (graph.has(name)) return [name];
  const relative = RELATIVE.exec(name);
  if (relative) return step(graph, name, current, relative[1] === "+" ? Number(relative[2]) : -Number(relative[2]));
  const anchored = ANCHORED_RELATIVE.exec(name);
  if (anchored && (anchored[1] === "head" || anchored[1] === "base" || canResolve(graph, anchored[1]!))) {
    const from = resolveTarget(graph, anchored[1]!, current);
    return step(graph, name, from, anchored[2] === "+" ? Number(anchored[3]) : -Number(anchored[3]));
  }
  return [graph.get(name).id];
}

function canResolve(graph: RevisionGraph, prefix: string): boolean {
  try {
    graph.get(prefix);
    return true;
  } catch (error) {
    if (error instanceof RevisionNotFoundError) return false;
    throw error;
  }
}

/** Walks `count` steps (up when positive) from a single revision, or from base when `from` is empty. */
function step(graph: RevisionGraph, name: string, from: readonly string[], count: number): string[] {
  if (from.length > 1) {
    throw new InvalidTargetError(
      `Relative revision ${name} is ambiguous: the database is at several heads (${from.join(", ")}); name a revision instead`,
    );
  }
  let at: string | undefined = from[0];
  for (let i = 0; i < Math.abs(count); i++) {
    const nexts: readonly string[] = count > 0 ? (at === undefined ? graph.bases : graph.get(at).nextRevisions) : at === undefined ? [] : graph.get(at).downRevisions;
    if (count < 0 && at !== undefined && nexts.length === 0) {
      // One step below a base revision is base itself.
      at = undefined;
      if (i === Math.abs(count) - 1) return [];
      throw new InvalidTargetError(`Relative revision ${name} didn't produce ${Math.abs(count)} migrations`);
    }
    if (nexts.length === 0) {
      throw new InvalidTargetError(`Relative revision ${name} didn't produce ${Math.abs(count)} migrations`);
    }
    if (nexts.length > 1) {
      const kind = count > 0 ? "branch point" : "merge point";
      throw new InvalidTargetError(`Relative revision ${name} is ambiguous at ${kind} ${at ?? "base"} (${nexts.join(", ")}); name a revision instead`);
    }
    at = nexts[0];
  }
  return at === undefined ? [] : [at];
}
