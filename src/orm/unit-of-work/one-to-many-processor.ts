import type { InstanceState } from "../state/instance-state.ts";
import { type DependencyProcessor, statesOf, syncOf } from "./dependency-processor.ts";

/**
 * A one-to-many (`user.posts`, or a one-to-one with `uselist: false`): the children hold the
 * foreign key. Each child in the collection gets the parent's key (saved after the parent); a
 * child removed from it gets NULL. Deleting goes children first. With `postUpdate` the children's
 * keys are written by an UPDATE after every row exists, and cleared before the DELETEs.
 */
export const oneToManyProcessor: DependencyProcessor = {
  processSave(state, property, current, changed, c) {
    const pairs = property.join.pairs;
    const childColumns = pairs.map((p) => p.remote.key);
    const parentColumns = pairs.map((p) => p.local.key);
    const postUpdate = property.spec.options.postUpdate === true;
    const children = statesOf(current, property);
    const previous: InstanceState[] = changed && state.committed?.has(property.slot) ? statesOf(state.committed.get(property.slot), property) : [];
    for (const child of children) {
      if (c.deleting.has(child) || (!changed && !c.saving.has(child))) continue;
      const sync = syncOf(child, childColumns, state, parentColumns);
      if (postUpdate) c.postUpdate(sync);
      else c.sync(sync);
      c.saving.add(child);
    }
    for (const removed of previous) {
      if (children.includes(removed) || removed.status === "deleted" || c.deleting.has(removed)) continue;
      c.sync(syncOf(removed, childColumns, null, []));
      c.saving.add(removed);
    }
  },

  processDelete(state, property, value, c) {
    for (const child of statesOf(value, property)) {
      if (!c.deleting.has(child)) continue;
      if (property.spec.options.postUpdate) c.clearBeforeDeletes(syncOf(child, property.join.pairs.map((p) => p.remote.key), null, []));
      else c.deleteBefore(child, state);
    }
  },
};
