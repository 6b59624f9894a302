import type { Io } from "../../shared/io.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, UNLOADED, mappedState } from "../state/instance-state.ts";
import type { SessionObjects } from "./session-objects.ts";


/**
 * `session.merge()`: the session's instance with `source`'s primary key (from the identity map,
 * else `load`ed with one SELECT, else a new pending one) receives `source`'s loaded columns, and
 * relationships with the `merge` cascade are merged the same way. `merged` maps each source
 * already visited to its result, so cycles end.
 */
export function* mergeState(
  source: InstanceState,
  merged: Map<InstanceState, object>,
  objects: SessionObjects,
  load: (mapper: Mapper, identity: readonly unknown[]) => Io<object | undefined>,
): Io<object> {
  const done = merged.get(source);
  if (done !== undefined) return done;
  if (objects.contains(source)) {
    merged.set(source, source.object);
    return source.object;
  }
  const mapper = source.mapper as Mapper;
  const identity = mapper.primaryKey.map((c, i) => {
    const value = source.valueAt(c.slot);
    return value !== UNLOADED ? value : source.identity?.[i];
  });
  let target: object | undefined;
  if (identity.every((v) => v !== UNLOADED && v !== null && v !== undefined)) {
    target = objects.identityMap.find(mapper, identity)?.object;
    target ??= yield* load(mapper, identity);
  }
  if (target === undefined) {
    const state = mapper.instantiate();
    objects.attach(state);
    target = state.object;
  }
  merged.set(source, target);
  const writable = target as Record<string, unknown>;
  for (const c of mapper.columns) {
    const value = source.valueAt(c.slot);
    if (value !== UNLOADED) writable[c.key] = value;
  }
  for (const property of mapper.relationships) {
    const value = source.valueAt(property.slot);
    if (value === UNLOADED || !property.cascade.has("merge") || property.spec.options.viewonly) continue;
    if (Array.isArray(value)) {
      const children: object[] = [];
      for (const child of value) children.push(yield* mergeState(mappedState(child as object), merged, objects, load));
      writable[property.key] = children;
    } else {
      writable[property.key] = value === null ? null : yield* mergeState(mappedState(value as object), merged, objects, load);
    }
  }
  return target;
}
