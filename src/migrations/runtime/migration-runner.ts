import { InvalidTargetError } from "../migration-errors.ts";
import { planDowngrade, planUpgrade } from "../graph/migration-plan.ts";
import { resolveTarget } from "../graph/resolve-target.ts";
import type { Revision, RevisionGraph } from "../graph/revision-graph.ts";
import { headsAfterDowngrade, headsAfterStamp, headsAfterUpgrade } from "../graph/version-heads.ts";
import type { MigrationTarget } from "./migration-target.ts";

/** One migration the runner ran. */
export interface MigrationStepReport {
  readonly direction: "upgrade" | "downgrade";
  readonly revision: string;
  /** `Running upgrade a -> b, message` (Alembic's log line). */
  readonly description: string;
  /** The version table's rows after it. */
  readonly heads: readonly string[];
}

/**
 * `upgrade`, `downgrade` and `stamp` (Alembic's `command.upgrade` & co.): resolves the target
 * against the version table, plans the revisions, and runs each as one step of the target
 * (a database, or a SQL script with `--sql`), updating the version rows as it goes.
 *
 * ```ts
 * const runner = new MigrationRunner(graph, await OnlineTarget.open(engine, new VersionTable(engine.dialect)));
 * await runner.upgrade("head");
 * await runner.downgrade("-1");
 * ```
 */
export class MigrationRunner {
  readonly graph: RevisionGraph;
  readonly target: MigrationTarget;
  readonly #onStep: ((report: MigrationStepReport) => void) | undefined;

  constructor(graph: RevisionGraph, target: MigrationTarget, options: { onStep?: (report: MigrationStepReport) => void } = {}) {
    this.graph = graph;
    this.target = target;
    this.#onStep = options.onStep;
  }

  /** The version table's rows (`current`). */
  async current(): Promise<string[]> {
    return this.target.currentHeads();
  }

  /** Applies every revision up to `target` (`head`, `heads`, an id, `+n`). */
  async upgrade(target: string): Promise<MigrationStepReport[]> {
    let heads = await this.target.currentHeads();
    const plan = planUpgrade(this.graph, heads, resolveTarget(this.graph, target, heads));
    const reports: MigrationStepReport[] = [];
    for (const revision of plan) {
      const step = headsAfterUpgrade(heads, revision);
      const description = `Running upgrade ${revision.downRevisions.join(", ")} -> ${revision.id}${messageOf(revision)}`;
      await this.target.runStep(description, (op) => revision.script.upgrade(op), step.changes);
      heads = [...step.heads];
      reports.push(this.#report("upgrade", revision, description, heads));
    }
    return reports;
  }

  /** Undoes revisions down to `target` (`base`, an id, `-n`). */
  async downgrade(target: string): Promise<MigrationStepReport[]> {
    let heads = await this.target.currentHeads();
    if (target === "head" || target === "heads") throw new InvalidTargetError(`'${target}' is not a downgrade target; use base, -n or a revision`);
    const plan = planDowngrade(this.graph, heads, resolveTarget(this.graph, target, heads));
    const reports: MigrationStepReport[] = [];
    for (const revision of plan) {
      const step = headsAfterDowngrade(this.graph, heads, revision);
      const description = `Running downgrade ${revision.id} -> ${revision.downRevisions.join(", ")}${messageOf(revision)}`;
      await this.target.runStep(description, (op) => revision.script.downgrade(op), step.changes);
      heads = [...step.heads];
      reports.push(this.#report("downgrade", revision, description, heads));
    }
    return reports;
  }

  /** Sets the version table to `target` without running any migration; returns the new rows. */
  async stamp(target: string): Promise<string[]> {
    const heads = await this.target.currentHeads();
    const step = headsAfterStamp(this.graph, heads, resolveTarget(this.graph, target, heads));
    await this.target.runStep(`Stamping ${step.heads.join(", ") || "base"}`, undefined, step.changes);
    return [...step.heads];
  }

  #report(direction: "upgrade" | "downgrade", revision: Revision, description: string, heads: readonly string[]): MigrationStepReport {
    const report = { direction, revision: revision.id, description, heads };
    this.#onStep?.(report);
    return report;
  }
}

function messageOf(revision: Revision): string {
  return revision.script.message ? `, ${revision.script.message}` : "";
}
