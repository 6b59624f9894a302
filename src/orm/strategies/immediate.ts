import type { PostLoad } from "../loading/load-plan.ts";
import type { AwaitedLoad, LoaderStrategy, PostLoadContext, RelationshipPlanning } from "../loading/loader-strategy.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { loadForParent } from "./parent-load.ts";
import { installRelationshipAccessor } from "./relationship-accessor.ts";
import { NOT_LOADED_NOTE, loadFromMemoryOrSelect, readOrMissingGreenlet } from "./unloaded-read.ts";

/**
 * `lazy: "immediate"` / `immediateload()`: each parent's relationship loads as the parents load,
 * with the lazy loader's own statement (none for a many-to-one found in the identity map), all
 * before the awaited call returns.
 */
export class ImmediateLoader implements LoaderStrategy<"immediate"> {
  readonly name = "immediate";
  readonly eager = true;
  readonly joinsIntoStatement = false;
  readonly needsWholeResult = false;
  readonly populates = true;
  readonly unloadedNote = NOT_LOADED_NOTE;

  initClassAttribute(property: RelationshipProperty, prototype: object): void {
    installRelationshipAccessor(property, prototype);
  }

  plan(planning: RelationshipPlanning): void {
    // The immediate loader is the lazy loader run early: it has what the instances keep.
    planning.loadAfter(this, planning.tree?.propagating());
  }

  async postLoad(post: PostLoad, parents: readonly InstanceState[], context: PostLoadContext): Promise<void> {
    for (const state of parents) await loadForParent(state, post.property, post, context.runChild, context.lookup);
  }

  readUnloaded(state: InstanceState, property: RelationshipProperty): unknown {
    return readOrMissingGreenlet(state, property, false);
  }

  loadAwaited(_state: InstanceState, _property: RelationshipProperty, load: AwaitedLoad): Promise<unknown> {
    return loadFromMemoryOrSelect(load);
  }

  explain(): { statements: string; addsStatements: number } {
    return { statements: "1 per parent (none for identity-map hits)", addsStatements: 0 };
  }
}
