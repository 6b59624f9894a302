import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { InstanceState } from "../state/instance-state.ts";
import type { LoadTree } from "../loading/load-tree.ts";
import { targetCriteria } from "./child-query.ts";

/**
 * Whether the object's load of `property` is narrowed by criteria it was loaded with
 * (`lazyload(Post.author.and(…))`, a propagating `withLoaderCriteria()` of the target): then the
 * load must select, even a many-to-one whose target is in the identity map.
 */
export function loadsWithCriteria(state: InstanceState, property: RelationshipProperty): boolean {
  const options = state.loadOptions as LoadTree | undefined;
  if (options === undefined) return false;
  const below = { tree: options.child(property.key), path: [], criteria: options.criteriaFor(property.key) };
  return targetCriteria(property.join.target as Mapper, below).length > 0;
}
