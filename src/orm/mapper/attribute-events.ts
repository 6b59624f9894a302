import { ListenerRegistry } from "../../shared/listener-registry.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";

/** The old value a `set` listener gets when the attribute held none (never set, expired or unloaded): SQLAlchemy's `NO_VALUE`. */
export const NO_VALUE: unique symbol = Symbol("tsalchemy.noValue");

/** What started an attribute event (SQLAlchemy's `initiator`): the attribute and the operation. */
export interface AttributeEventToken {
  readonly key: string;
  readonly op: "set" | "append" | "remove";
}

/**
 * The events of one mapped attribute (`User.name`, `User.posts`; SQLAlchemy's `AttributeEvents`).
 * `set` fires for a column or a many-to-one; `append` / `remove` for each item a collection gains or
 * loses (in place, or by assigning a new array). With `retval: true`, what `set` and `append`
 * return is stored instead of the value given.
 */
export interface AttributeEventMap<T = object, V = unknown, I = unknown> {
  set: (target: T, value: V, oldValue: V | typeof NO_VALUE, initiator: AttributeEventToken) => V | void;
  append: (target: T, value: I, initiator: AttributeEventToken) => I | void;
  remove: (target: T, value: I, initiator: AttributeEventToken) => void;
}

type AnyAttributeEvents = ListenerRegistry<AttributeEventMap>;

const registries = new WeakMap<object, AnyAttributeEvents>();
/** How many attributes have listeners: the accessors read this one field before anything else. */
export const attributeListening = { count: 0 };

const propertiesOfAttributes = new WeakMap<object, object>();

/** Declares that the class attribute `attribute` (`User.name`, a table column) stands for `property`. */
export function registerClassAttribute(attribute: object, property: object): void {
  propertiesOfAttributes.set(attribute, property);
}

/** The column property a class attribute stands for, if it is one. */
export function propertyOfClassAttribute(attribute: object): object | undefined {
  return propertiesOfAttributes.get(attribute);
}

/** The listeners of a column or relationship property, made on first use. */
export function attributeEventsOf(property: object): AnyAttributeEvents {
  let registry = registries.get(property);
  if (registry === undefined) {
    registries.set(property, (registry = new ListenerRegistry<AttributeEventMap>()));
    attributeListening.count++;
  }
  return registry;
}

/** Runs the `set` listeners of `property`: the value to store. Call only when `attributeListening.count > 0`. */
export function fireSet(property: { readonly key: string }, state: InstanceState, value: unknown, oldValue: unknown): unknown {
  const listeners = registries.get(property)?.listeners("set");
  if (listeners === undefined) return value;
  const initiator = { key: property.key, op: "set" } as const;
  const old = oldValue === UNLOADED || oldValue === undefined ? NO_VALUE : oldValue;
  for (const listener of listeners) {
    const returned = listener.run(state.object, value, old, initiator);
    if (listener.retval) value = returned;
  }
  return value;
}

/** Whether `property` has `append` or `remove` listeners (checked before diffing a collection). */
export function watchesCollection(property: object): boolean {
  const registry = registries.get(property);
  return registry !== undefined && (registry.listeners("append") !== undefined || registry.listeners("remove") !== undefined);
}

/**
 * Runs `remove` for each item `before` had and `after` lacks, then `append` for each new one; an
 * `append` listener with `retval` replaces its item in `after` (an index store, not tracked again).
 */
export function fireCollectionChange(property: { readonly key: string }, state: InstanceState, before: readonly unknown[], after: unknown[]): void {
  const registry = registries.get(property);
  if (registry === undefined) return;
  const removes = registry.listeners("remove");
  if (removes !== undefined) {
    const remaining = new Set(after);
    const initiator = { key: property.key, op: "remove" } as const;
    for (const item of before) if (!remaining.has(item)) for (const listener of removes) listener.run(state.object, item, initiator);
  }
  const appends = registry.listeners("append");
  if (appends !== undefined) {
    const had = new Set(before);
    const initiator = { key: property.key, op: "append" } as const;
    for (let i = 0; i < after.length; i++) {
      let item = after[i];
      if (had.has(item)) continue;
      for (const listener of appends) {
        const returned = listener.run(state.object, item, initiator);
        if (listener.retval) item = returned;
      }
      after[i] = item;
    }
  }
}
