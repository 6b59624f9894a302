import { type DependencyProcessor, stateOfObject, syncOf } from "./dependency-processor.ts";

/**
 * A many-to-one (`post.author`): the object holds the foreign key. A changed reference copies the
 * target's key into it, so the target's row is saved first; deleting it goes before deleting the
 * target. With `postUpdate` the key is written by an UPDATE after both rows exist instead (rows
 * that reference each other), and cleared before both are deleted.
 */
export const manyToOneProcessor: DependencyProcessor = {
  processSave(state, property, current, changed, c) {
    if (!changed) return;
    const target = current === null ? null : stateOfObject(current, property);
    const pairs = property.join.pairs;
    const sync = syncOf(state, pairs.map((p) => p.local.key), target, pairs.map((p) => p.remote.key));
    if (property.spec.options.postUpdate && target !== null) c.postUpdate(sync);
    else c.sync(sync);
  },

  processDelete(state, property, value, c) {
    if (value === null) return;
    const target = stateOfObject(value, property);
    if (!c.deleting.has(target)) return;
    if (property.spec.options.postUpdate) c.clearBeforeDeletes(syncOf(state, property.join.pairs.map((p) => p.local.key), null, []));
    else c.deleteBefore(state, target);
  },
};
