import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import type { Executable } from "../../core/engine/executable.ts";
import { ArgumentError, InvalidRequestError } from "../../shared/errors.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { AsyncSession, type SessionOptions } from "./async-session.ts";
import { SHARD_ROUTING, type ShardRouting } from "./shard-routing.ts";

type ModelClass = abstract new (...args: never[]) => object;

/** What `ShardedSession` takes: the shards, and SQLAlchemy's three choosers. */
export interface ShardedSessionOptions extends Omit<SessionOptions, "binds" | "getBind"> {
  /** Shard id → engine. The first is the session's `engine` (what `session.begin()` connects). */
  readonly shards: Readonly<Record<string, AsyncEngine>>;
  /** Where a new object is INSERTed: called once per object at its first flush. */
  readonly shardChooser: (model: ModelClass, object: object) => string;
  /** Which shards may hold the row with this primary key; `get()` looks in them in order. */
  readonly identityChooser: (model: ModelClass, primaryKey: readonly unknown[]) => readonly string[];
  /**
   * Which shards a statement runs on (SQLAlchemy's `execute_chooser`); their rows are concatenated
   * in this order. `session.execute(stmt, params, { shardId })` runs on one shard without asking.
   */
  readonly executeChooser: (statement: Executable<unknown>) => readonly string[];
}

/**
 * A session over several databases holding the same tables, each row on one of them (SQLAlchemy's
 * `ext.horizontal_shard.ShardedSession`). The shard id is part of an instance's identity (its
 * `identityToken`): the same primary key on two shards is two instances. Queries run on the shards
 * `executeChooser` names and their rows are concatenated; a loaded instance's relationships, lazy
 * or eager, and its expired attributes load from its own shard; a flush writes each row to its
 * shard. One transaction per shard, committed one after the other (no two-phase commit).
 *
 * ```ts
 * const session = new ShardedSession({
 *   shards: { east: eastEngine, west: westEngine },
 *   shardChooser: (model, object) => ((object as Customer).region === "east" ? "east" : "west"),
 *   identityChooser: () => ["east", "west"],
 *   executeChooser: () => ["east", "west"],
 * });
 * ```
 */
export class ShardedSession extends AsyncSession {
  readonly shards: ReadonlyMap<string, AsyncEngine>;

  constructor(options: ShardedSessionOptions) {
    const { shards, shardChooser, identityChooser, executeChooser, ...sessionOptions } = options;
    const byId = new Map(Object.entries(shards));
    const first = byId.values().next();
    if (first.done) throw new ArgumentError("ShardedSession needs at least one shard");
    const engine = (shardId: string): AsyncEngine => {
      const found = byId.get(shardId);
      if (found === undefined) throw new InvalidRequestError(`Unknown shard id '${shardId}' (shards: ${[...byId.keys()].join(", ")})`);
      return found;
    };
    const modelOf = (mapper: Mapper): ModelClass => mapper.modelClass ?? mapper.base;
    const known = (chosen: readonly string[], by: string): readonly string[] => {
      for (const id of chosen) engine(id);
      if (chosen.length === 0) throw new InvalidRequestError(`The sharded session's ${by} chose no shard`);
      return chosen;
    };
    const routing: ShardRouting = {
      engine,
      chooseShard: (mapper, object) => {
        const id = shardChooser(modelOf(mapper), object);
        engine(id);
        return id;
      },
      identityShards: (mapper, primaryKey) => known(identityChooser(modelOf(mapper), primaryKey), "identityChooser"),
      executeShards: (statement) => known(executeChooser(statement), "executeChooser"),
    };
    super(first.value, { ...sessionOptions, [SHARD_ROUTING]: routing });
    this.shards = byId;
  }
}
