import { type LoaderContext, type PostLoader, executeGroupedPlan, executePlan } from "../loading/execute-plan.ts";
import type { LoadRun } from "../loading/load-rows.ts";
import type { ChildQuery, PostLoadContext, RunChild, RunChildGroups } from "../loading/loader-strategy.ts";
import type { SelectNode } from "../../core/sql/nodes.ts";
import type { Io } from "../../shared/io.ts";
import { loadSubclassColumns } from "./selectin-polymorphic-load.ts";

/**
 * Runs the loaders that follow a statement's rows: for each entity with post-loaded relationships
 * (selectin, subquery, immediate), its strategy's `postLoad` for the parents this statement
 * produced whose attribute is still unloaded (or all of them under `populateExisting`). Child
 * statements run through `executePlan` again, so options chain to any depth.
 */
export const runPostLoads: PostLoader = function* runPostLoads(run: LoadRun, source: SelectNode, context: LoaderContext): Io<void> {
  // A child statement's own parameters join the parents' (a subquery load below it embeds it, and may embed theirs).
  const paramsOf = (query: ChildQuery) => (query.params === undefined ? undefined : context.params === undefined ? query.params : { ...context.params, ...query.params });
  const runChild: RunChild = (query) =>
    executePlan(query.node, query.elements, context, { params: paramsOf(query), populateExisting: run.populateExisting, postLoad: runPostLoads });
  const runChildGroups: RunChildGroups = (query) =>
    executeGroupedPlan(query.node, query.elements, context, { params: paramsOf(query), populateExisting: run.populateExisting, postLoad: runPostLoads }, query.repeatsRows === true);
  const lookup: PostLoadContext["lookup"] = (mapper, identity) => context.find(mapper, identity);
  for (const [load, states] of run.loaded) {
    if (load.polymorphic !== undefined && load.polymorphic.selectin.length > 0) yield* loadSubclassColumns(load, states, runChild);
    for (const post of load.post) {
      const parents = [...states].filter((state) => run.populates(state, post.property.slot));
      if (parents.length === 0) continue;
      if (post.strategy.postLoad !== undefined) yield* post.strategy.postLoad(post, parents, { runChild, runChildGroups, source, parentOwner: load.owner, lookup });
    }
  }
};
