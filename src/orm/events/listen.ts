import { AsyncConnection } from "../../core/engine/async-connection.ts";
import { AsyncEngine } from "../../core/engine/async-engine.ts";
import { Connection } from "../../core/engine/connection.ts";
import { Engine } from "../../core/engine/engine.ts";
import type { ConnectionEventMap } from "../../core/engine/connection-events.ts";
import { InvalidRequestError } from "../../shared/errors.ts";
import type { AnyListener, ListenerRegistry, ListenOptions } from "../../shared/listener-registry.ts";
import { type AttributeEventMap, attributeEventsOf, propertyOfClassAttribute } from "../mapper/attribute-events.ts";
import { type MapperEventMap, mapperEventsOf } from "../mapper/mapper-events.ts";
import { RelationshipAttribute } from "../mapper/relationship-attribute.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import { AsyncSession } from "../session/async-session.ts";
import { SessionBase } from "../session/session-base.ts";
import { MAKER_EVENTS, SESSION_CLASS_EVENTS, type SessionEventMap } from "../session/session-events.ts";
import type { EventMapOf, EventNameOf, ListenTarget } from "./event-maps.ts";

type AnyRegistry = ListenerRegistry<Record<string, AnyListener>>;

/** Each kind's event names, as records so that an event added to a map fails compilation here until listed. */
const CONNECTION_EVENTS = names<ConnectionEventMap>({
  beforeExecute: true, afterExecute: true, handleError: true, begin: true, commit: true, rollback: true,
  savepoint: true, rollbackSavepoint: true, releaseSavepoint: true,
});
const SESSION_EVENTS = names<SessionEventMap>({
  beforeFlush: true, afterFlush: true, afterFlushPostexec: true, afterBegin: true, beforeCommit: true, afterCommit: true,
  afterRollback: true, afterSoftRollback: true, beforeAttach: true, afterAttach: true, transientToPending: true,
  pendingToTransient: true, pendingToPersistent: true, persistentToTransient: true, persistentToDetached: true,
  persistentToDeleted: true, deletedToDetached: true, deletedToPersistent: true, detachedToPersistent: true,
  loadedAsPersistent: true, doOrmExecute: true, afterBulkUpdate: true, afterBulkDelete: true,
});
const MAPPER_EVENTS = names<MapperEventMap>({
  beforeInsert: true, afterInsert: true, beforeUpdate: true, afterUpdate: true, beforeDelete: true, afterDelete: true, load: true, refresh: true,
});
const ATTRIBUTE_EVENTS = names<AttributeEventMap>({ set: true, append: true, remove: true });

function names<M>(record: { readonly [K in keyof M]: true }): readonly string[] {
  return Object.keys(record);
}

/** The registry `name` of `target` lives in; refuses an unknown target or an event it does not have. */
function registryOf(target: unknown, name: string): AnyRegistry {
  const [registry, names, kind] = resolve(target);
  if (!names.includes(name)) {
    throw new InvalidRequestError(`No such event '${name}' for ${kind}; its events are: ${names.join(", ")}`);
  }
  return registry as AnyRegistry;
}

function resolve(target: unknown): [unknown, readonly string[], string] {
  if (target instanceof AsyncEngine || target instanceof AsyncConnection || target instanceof Engine || target instanceof Connection) return [target.connectionEvents, CONNECTION_EVENTS, "an engine or connection"];
  if (target instanceof SessionBase) return [target.sessionEvents.own, SESSION_EVENTS, "a session"];
  if (target === AsyncSession || (typeof target === "function" && target.prototype instanceof AsyncSession)) {
    return [SESSION_CLASS_EVENTS, SESSION_EVENTS, "the session class"];
  }
  if (typeof target === "function" && MAKER_EVENTS in target) return [(target as { [MAKER_EVENTS]: unknown })[MAKER_EVENTS], SESSION_EVENTS, "a sessionmaker"];
  if (target instanceof RelationshipAttribute) return [attributeEventsOf(target.property), ATTRIBUTE_EVENTS, `the attribute ${target.parent.className}.${target.property.key}`];
  const column = typeof target === "object" && target !== null ? propertyOfClassAttribute(target) : undefined;
  if (column !== undefined) return [attributeEventsOf(column), ATTRIBUTE_EVENTS, "a column attribute"];
  const mapper = mapperOfClass(target);
  if (mapper !== undefined) {
    mapper.ensureRegistered(target as abstract new (...args: never[]) => object);
    return [mapperEventsOf(mapper), MAPPER_EVENTS, `the model ${mapper.className}`];
  }
  throw new InvalidRequestError(
    "listen() takes an AsyncEngine or AsyncConnection, an AsyncSession, an asyncSessionmaker, the AsyncSession class, a model class, or a class attribute (User.name, User.posts)",
  );
}

/**
 * Registers `fn` for the event `name` of `target` (SQLAlchemy's `event.listen`). Event names are
 * SQLAlchemy's in camelCase, and each target's names and listener arguments are typed:
 *
 * ```ts
 * listen(User, "beforeInsert", (mapper, connection, user) => { user.createdAt = new Date(); });
 * // INSERT INTO "users" ("name", "created_at") VALUES (?, ?)
 * listen(engine, "beforeExecute", (conn, sql, params) => console.log(sql, params));
 * listen(User.name, "set", (user, value) => value.trim(), { retval: true });
 * listen(session, "afterCommit", (session) => cache.clear());
 * ```
 *
 * A target's listeners run in registration order (`insert: true` puts one first); `once: true`
 * removes it after its first call. The session's flush, commit and rollback events, and the
 * mapper's persistence events, are awaited when the listener returns a promise.
 */
export function listen<T extends ListenTarget, K extends EventNameOf<T>>(target: T, name: K, fn: EventMapOf<T>[K], options: ListenOptions = {}): void {
  registryOf(target, name).add(name, fn as AnyListener, options);
}

/** Unregisters a listener `listen()` registered (SQLAlchemy's `event.remove`); an error when it is not registered. */
export function remove<T extends ListenTarget, K extends EventNameOf<T>>(target: T, name: K, fn: EventMapOf<T>[K]): void {
  if (!registryOf(target, name).remove(name, fn as AnyListener)) {
    throw new InvalidRequestError(`No listener for event '${name}' matches the function given: it was not registered with listen() on this target`);
  }
}

/** Whether `fn` is registered for `name` on `target` (SQLAlchemy's `event.contains`). */
export function contains<T extends ListenTarget, K extends EventNameOf<T>>(target: T, name: K, fn: EventMapOf<T>[K]): boolean {
  return registryOf(target, name).contains(name, fn as AnyListener);
}

/**
 * SQLAlchemy's `@event.listens_for` decorator as a function: `listensFor(target, name)(fn)`
 * registers `fn` and returns it, typed, so it can be declared where it is registered.
 *
 * ```ts
 * const stamp = listensFor(Post, "beforeUpdate")((mapper, connection, post) => { post.updatedAt = new Date(); });
 * ```
 */
export function listensFor<T extends ListenTarget, K extends EventNameOf<T>>(
  target: T,
  name: K,
  options: ListenOptions = {},
): <F extends EventMapOf<T>[K]>(fn: F) => F {
  return (fn) => {
    listen(target, name, fn, options);
    return fn;
  };
}
