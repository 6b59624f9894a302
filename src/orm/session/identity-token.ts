import { UnmappedError } from "../../shared/errors.ts";
import { stateOf } from "../state/instance-state.ts";

/**
 * The shard a `ShardedSession` loaded or wrote the object on (SQLAlchemy's
 * `inspect(obj).identity_token`); `undefined` outside sharding and before the first flush.
 */
export function identityTokenOf(object: object): string | undefined {
  const state = stateOf(object);
  if (state === undefined) throw new UnmappedError(`identityTokenOf() needs a mapped object; got ${object?.constructor?.name ?? typeof object}`);
  return state.identityToken;
}
