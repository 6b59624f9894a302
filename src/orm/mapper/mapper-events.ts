import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import { ListenerRegistry, type Registered } from "../../shared/listener-registry.ts";
import type { Mapper } from "./mapper.ts";

/** What `load` and `refresh` listeners get besides the instance (SQLAlchemy's `QueryContext`, reduced). */
export interface LoadEventContext<S = unknown> {
  /** The session the instance was loaded into. */
  readonly session: S;
}

/** A mapper's persistence listener: `(mapper, connection, target)`, awaited in turn. */
export type PersistenceListener<T> = (mapper: Mapper, connection: AsyncConnection, target: T) => void | Promise<void>;

/**
 * The events of one model class (SQLAlchemy's `MapperEvents`). The persistence events fire per
 * instance during a flush, on the connection the row is written on: `before*` for each row of a
 * statement before it is sent (a `before*` listener may still change column values: they are
 * written), `after*` after it. `load` fires once per instance built from a row (after the query's
 * rows are in, before its eager loads run); `refresh` for an instance a query or `session.refresh()`
 * overwrote (`attrs`: the names refreshed, or `undefined` for all).
 */
export interface MapperEventMap<T = object, S = unknown> {
  beforeInsert: PersistenceListener<T>;
  afterInsert: PersistenceListener<T>;
  beforeUpdate: PersistenceListener<T>;
  afterUpdate: PersistenceListener<T>;
  beforeDelete: PersistenceListener<T>;
  afterDelete: PersistenceListener<T>;
  load: (target: T, context: LoadEventContext<S>) => void;
  refresh: (target: T, context: LoadEventContext<S>, attrs: readonly string[] | undefined) => void;
}

type AnyMapperEvents = ListenerRegistry<MapperEventMap>;

const registries = new WeakMap<Mapper, AnyMapperEvents>();
let listenedMappers = 0;

/** The listeners of `mapper`'s events, made on first use. */
export function mapperEventsOf(mapper: Mapper): AnyMapperEvents {
  let registry = registries.get(mapper);
  if (registry === undefined) {
    registries.set(mapper, (registry = new ListenerRegistry<MapperEventMap>()));
    listenedMappers++;
  }
  return registry;
}

/** Whether any mapper was ever listened to: loads collect their instances for `load` / `refresh` only then. */
export function anyMapperListened(): boolean {
  return listenedMappers > 0;
}

/**
 * The listeners of `name` for instances of `mapper`'s class: those of the class and, in an
 * inheritance hierarchy, of each class above it (base first), as a listener on a model reaches
 * its subclasses; undefined when none (one map lookup without inheritance).
 */
export function mapperListeners<K extends keyof MapperEventMap>(mapper: Mapper, name: K): readonly Registered<MapperEventMap[K]>[] | undefined {
  if (mapper.inheritance?.parent === undefined) return registries.get(mapper)?.listeners(name);
  let all: Registered<MapperEventMap[K]>[] | undefined;
  for (const m of lineage(mapper)) {
    const own = registries.get(m)?.listeners(name);
    if (own !== undefined) (all ??= []).push(...own);
  }
  return all;
}

/** Whether instances of `mapper`'s class have any listener at all (their class's, or a class's above it). */
export function mapperListened(mapper: Mapper): boolean {
  if (mapper.inheritance?.parent === undefined) return registries.get(mapper)?.any === true;
  return lineage(mapper).some((m) => registries.get(m)?.any === true);
}

/** `mapper` and the mappers of the classes above it, base first. */
function lineage(mapper: Mapper): Mapper[] {
  const chain: Mapper[] = [];
  for (let m: Mapper | undefined = mapper; m !== undefined; m = m.inheritance?.parent as Mapper | undefined) chain.unshift(m);
  return chain;
}
