/**
 * How a session loads one attribute of one object on demand (`obj.awaitableAttrs.key`, which the
 * identity map forwards here): an expired or deferred column by a refresh of the expired columns,
 * a relationship as its loader strategy says. Apart from SessionBase because it is reached from
 * the instances, not from a session method, and holds the strategy's side of the session.
 */

import { ObjectDeletedError } from "../../shared/errors.ts";
import { type Io, type MaybePromise, io, runAsync } from "../../shared/io.ts";
import type { LoadTree } from "../loading/load-tree.ts";
import { targetWithoutSql } from "../mapper/lazy-read.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { loadRelationship, loadsWithCriteria } from "../strategies/load-relationship.ts";
import { LOADER_STRATEGIES } from "../strategies/registry.ts";
import { type FlushHost, autoflushDue, flushSession } from "./flush-session.ts";
import { loadByIdentity } from "./get-by-identity.ts";
import { loadColumns } from "./load-columns.ts";
import { fireRefresh } from "./session-load-events.ts";

/** What loading an attribute needs from the session, besides its flush: its operation guard. */
export interface AttributeLoadHost extends FlushHost {
  /** Runs `work` as one of the session's operations (refusing a concurrent one), by the shell's runner. */
  run<T>(method: string, work: () => Io<T>): MaybePromise<T>;
}

/**
 * `obj.awaitableAttrs.key`: a column by refresh; a relationship by its lazy statement, autoflushing
 * first. It answers a promise: it is the asynchronous read of an attribute (docs/adr/0014: under a
 * synchronous `Session`, the read itself loads).
 */
export async function loadAttribute(host: AttributeLoadHost, state: InstanceState, key: string): Promise<unknown> {
  const mapper = state.mapper as Mapper;
  const property = mapper.property(key);
  const { session } = host;
  if (property?.kind === "column") {
    // A column deferred with raiseload: the read raises (SQLAlchemy's awaitable_attrs does the same read).
    if (state.readOverrides?.has(property.slot)) return (state.object as Record<string, unknown>)[key];
    return host.run("load", () => loadColumnAttribute(host, state, property));
  }
  const relationship = property as RelationshipProperty;
  // The strategy the object was loaded with (a query's option), else the configured one, says what awaiting does.
  const strategy = LOADER_STRATEGIES[state.readOverrides?.get(relationship.slot) ?? relationship.strategy];
  return strategy.loadAwaited(state, relationship, {
    read: () => (state.object as Record<string, unknown>)[key],
    operation: (work) =>
      // The async shell's run() answers the guard's promise itself.
      Promise.resolve(
        host.run("load", function* () {
          if (autoflushDue(host)) yield* flushSession(host);
          return yield* io(work());
        }),
      ),
    inMemory: () => relationshipInMemory(host, state, relationship),
    select: () => runAsync(selectRelationship(host, state, relationship)),
  });
}

/**
 * The load of an attribute when reading it loads (a synchronous `Session`): a column as
 * `awaitableAttrs` loads it; a relationship after the autoflush, from memory when it can be, else
 * by its per-parent SELECT (the loading strategies' awaited load, without their refusals).
 */
export function* loadAttributeNow(host: FlushHost, state: InstanceState, key: string): Io<unknown> {
  const property = (state.mapper as Mapper).property(key);
  if (property?.kind === "column") return yield* loadColumnAttribute(host, state, property);
  const relationship = property as RelationshipProperty;
  if (autoflushDue(host)) yield* flushSession(host);
  const known = relationshipInMemory(host, state, relationship);
  return known !== UNLOADED ? known : yield* selectRelationship(host, state, relationship);
}

/** A relationship's value when memory has it (a NULL key, the identity map; never with criteria), kept on the object; else `UNLOADED`. */
function relationshipInMemory(host: FlushHost, state: InstanceState, relationship: RelationshipProperty): unknown {
  // With criteria the load selects, whatever the identity map holds (SQLAlchemy turns use_get off).
  const known = loadsWithCriteria(state, relationship)
    ? UNLOADED
    : targetWithoutSql(state, relationship, (m, identity) => host.identityMap.find(m, identity, state.identityToken));
  if (known !== UNLOADED) state.storeAt(relationship.slot, known);
  return known;
}

/** A relationship loaded by its per-parent SELECT, counted by N+1 detection. */
function* selectRelationship(host: FlushHost, state: InstanceState, relationship: RelationshipProperty): Io<unknown> {
  const value = yield* loadRelationship(state, relationship, host.router.contextOf(state.identityToken));
  host.nPlusOne?.record(relationship.path);
  return value;
}

/** An expired or deferred column, loaded as SQLAlchemy's expired-attribute loader does: every expired column in one SELECT. */
export function* loadColumnAttribute(host: FlushHost, state: InstanceState, property: ColumnProperty): Io<unknown> {
  const mapper = state.mapper as Mapper;
  const { session, identityMap } = host;
  if (!state.hasIdentity || state.owner !== identityMap) return (state.object as Record<string, unknown>)[property.key];
  if (autoflushDue(host)) yield* flushSession(host);
  const tree = state.loadOptions as LoadTree | undefined;
  if (tree !== undefined && !tree.isEmpty && state.unloadedReason !== undefined && !property.deferred) {
    // An expired object loaded with options: reloaded with them, filling what is unloaded
    // (its eager relationships too), as SQLAlchemy's load of expired attributes does.
    const found = yield* loadByIdentity(host, mapper, state.identity ?? [], { populateExisting: false, tree }, state.identityToken);
    if (found === undefined) throw new ObjectDeletedError(`Instance '${mapper.describe(state)}' has been deleted, or its row is otherwise not present.`);
    return state.valueAt(property.slot);
  }
  const slots = mapper.columns.filter((c) => c.slot === property.slot || (!c.deferred && state.valueAt(c.slot) === UNLOADED)).map((c) => c.slot);
  if (state.valueAt(property.slot) === UNLOADED) {
    yield* loadColumns(state, slots, false, yield* host.router.connectionOfState(state, true), identityMap, "expired attribute");
    fireRefresh(session, state, slots);
  }
  return state.valueAt(property.slot);
}
