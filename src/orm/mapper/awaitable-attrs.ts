import { ArgumentError } from "../../shared/errors.ts";
import { type InstanceState, STATE, UNLOADED, mappedState } from "../state/instance-state.ts";
import type { Mapper } from "./mapper.ts";

type Stateful = { [STATE]: InstanceState } & Record<string, unknown>;

/**
 * `obj.awaitableAttrs.organization` (SQLAlchemy's `AsyncAttrs`): every mapped attribute as a
 * promise, resolved from memory when it is loaded and by the owning session's query otherwise.
 * Without a session, it settles as a plain read would (the value, or `DetachedInstanceError`).
 */
export function installAwaitableAttrs(mapper: Mapper, prototype: object): void {
  Object.defineProperty(prototype, "awaitableAttrs", {
    configurable: true,
    enumerable: false,
    get(this: Stateful) {
      const object = this;
      return new Proxy(
        {},
        {
          get(_, key) {
            if (typeof key !== "string") return undefined;
            if (mapper.property(key) === undefined) {
              return Promise.reject(new ArgumentError(`${mapper.className} has no mapped attribute "${key}" to load`));
            }
            const state = mappedState(object);
            const owner = state.owner;
            const slot = (mapper.property(key) as { slot: number }).slot;
            if (state.valueAt(slot) !== UNLOADED || owner?.loadAttribute === undefined || !state.hasIdentity) {
              return new Promise((resolve) => resolve(object[key]));
            }
            return owner.loadAttribute(state, key);
          },
        },
      );
    },
  });
}
