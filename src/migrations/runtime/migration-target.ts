import type { Dialect } from "../../core/dialects/dialect.ts";
import type { VersionChange } from "../graph/version-heads.ts";
import type { Operations } from "../operations/operations.ts";

/** What one migration step does with its `op`: a revision's `upgrade` or `downgrade`, or nothing (stamp). */
export type StepWork = (op: Operations) => Promise<void> | void;

/**
 * Where migrations run: a database (online) or a SQL script (offline, `--sql`). The runner plans
 * and decides the version rows; a target runs each step in its transaction.
 */
export interface MigrationTarget {
  readonly dialect: Dialect;
  readonly offline: boolean;
  /** The version table's rows. */
  currentHeads(): Promise<string[]>;
  /** Runs `work`, then the version changes, as one migration (one transaction where DDL is transactional). */
  runStep(description: string, work: StepWork | undefined, changes: readonly VersionChange[]): Promise<void>;
  /** Gives back the connection. */
  close(): Promise<void>;
}
