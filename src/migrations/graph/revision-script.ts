import type { Operations } from "../operations/operations.ts";

/** What a revision's `downRevision` may be: none (a base), one parent, or several (a merge point). */
export type DownRevision = string | readonly string[] | null;

/**
 * One revision file: `migrations/<id>_<slug>.ts`, exporting these names (Alembic's
 * `revision`, `down_revision`, `upgrade()`, `downgrade()`).
 *
 * ```ts
 * export const revision = "1975ea83b712";
 * export const downRevision = null;
 * export const message = "create users";
 * export async function upgrade(op: Operations) { await op.createTable("users", { id: Column(Integer, { primaryKey: true }) }); }
 * export async function downgrade(op: Operations) { await op.dropTable("users"); }
 * ```
 */
export interface RevisionScript {
  readonly revision: string;
  readonly downRevision: DownRevision;
  /** The `-m` message the revision was made with. */
  readonly message?: string;
  upgrade(op: Operations): Promise<void> | void;
  downgrade(op: Operations): Promise<void> | void;
  /** Where the script was loaded from, for messages. */
  readonly path?: string;
}

/** `downRevision` as a list. */
export function downRevisionsOf(down: DownRevision | undefined): readonly string[] {
  if (down === null || down === undefined) return [];
  return typeof down === "string" ? [down] : down;
}
