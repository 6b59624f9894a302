import type { PostLoad } from "../loading/load-plan.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { type IdentityLookup, loadForParent } from "./parent-load.ts";
import type { RunChild } from "./selectin.ts";

/**
 * `lazy: "immediate"` / `immediateload()`: each parent's relationship loads as the parents load,
 * with the lazy loader's own statement (none for a many-to-one found in the identity map), all
 * before the awaited call returns.
 */
export async function loadImmediate(post: PostLoad, parents: readonly InstanceState[], runChild: RunChild, lookup: IdentityLookup): Promise<void> {
  for (const state of parents) await loadForParent(state, post.property, post, runChild, lookup);
}
