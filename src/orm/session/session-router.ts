import type { Executable } from "../../core/engine/executable.ts";
import { InvalidRequestError } from "../../shared/errors.ts";
import type { Io } from "../../shared/io.ts";
import type { LoaderContext } from "../loading/execute-plan.ts";
import type { LoadEvents } from "../loading/load-rows.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { EntitySelect } from "../query/entity-select.ts";
import type { InstanceState, StateMapper } from "../state/instance-state.ts";
import type { IdentityMap } from "./identity-map.ts";
import { type BindKey, type GetBind, SessionBinds, isReadOnly } from "./session-binds.ts";
import type { SessionConnection, SessionConnections, SessionEngine } from "./session-connections.ts";
import type { ShardRouting } from "./shard-routing.ts";

/** Where a statement runs: an engine, and the shard whose identity token its instances get. */
export interface Target {
  readonly engine: SessionEngine;
  readonly shard: string | undefined;
}

/** Where one statement is asked to run (a session statement's `bind` / `shardId`). */
export interface TargetChoice {
  readonly bind?: SessionEngine | undefined;
  readonly shardId?: string | undefined;
}

/** What the router is built from: the session's engine, its bind options and its transaction. */
export interface RouterParts {
  readonly engine: SessionEngine;
  readonly binds: ReadonlyMap<BindKey, SessionEngine> | undefined;
  readonly getBind: GetBind | undefined;
  readonly sharding: ShardRouting | undefined;
  readonly connections: SessionConnections;
  readonly identityMap: IdentityMap;
  /** The engine's connection in the session's transaction (the session refuses it after a failed flush). */
  readonly connect: (engine: SessionEngine) => Io<SessionConnection>;
  /** The session's load events, handed to every loader context. */
  readonly loadEvents?: LoadEvents;
}

/**
 * Which engine each of a session's operations runs on: the statement's explicit bind, the
 * `ShardedSession`'s shards, `getBind` / `binds`, or the session's engine; and the loader context
 * of each shard. It keeps whether the current transaction has written, for read-your-writes.
 */
export class SessionRouter {
  readonly #parts: RouterParts;
  readonly #binds: SessionBinds;
  /** Loader contexts: one for unsharded loads (key undefined), one per shard. */
  readonly #contexts = new Map<string | undefined, LoaderContext>();
  /** The unsharded context, also held here: every load of an unsharded session asks for it. */
  #unsharded: LoaderContext | undefined;
  /** The current transaction has written (a flush that emitted SQL, DML, text()). */
  wrote = false;

  constructor(parts: RouterParts) {
    this.#parts = parts;
    this.#binds = new SessionBinds(parts.engine, parts.binds, parts.getBind);
  }

  /** Whether every operation runs on the session's engine (no binds, no getBind, no shards). */
  get single(): boolean {
    return this.#binds.single && this.#parts.sharding === undefined;
  }

  get sharding(): ShardRouting | undefined {
    return this.#parts.sharding;
  }

  /** Where a statement runs: its explicit bind or shard, the sharded session's choice, or the bind for it. */
  targetsOf(statement: Executable<unknown>, entity: EntitySelect<readonly unknown[]> | undefined, choice: TargetChoice | undefined): Target[] {
    const { sharding, engine } = this.#parts;
    if (sharding !== undefined) {
      const shards = choice?.shardId !== undefined ? [choice.shardId] : sharding.executeShards(statement);
      return shards.map((shard) => ({ engine: sharding.engine(shard), shard }));
    }
    if (choice?.shardId !== undefined) throw new InvalidRequestError("shardId needs a ShardedSession");
    if (choice?.bind !== undefined) return [{ engine: choice.bind, shard: undefined }];
    if (this.#binds.single) return [{ engine, shard: undefined }];
    const first = entity?.plan.elements[0];
    const mapper = first?.kind === "entity" ? first.load.mapper : undefined;
    const request = this.#binds.forStatement(statement, mapper, this.wrote, this.#parts.connections.engines());
    return [{ engine: this.#binds.engineFor(request), shard: undefined }];
  }

  /** Notes a statement run outside the ORM's loads: one that may write makes the transaction "wrote". */
  ran(statement: Executable<unknown>): void {
    if (!this.wrote && !isReadOnly(statement)) this.wrote = true;
  }

  /** The connection for `state`'s rows: its shard's (chosen now for a new object), or its bind's. */
  connectionOfState(state: InstanceState, readOnly: boolean): Io<SessionConnection> {
    const sharding = this.#parts.sharding;
    if (sharding !== undefined) return this.#parts.connect(sharding.engine(this.shardOf(state, sharding)));
    return this.#parts.connect(this.engineOfMapper(state.mapper as Mapper, readOnly));
  }

  /** A new object's shard is chosen once (at its first flush), and is then part of its identity. */
  shardOf(state: InstanceState, sharding: ShardRouting): string {
    return (state.identityToken ??= sharding.chooseShard(state.mapper as Mapper, state.object));
  }

  engineOfMapper(mapper: Mapper | undefined, readOnly: boolean): SessionEngine {
    if (this.#binds.single || mapper === undefined) return this.#parts.engine;
    return this.#binds.engineFor(this.#binds.forMapper(mapper, readOnly, this.wrote, this.#parts.connections.engines()));
  }

  shardEngine(shardId: string): SessionEngine {
    const sharding = this.#parts.sharding;
    if (sharding === undefined) throw new InvalidRequestError("shardId needs a ShardedSession");
    return sharding.engine(shardId);
  }

  /**
   * The loader context for instances of one shard (`undefined`: unsharded), built on first use;
   * it only forwards to the session. A shard's context finds and adds instances under the shard's
   * identity token and loads from the shard, so relationships load from their parent's shard.
   */
  contextOf(shard: string | undefined): LoaderContext {
    if (shard === undefined && this.#unsharded !== undefined) return this.#unsharded;
    let context = this.#contexts.get(shard);
    if (context !== undefined) return context;
    const map = this.#parts.identityMap;
    const connect = this.#parts.connect;
    if (shard === undefined) {
      context = {
        find: (mapper: StateMapper, identity: readonly unknown[]) => map.find(mapper, identity),
        findObject: (mapper: StateMapper, value: unknown) => map.findObject(mapper, value),
        add: (s: InstanceState, value: unknown) => map.add(s, value),
        // Unsharded rows may share their load's state (a shard's carry their identity token each).
        sharedState: (mapper: StateMapper, loadOptions: unknown) => map.sharedState(mapper, loadOptions),
        addShared: (object: object, mapper: StateMapper, value: unknown) => map.addShared(object, mapper, value),
        connection: (mapper, readOnly) => connect(this.engineOfMapper(mapper as Mapper | undefined, readOnly)),
        ...(this.#parts.loadEvents === undefined ? {} : { loadEvents: this.#parts.loadEvents }),
      };
    } else {
      const engine = this.shardEngine(shard);
      context = {
        find: (mapper: StateMapper, identity: readonly unknown[]) => map.find(mapper, identity, shard),
        findObject: (mapper: StateMapper, value: unknown) => map.findObject(mapper, value, shard),
        add: (s: InstanceState, value: unknown) => {
          s.identityToken = shard;
          map.add(s, value);
        },
        connection: () => connect(engine),
        ...(this.#parts.loadEvents === undefined ? {} : { loadEvents: this.#parts.loadEvents }),
      };
    }
    this.#contexts.set(shard, context);
    if (shard === undefined) this.#unsharded = context;
    return context;
  }
}
