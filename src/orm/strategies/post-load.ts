import { type LoaderContext, type PostLoader, executePlan } from "../loading/execute-plan.ts";
import type { LoadRun } from "../loading/load-rows.ts";
import type { SelectNode } from "../../core/sql/nodes.ts";
import { loadImmediate } from "./immediate.ts";
import { type RunChild, loadSelectin } from "./selectin.ts";
import { loadSubquery } from "./subquery.ts";

/**
 * Runs the loaders that follow a statement's rows: for each entity with selectin, subquery or
 * immediate relationships, the parents this statement produced whose attribute is still unloaded
 * (or all of them under `populateExisting`). Child statements run through `executePlan` again,
 * so options chain to any depth.
 */
export const runPostLoads: PostLoader = async (run: LoadRun, source: SelectNode, context: LoaderContext): Promise<void> => {
  const runChild: RunChild = (query) =>
    executePlan(query.node, query.elements, context, { populateExisting: run.populateExisting, postLoad: runPostLoads });
  for (const [load, states] of run.loaded) {
    for (const post of load.post) {
      const parents = [...states].filter((state) => run.populates(state, post.property.slot));
      if (parents.length === 0) continue;
      if (post.strategy === "selectin") await loadSelectin(post, parents, runChild);
      else if (post.strategy === "subquery") await loadSubquery(post, parents, source, load.owner, runChild);
      else await loadImmediate(post, parents, runChild, (mapper, identity) => context.find(mapper, identity));
    }
  }
};
