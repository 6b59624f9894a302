/**
 * How a session's `refresh()` reloads an object now: its named attributes (columns in one SELECT,
 * each relationship by its own query), or every column and what the object was loaded with.
 * Apart from SessionBase because it is a load of its own, between the flush and get-by-identity.ts.
 */

import { InvalidRequestError } from "../../shared/errors.ts";
import { type Io, io } from "../../shared/io.ts";
import type { LoadTree } from "../loading/load-tree.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { loadRelationship } from "../strategies/load-relationship.ts";
import { attributeSlots } from "./attribute-slots.ts";
import { cascadeClosure } from "./cascades.ts";
import { type FlushHost, autoflushDue, flushSession } from "./flush-session.ts";
import { loadByIdentity } from "./get-by-identity.ts";
import { loadColumns } from "./load-columns.ts";
import { fireRefresh } from "./session-load-events.ts";

/** Reloads `state`'s named attributes (all its columns without names), discarding their unflushed changes. */
export function* refreshObject(host: FlushHost, state: InstanceState, attributeNames: readonly string[] | undefined, options: { withForUpdate?: boolean }): Io<void> {
  const { session, identityMap } = host;
  if (!state.hasIdentity || state.owner !== identityMap) {
    throw new InvalidRequestError(`Instance '${state.mapper.describe(state)}' is not persistent within this Session`);
  }
  const mapper = state.mapper as Mapper;
  if (attributeNames !== undefined) {
    const relationships = attributeNames.map((n) => mapper.relationship(n)).filter((r) => r !== undefined);
    const slots = attributeSlots(state, attributeNames.filter((n) => !mapper.relationship(n)));
    // As SQLAlchemy: the named attributes are expired (their unflushed changes discarded), then the autoflush runs.
    state.expireSlots(slots, state.unloadedReason);
    if (!state.modified) identityMap.clearModified(state);
    if (autoflushDue(host)) yield* flushSession(host);
    // A relationship's query needs the join columns: whatever is unloaded is loaded with the named columns.
    if (relationships.length > 0) for (const c of mapper.columns) if (!c.deferred && state.valueAt(c.slot) === UNLOADED) slots.push(c.slot);
    if (slots.length > 0) {
      const conn = yield* host.router.connectionOfState(state, options.withForUpdate !== true);
      yield* loadColumns(state, [...new Set(slots)], options.withForUpdate ?? false, conn, identityMap, "refresh");
      fireRefresh(session, state, [...new Set(slots)]);
    }
    for (const property of relationships) {
      yield* loadRelationship(state, property, host.router.contextOf(state.identityToken));
      host.nPlusOne?.record(property.path);
    }
    return;
  }
  // As SQLAlchemy: what the object's refresh-expire cascades reach is expired, to load on next use.
  for (const other of cascadeClosure(state, "refresh-expire")) if (other.hasIdentity && other.owner === identityMap) other.expireAll("expired");
  const columnSlots = mapper.columns.filter((c) => !c.deferred).map((c) => c.slot);
  state.expireSlots(columnSlots, state.unloadedReason);
  // The loader options the object was loaded with run again (SQLAlchemy's state.load_options).
  const tree = state.loadOptions as LoadTree | undefined;
  const found = yield* loadByIdentity(host, mapper, state.identity ?? [], { ...options, populateExisting: true, tree }, state.identityToken);
  if (found === undefined) throw new InvalidRequestError(`Could not refresh instance '${mapper.describe(state)}'`);
  state.unloadedReason = undefined;
}
