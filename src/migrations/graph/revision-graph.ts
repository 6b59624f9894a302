import {
  AmbiguousRevisionError,
  DuplicateRevisionError,
  MultipleHeadsError,
  RevisionCycleError,
  RevisionNotFoundError,
} from "../migration-errors.ts";
import { downRevisionsOf, type RevisionScript } from "./revision-script.ts";

/** A revision in the graph: its script, its parents and its children. */
export interface Revision {
  readonly id: string;
  readonly downRevisions: readonly string[];
  readonly nextRevisions: readonly string[];
  readonly script: RevisionScript;
  /** No parent. */
  readonly isBase: boolean;
  /** No child. */
  readonly isHead: boolean;
  /** More than one child. */
  readonly isBranchPoint: boolean;
  /** More than one parent. */
  readonly isMergePoint: boolean;
}

/**
 * The revisions as a directed acyclic graph (Alembic's `RevisionMap`): parents are
 * `downRevision`s, heads have no child, bases no parent; a revision with two children is a
 * branch point, one with two parents a merge point. Built once from the scripts and checked:
 * duplicate ids, a `downRevision` naming no script and cycles are errors. Pure: no I/O.
 *
 * ```ts
 * const graph = new RevisionGraph(scripts);
 * graph.heads;              // ["ae1027a6acf"]
 * graph.get("ae10").id;     // "ae1027a6acf" (a unique prefix)
 * ```
 */
export class RevisionGraph {
  readonly #revisions = new Map<string, Revision>();
  /** Every revision, parents before children (ties in id order). */
  readonly ordered: readonly Revision[];

  constructor(scripts: readonly RevisionScript[]) {
    const children = new Map<string, string[]>();
    for (const script of scripts) {
      if (typeof script.revision !== "string" || script.revision.length === 0) {
        throw new RevisionNotFoundError(`A revision script${script.path ? ` (${script.path})` : ""} exports no \`revision\` id`);
      }
      if (children.has(script.revision)) {
        const other = scripts.find((s) => s.revision === script.revision && s !== script);
        throw new DuplicateRevisionError(
          `Revision ${script.revision} is present more than once${other?.path && script.path ? ` (${other.path}, ${script.path})` : ""}`,
        );
      }
      children.set(script.revision, []);
    }
    for (const script of scripts) {
      for (const down of downRevisionsOf(script.downRevision)) {
        const list = children.get(down);
        if (list === undefined) {
          throw new RevisionNotFoundError(
            `Revision ${down} referenced from ${script.revision}${script.path ? ` (${script.path})` : ""} is not present`,
          );
        }
        list.push(script.revision);
      }
    }
    for (const script of scripts) {
      const downs = downRevisionsOf(script.downRevision);
      const next = [...children.get(script.revision)!].sort();
      this.#revisions.set(script.revision, {
        id: script.revision,
        downRevisions: downs,
        nextRevisions: next,
        script,
        isBase: downs.length === 0,
        isHead: next.length === 0,
        isBranchPoint: next.length > 1,
        isMergePoint: downs.length > 1,
      });
    }
    this.ordered = this.#topological([...this.#revisions.keys()]);
  }

  /** Every revision id, parents first. */
  get ids(): readonly string[] {
    return this.ordered.map((r) => r.id);
  }

  /** The revisions without children, sorted. */
  get heads(): readonly string[] {
    return this.ordered.filter((r) => r.isHead).map((r) => r.id).sort();
  }

  /** The revisions without parents, sorted. */
  get bases(): readonly string[] {
    return this.ordered.filter((r) => r.isBase).map((r) => r.id).sort();
  }

  /** Whether `id` is a full revision id of the graph. */
  has(id: string): boolean {
    return this.#revisions.has(id);
  }

  /**
   * The revision with this id, or the one whose id starts with it (at least four characters are
   * not required, but a prefix matching two revisions is an `AmbiguousRevisionError`).
   */
  get(idOrPrefix: string): Revision {
    const exact = this.#revisions.get(idOrPrefix);
    if (exact) return exact;
    const matches = [...this.#revisions.keys()].filter((id) => id.startsWith(idOrPrefix)).sort();
    if (matches.length === 1) return this.#revisions.get(matches[0]!)!;
    if (matches.length > 1) {
      throw new AmbiguousRevisionError(`Multiple revisions start with '${idOrPrefix}': ${matches.join(", ")}`);
    }
    throw new RevisionNotFoundError(`No such revision or branch '${idOrPrefix}'`);
  }

  /** The single head, or a `MultipleHeadsError` naming them (and saying how to pick). */
  get head(): string | undefined {
    const heads = this.heads;
    if (heads.length > 1) {
      throw new MultipleHeadsError(
        `Multiple head revisions are present (${heads.join(", ")}); please specify a specific target revision, ` +
          "'heads' for all heads, or merge them with `tsalchemy merge`",
      );
    }
    return heads[0];
  }

  /** `ids` and all their ancestors. */
  ancestors(ids: Iterable<string>): Set<string> {
    return this.#closure(ids, (r) => r.downRevisions);
  }

  /** `ids` and all their descendants. */
  descendants(ids: Iterable<string>): Set<string> {
    return this.#closure(ids, (r) => r.nextRevisions);
  }

  /** These ids, parents before children. */
  sortedUp(ids: Iterable<string>): Revision[] {
    const wanted = new Set(ids);
    return this.ordered.filter((r) => wanted.has(r.id));
  }

  /** These ids, children before parents. */
  sortedDown(ids: Iterable<string>): Revision[] {
    return this.sortedUp(ids).reverse();
  }

  /**
   * Reduces a set of revisions to those not below another of the set: the heads of the version
   * table they would leave.
   */
  headsOf(ids: Iterable<string>): string[] {
    const set = new Set(ids);
    return [...set]
      .filter((id) => ![...set].some((other) => other !== id && this.ancestors([other]).has(id)))
      .sort();
  }

  #closure(ids: Iterable<string>, step: (r: Revision) => readonly string[]): Set<string> {
    const seen = new Set<string>();
    const stack = [...ids];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      stack.push(...step(this.get(id)));
    }
    return seen;
  }

  /** Kahn's algorithm; what is left over lies on a cycle. */
  #topological(ids: readonly string[]): Revision[] {
    const pending = new Map(ids.map((id) => [id, this.#revisions.get(id)!.downRevisions.length]));
    const ready = ids.filter((id) => pending.get(id) === 0).sort();
    const order: Revision[] = [];
    while (ready.length > 0) {
      const id = ready.shift()!;
      const revision = this.#revisions.get(id)!;
      order.push(revision);
      for (const next of revision.nextRevisions) {
        const left = pending.get(next)! - 1;
        pending.set(next, left);
        if (left === 0) {
          ready.push(next);
          ready.sort();
        }
      }
    }
    if (order.length < ids.length) {
      const placed = new Set(order.map((r) => r.id));
      const cyclic = ids.filter((id) => !placed.has(id)).sort();
      throw new RevisionCycleError(`Cycle is detected in revisions (${cyclic.join(", ")})`);
    }
    return order;
  }
}
