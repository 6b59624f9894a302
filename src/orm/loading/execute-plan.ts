import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { NamedParams } from "../../core/engine/executable.ts";
import { prepareStatement } from "../../core/engine/prepared-statement.ts";
import type { SelectNode } from "../../core/sql/nodes.ts";
import type { PlanElement } from "./load-plan.ts";
import { type LoadTarget, LoadRun, loadRows } from "./load-rows.ts";

/** What running a planned statement needs from the session. */
export interface LoaderContext extends LoadTarget {
  connection(): Promise<AsyncConnection>;
}

/** A loader that runs after the parents' rows are in memory (selectin, subquery, immediate). */
export type PostLoader = (run: LoadRun, source: SelectNode, context: LoaderContext) => Promise<void>;

/**
 * Runs a planned ORM statement: executes it, builds the instances from its rows, installs joined
 * collections, then runs the loaders that follow the rows (each of which may plan and run more).
 */
export async function executePlan(
  node: SelectNode,
  elements: readonly PlanElement[],
  context: LoaderContext,
  options: { params?: NamedParams; populateExisting: boolean; postLoad: PostLoader },
): Promise<unknown[][]> {
  const conn = await context.connection();
  const prepared = prepareStatement(conn.dialect, node, options.params);
  const raw = await conn.executeRaw(prepared);
  const run = new LoadRun(context, options.populateExisting);
  const rows = loadRows(raw.rows, prepared.plan.resultProcessors, elements, run);
  run.finish();
  if (run.loaded.size > 0) await options.postLoad(run, node, context);
  return rows;
}
