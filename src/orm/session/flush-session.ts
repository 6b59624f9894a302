/**
 * A session's flush: the cascades and deletes it gathers, the plan, the executor on the session's
 * connections, and the flush events around them. Apart from SessionBase because every query,
 * load and commit reaches it (autoflush), through the same host.
 */

import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import { InvalidRequestError } from "../../shared/errors.ts";
import { type Io, type MaybePromise, done, io } from "../../shared/io.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, UNLOADED, mappedState } from "../state/instance-state.ts";
import { loadRelationship } from "../strategies/load-relationship.ts";
import { executeFlushPlan } from "../unit-of-work/flush-executor.ts";
import { planFlush } from "../unit-of-work/flush-plan.ts";
import { orphansOf, prepareDeletes } from "./cascades.ts";
import type { IdentityMap } from "./identity-map.ts";
import { type TransactionEndHost, failTransaction } from "./rollback-transaction.ts";
import type { SessionConnection, SessionEngine } from "./session-connections.ts";
import type { FlushContext, SessionEvents } from "./session-events.ts";

/** What a flush needs from the session, besides ending its transaction when the flush fails. */
export interface FlushHost extends TransactionEndHost {
  readonly engine: SessionEngine;
  readonly identityMap: IdentityMap;
  /** The engine's connection in the session's transaction (refused after a failed flush). */
  connect(engine: SessionEngine): Io<SessionConnection>;
  /**
   * Drives an `Io` to its end the way the session's shell does (`runAsync` under `AsyncSession`):
   * for what the session hands out as a callback, such as a flush listener's `connection()`.
   */
  runIo<T>(work: Io<T>): MaybePromise<T>;
}

/** The sessions (by their objects) whose flush is running: a query or load inside it does not autoflush (SQLAlchemy's `_flushing`). */
const FLUSHING = new WeakSet<object>();

/**
 * Whether a query or load autoflushes first: autoflush is on, something changed, and no flush is
 * running (a listener's query or lazy load during the flush runs without one, as in SQLAlchemy).
 * Checked before calling flushSession: most queries have nothing to flush, and skip a generator.
 */
export function autoflushDue(host: FlushHost): boolean {
  return host.session.autoflush && host.objects.hasChanges && !FLUSHING.has(host.objects);
}

export function* flushSession(host: FlushHost): Io<void> {
  const objects = host.objects;
  if (FLUSHING.has(objects)) throw new InvalidRequestError("Session is already flushing");
  if (!objects.hasChanges) return;
  FLUSHING.add(objects);
  try {
    yield* flushChanges(host);
  } finally {
    FLUSHING.delete(objects);
  }
}

function* flushChanges(host: FlushHost): Io<void> {
  const objects = host.objects;
  const session = host.session;
  const events = host.events.any ? host.events : undefined;
  // Typed for AsyncSession's listeners; under the synchronous Session, connection() returns the Connection itself.
  const flushContext: FlushContext | undefined = events && { session, connection: () => host.runIo(host.connect(host.engine)) as Promise<AsyncConnection> };
  if (events !== undefined) yield* events.fire("beforeFlush", session, flushContext as FlushContext, undefined);
  for (const state of [...objects.pending, ...host.identityMap.modified]) objects.cascadeSave(state);
  yield* releaseChildrenOfDeleted(host);
  const pending = [...objects.pending];
  const deleted = [...objects.deleted];
  const router = host.router;
  // Sharded: each new object's shard, chosen before planning (it is part of the identity).
  const sharding = router.sharding;
  if (sharding !== undefined) for (const state of pending) router.shardOf(state, sharding);
  const tables = objects.tableRanks();
  const plan = planFlush({
    pending,
    modified: [...host.identityMap.modified],
    deleted,
    tableRank: (mapper) => tables.get(mapper.table) ?? 0,
    persistentWith: (mapper, value, token) => host.identityMap.findByValue(mapper, value, token),
  });
  // Connecting after planning: a plan refused (duplicate keys, a cycle) has written nothing.
  const conn = router.single ? yield* host.connect(host.engine) : undefined;
  try {
    yield* executeFlushPlan(plan, conn !== undefined ? () => done(conn) : (state) => router.connectionOfState(state, false));
  } catch (error) {
    yield* failTransaction(host, error, "flush");
    throw error;
  }
  if (plan.steps.length > 0) router.wrote = true;
  if (events !== undefined) yield* afterFlush(host, events, flushContext as FlushContext, "afterFlush");
  objects.flushed(plan.saves, plan.deletes);
  if (events !== undefined) yield* afterFlush(host, events, flushContext as FlushContext, "afterFlushPostexec");
}

/** An after-flush listener's failure fails the flush, as a statement's would. */
function* afterFlush(host: FlushHost, events: SessionEvents, flushContext: FlushContext, name: "afterFlush" | "afterFlushPostexec"): Io<void> {
  try {
    yield* events.fire(name, host.session, flushContext);
  } catch (error) {
    yield* failTransaction(host, error, "flush");
    throw error;
  }
}

/** Orphans of delete-orphan collections join the deletes; then what the deletes need is loaded (cascades.ts). */
function* releaseChildrenOfDeleted(host: FlushHost): Io<void> {
  for (const orphan of orphansOf(host.identityMap.modified)) yield* markDeleted(host, orphan);
  yield* prepareDeletes(host.objects.deleted, (state, property) => loadRelationship(state, property, host.router.contextOf(state.identityToken)));
}

/** Marks a persistent object for DELETE at the next flush, with what its `delete` cascades reach (loaded if it must). */
export function* markDeleted(host: FlushHost, state: InstanceState): Io<void> {
  const objects = host.objects;
  if (objects.deleted.has(state)) return;
  objects.deleted.add(state);
  for (const property of (state.mapper as Mapper).relationships) {
    if (!property.cascade.has("delete")) continue;
    let value = state.valueAt(property.slot);
    if (value === UNLOADED) {
      if (property.spec.options.passiveDeletes) continue; // the database's ON DELETE deletes what is not loaded
      value = yield* loadRelationship(state, property, host.router.contextOf(state.identityToken));
    }
    const items = Array.isArray(value) ? value : value === null ? [] : [value];
    for (const item of items) {
      const child = mappedState(item as object);
      if (child.hasIdentity) yield* markDeleted(host, child);
      else if (objects.pending.has(child)) objects.expunge(child);
    }
  }
}
