import { type DependencyProcessor, statesOf } from "./dependency-processor.ts";

/**
 * A many-to-many (`post.tags` through `post_tags`): neither object holds a key; the association
 * table does. A changed collection INSERTs the rows of added objects and DELETEs those of removed
 * ones (after both objects' rows exist); a deleted object's association rows go before it.
 */
export const manyToManyProcessor: DependencyProcessor = {
  processSave(state, property, current, changed, c) {
    if (!changed) return;
    const children = statesOf(current, property);
    const previous = !state.hasIdentity ? [] : statesOf(state.committed?.get(property.slot), property);
    for (const child of children) if (!previous.includes(child)) c.secondary({ property, parent: state, child, action: "insert" });
    for (const child of previous) if (!children.includes(child)) c.secondary({ property, parent: state, child, action: "delete" });
  },

  processDelete(state, property, value, c) {
    // The association rows the database holds for this object.
    const held = state.committed?.has(property.slot) ? statesOf(state.committed.get(property.slot), property) : statesOf(value, property);
    for (const child of held) c.secondary({ property, parent: state, child, action: "delete" });
  },
};
