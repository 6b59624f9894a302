import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import type { Executable } from "../../core/engine/executable.ts";
import type { Mapper } from "../mapper/mapper.ts";

/**
 * What a session needs to spread its work over shards (implemented by `ShardedSession`): the
 * engine of each shard id, and the three choices of SQLAlchemy's `horizontal_shard`.
 */
export interface ShardRouting {
  /** The engine of a shard id; unknown ids are refused. */
  engine(shardId: string): AsyncEngine;
  /** Where a new object is INSERTed. */
  chooseShard(mapper: Mapper, object: object): string;
  /** Which shards may hold the row with this primary key (`get` looks in them in order). */
  identityShards(mapper: Mapper, primaryKey: readonly unknown[]): readonly string[];
  /** Which shards a statement runs on; their rows are concatenated in this order. */
  executeShards(statement: Executable<unknown>): readonly string[];
}

/** The session option key a `ShardedSession` passes its routing under (not part of the public options). */
export const SHARD_ROUTING: unique symbol = Symbol("tsalchemy.shardRouting");
