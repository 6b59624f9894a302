import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { loadForParent } from "../strategies/parent-load.ts";
import { runPostLoads } from "../strategies/post-load.ts";
import { type LoaderContext, executePlan } from "./execute-plan.ts";

/** What an explicit relationship load needs from the session. */
export type RelationshipLoadContext = LoaderContext;

/**
 * Loads one relationship of one persistent object now (the awaited form of a lazy load, used by
 * `refresh(obj, ["rel"])`, `awaitableAttrs` and cascades). A many-to-one whose target is in the
 * identity map needs no SQL; otherwise one SELECT of the target by the join's columns. The
 * relationship's configured eager strategies apply below it.
 */
export async function loadRelationship(state: InstanceState, property: RelationshipProperty, context: RelationshipLoadContext): Promise<unknown> {
  return loadForParent(
    state,
    property,
    { tree: undefined, path: [state.mapper as Mapper] },
    (query) => executePlan(query.node, query.elements, context, { populateExisting: false, postLoad: runPostLoads }),
    (key) => context.get(key),
  );
}
