import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import type { ConnectionEventMap } from "../../core/engine/connection-events.ts";
import type { Connection } from "../../core/engine/connection.ts";
import type { Engine } from "../../core/engine/engine.ts";
import type { ColumnRef } from "../../core/sql/from-clause.ts";
import type { AttributeEventMap } from "../mapper/attribute-events.ts";
import type { MapperEventMap } from "../mapper/mapper-events.ts";
import type { RelationshipAttributeType } from "../mapping/model-types.ts";
import type { LoadStrategy } from "../mapping/relationship.ts";
import type { AsyncSession } from "../session/async-session.ts";
import type { AsyncSessionmaker } from "../session/async-sessionmaker.ts";
import type { Session } from "../session/session.ts";
import type { SessionEventMap } from "../session/session-events.ts";

/** What `listen()` takes: an engine or connection, a session, sessionmaker or the session class, a model class, or a class attribute. */
export type ListenTarget =
  | AsyncEngine
  | AsyncConnection
  | Engine
  | Connection
  | AsyncSession
  | Session
  | AsyncSessionmaker
  | typeof AsyncSession
  | RelationshipAttributeType<unknown, string, LoadStrategy, never>
  | ColumnRef<unknown, string>
  | (abstract new (...args: never[]) => object);

type ItemOf<V> = V extends readonly (infer E)[] ? E : V;

/**
 * The events of a target, by name, with their listener types: `EventMapOf<typeof engine>` is
 * `ConnectionEventMap`, `EventMapOf<typeof User>` is `MapperEventMap<User>`,
 * `EventMapOf<typeof User.posts>` is `AttributeEventMap<object, Post[], Post>`.
 */
export type EventMapOf<T> = T extends AsyncEngine | AsyncConnection | Engine | Connection
  ? ConnectionEventMap
  : T extends AsyncSession | Session | AsyncSessionmaker | typeof AsyncSession
    ? SessionEventMap
    : T extends RelationshipAttributeType<infer V, string, LoadStrategy, never>
      ? AttributeEventMap<object, V, ItemOf<V>>
      : T extends ColumnRef<infer V, string>
        ? AttributeEventMap<object, V, never>
        : T extends abstract new (...args: never[]) => infer I
          ? MapperEventMap<I, AsyncSession>
          : never;

/** The event names of a target. */
export type EventNameOf<T> = keyof EventMapOf<T> & string;

/** The listener type of event `K` of target `T`. */
export type ListenerOf<T, K extends EventNameOf<T>> = EventMapOf<T>[K];
