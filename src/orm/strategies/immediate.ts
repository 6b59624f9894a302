import type { Io } from "../../shared/io.ts";
import type { PostLoad } from "../loading/load-plan.ts";
import type { PostLoadContext, RelationshipPlanning } from "../loading/loader-strategy.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { loadForParent } from "./parent-load.ts";
import { PopulatingLoader } from "./populating-loader.ts";

/**
 * `lazy: "immediate"` / `immediateload()`: each parent's relationship loads as the parents load,
 * with the lazy loader's own statement (none for a many-to-one found in the identity map), all
 * before the awaited call returns.
 */
export class ImmediateLoader extends PopulatingLoader<"immediate"> {
  readonly name = "immediate";
  readonly eager = true;

  plan(planning: RelationshipPlanning): void {
    // The immediate loader is the lazy loader run early: it has what the instances keep.
    planning.loadAfter(this, planning.tree?.propagating());
  }

  *postLoad(post: PostLoad, parents: readonly InstanceState[], context: PostLoadContext): Io<void> {
    for (const state of parents) yield* loadForParent(state, post.property, post, context.runChild, context.lookup);
  }

  explain(): { statements: string; addsStatements: number } {
    return { statements: "1 per parent (none for identity-map hits)", addsStatements: 0 };
  }
}
