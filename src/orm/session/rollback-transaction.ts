/**
 * How a session's transaction ends other than by COMMIT: rollback(), a failed flush or COMMIT,
 * and the release of its connections. Apart from SessionBase because the flush fails the
 * transaction too, and the flush is apart as well.
 */

import type { Io } from "../../shared/io.ts";
import type { EventSession } from "./session-events.ts";
import type { FailedTransaction } from "./failed-transaction.ts";
import type { NPlusOneDetector } from "./n-plus-one.ts";
import type { SessionConnections } from "./session-connections.ts";
import type { SessionEvents } from "./session-events.ts";
import type { SessionObjects } from "./session-objects.ts";
import type { SessionRouter } from "./session-router.ts";

/** What ending a transaction needs from the session: its connections, objects, events and failure. */
export interface TransactionEndHost {
  /** The session, as the events name it. */
  readonly session: EventSession;
  readonly connections: SessionConnections;
  readonly router: SessionRouter;
  readonly objects: SessionObjects;
  readonly events: SessionEvents;
  readonly nPlusOne: NPlusOneDetector | undefined;
  /** The failed flush or COMMIT that makes the session refuse work until rollback(). */
  failed: FailedTransaction | undefined;
}

/** Rolls back and releases; a failed ROLLBACK still rolls the session back, its connection discarded. */
export function* rollbackTransaction(host: TransactionEndHost): Io<void> {
  const events = host.events.any && host.connections.size > 0 ? host.events : undefined;
  try {
    yield* host.connections.rollback();
  } finally {
    yield* releaseConnection(host);
    host.nPlusOne?.reset();
    host.failed = undefined;
    if (events !== undefined) yield* events.fire("afterRollback", host.session);
    host.objects.rolledBack();
    if (events !== undefined) yield* events.fire("afterSoftRollback", host.session, { nested: false });
  }
}

/** A flush or COMMIT failed: roll back without hiding `error`, and refuse work until rollback(). */
export function* failTransaction(host: TransactionEndHost, error: unknown, during: FailedTransaction["during"]): Io<void> {
  yield* host.connections.rollbackQuietly();
  yield* rollbackTransaction(host);
  host.failed = { error, during };
}

export function* releaseConnection(host: TransactionEndHost): Io<void> {
  host.router.wrote = false;
  yield* host.connections.release();
}
