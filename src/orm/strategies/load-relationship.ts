import type { Io } from "../../shared/io.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import type { SelectNode } from "../../core/sql/nodes.ts";
import { localValues } from "../mapper/lazy-read.ts";
import { getStatement } from "../query/get-statement.ts";
import type { QueryPlan } from "../loading/load-plan.ts";
import type { NamedParams } from "../../core/engine/executable.ts";
import type { LoadTree } from "../loading/load-tree.ts";
import { type LoaderContext, executePlan } from "../loading/execute-plan.ts";
import { loadForParent } from "./parent-load.ts";
export { loadsWithCriteria } from "./loads-with-criteria.ts";
import { runPostLoads } from "./post-load.ts";

/** What an explicit relationship load needs from the session. */
export type RelationshipLoadContext = LoaderContext;

/**
 * Loads one relationship of one persistent object now: the lazy load itself, used by
 * `refresh(obj, ["rel"])`, `awaitableAttrs` and cascades (through `runAsync`), and by a synchronous
 * read (through `runSync`). A many-to-one whose target is in the identity map needs no SQL;
 * otherwise one SELECT of the target by the join's columns. The relationship's configured eager
 * strategies apply below it. The caller owns the session's part: its operation guard and autoflush.
 */
export function* loadRelationship(state: InstanceState, property: RelationshipProperty, context: RelationshipLoadContext): Io<unknown> {
  const run = (node: SelectNode, elements: QueryPlan["elements"], params?: NamedParams) =>
    executePlan(node, elements, context, { params, populateExisting: false, postLoad: runPostLoads });
  if (localValues(state, property).includes(UNLOADED)) {
    // The parent's join columns were expired: load its row first (only unloaded slots are filled).
    const lookup = getStatement(state.mapper as Mapper);
    const plan = lookup.statement.plan;
    yield* run(plan.node, plan.elements, lookup.params(state.identity ?? []));
  }
  // Options of the query that loaded the parent travel with it (SQLAlchemy's propagated options),
  // the criteria of `lazyload(User.posts.and(…))` and `withLoaderCriteria()` among them.
  const options = state.loadOptions as LoadTree | undefined;
  return yield* loadForParent(
    state,
    property,
    { tree: options?.child(property.key), path: [state.mapper as Mapper], criteria: options?.criteriaFor(property.key) },
    (query) => run(query.node, query.elements),
    (mapper, identity) => context.find(mapper, identity),
  );
}
