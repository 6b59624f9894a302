import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { Executable } from "../../core/engine/executable.ts";
import type { Result } from "../../core/engine/result.ts";
import { LayeredListeners, ListenerRegistry, type Registered } from "../../shared/listener-registry.ts";
import { type Io, io } from "../../shared/io.ts";
import type { InstanceState } from "../state/instance-state.ts";
import type { AsyncSession } from "./async-session.ts";
import type { OrmExecuteState } from "./orm-execute-state.ts";

/**
 * The session as its listeners (and `OrmExecuteState`, the load events) see it: the public class,
 * not `SessionBase`, so a listener can call its methods.
 */
export type EventSession = AsyncSession;

/** What flush listeners get besides the session (SQLAlchemy's `UOWTransaction`, reduced). */
export interface FlushContext {
  readonly session: EventSession;
  /**
   * The session's connection in its transaction, for statements of a listener's own (an audit
   * row in `afterFlush`): `session.connection()` is refused while the flush runs.
   */
  connection(): Promise<AsyncConnection>;
}

/** What `afterBulkUpdate` / `afterBulkDelete` get: the ORM-enabled statement and its result. */
export interface BulkOperationContext {
  readonly session: EventSession;
  readonly statement: Executable<unknown>;
  readonly result: AnyResult;
}

/** Which transaction an `afterBegin` or `afterSoftRollback` is about. */
export interface SessionTransactionInfo {
  /** A SAVEPOINT (`beginNested()`) rather than the session's transaction. */
  readonly nested: boolean;
}

/** What a `doOrmExecute` listener may answer with: the result of any statement (`Result<unknown>` would refuse `Result<[User]>`). */
export type AnyResult = Result<any>;

/** A listener of an object's state transition: the session and the instance. */
export type TransitionListener = (session: EventSession, instance: object) => void;

/** A session event listener that may be `async`: the session awaits it before going on. */
type Awaited_<A extends unknown[]> = (...args: A) => void | Promise<void>;

/**
 * The events of `AsyncSession`s (SQLAlchemy's `SessionEvents`), for one session, the sessions of
 * an `asyncSessionmaker`, or every session (`listen(AsyncSession, …)`).
 */
export interface SessionEventMap {
  /** Before a flush that has work, before its plan is made: objects added here are flushed too. */
  beforeFlush: Awaited_<[session: EventSession, flushContext: FlushContext, instances: undefined]>;
  /** After the flush's statements, before its objects change state (`session.new`/`dirty`/`deleted` still list them). */
  afterFlush: Awaited_<[session: EventSession, flushContext: FlushContext]>;
  /** After the flush's objects changed state (pending ones are persistent). */
  afterFlushPostexec: Awaited_<[session: EventSession, flushContext: FlushContext]>;
  /** A connection joined the session's transaction (or a SAVEPOINT began), after its BEGIN. */
  afterBegin: Awaited_<[session: EventSession, transaction: SessionTransactionInfo, connection: AsyncConnection]>;
  /** `commit()`, before its flush. */
  beforeCommit: Awaited_<[session: EventSession]>;
  /** After COMMIT, before instances are expired; emit no SQL here. */
  afterCommit: Awaited_<[session: EventSession]>;
  /** After the database's ROLLBACK (of the transaction or of a SAVEPOINT), before instances are restored or expired. */
  afterRollback: Awaited_<[session: EventSession]>;
  /** After any rollback of the session, once its objects were restored, expunged or expired. */
  afterSoftRollback: Awaited_<[session: EventSession, previousTransaction: SessionTransactionInfo]>;
  /** An object is about to join the session (`add()`, a cascade, `merge()` of a new object), before its state changes. */
  beforeAttach: TransitionListener;
  /** An object joined the session, just before its `transientToPending` / `detachedToPersistent`, before its cascade. */
  afterAttach: TransitionListener;
  /** After an ORM-enabled `update(Model)` ran through `session.execute()` (and its synchronization of the session). */
  afterBulkUpdate: Awaited_<[context: BulkOperationContext]>;
  /** After an ORM-enabled `delete_(Model)` ran through `session.execute()`. */
  afterBulkDelete: Awaited_<[context: BulkOperationContext]>;
  /** `add()` of a new object. */
  transientToPending: TransitionListener;
  /** A pending object left the session (expunge, rollback, close). */
  pendingToTransient: TransitionListener;
  /** A pending object's INSERT was flushed. */
  pendingToPersistent: TransitionListener;
  /** A flushed INSERT was rolled back. */
  persistentToTransient: TransitionListener;
  /** A persistent object left the session (expunge, close). */
  persistentToDetached: TransitionListener;
  /** A persistent object's DELETE was flushed. */
  persistentToDeleted: TransitionListener;
  /** A flushed DELETE was committed (or the object expunged). */
  deletedToDetached: TransitionListener;
  /** A flushed DELETE was rolled back. */
  deletedToPersistent: TransitionListener;
  /** `add()` (or `merge()`) of a detached object. */
  detachedToPersistent: TransitionListener;
  /** An instance was built from a row (queries, `get()`, relationship loads). */
  loadedAsPersistent: TransitionListener;
  /**
   * Before `session.execute()` / `scalars()` / `scalar()` / `stream()` (and `get()`'s SELECT) run a statement: the state may replace
   * the statement (`state.statement = …`), or return a `Result` to answer in its place.
   */
  doOrmExecute: (state: OrmExecuteState) => AnyResult | void | Promise<AnyResult | void>;
}

export type SessionEventName = keyof SessionEventMap;

/** The state transitions, the events fired synchronously per instance. */
export type TransitionName = {
  [K in SessionEventName]: SessionEventMap[K] extends TransitionListener ? (TransitionListener extends SessionEventMap[K] ? K : never) : never;
}[SessionEventName];

/** Listeners of every session (`listen(AsyncSession, …)`). */
export const SESSION_CLASS_EVENTS = new ListenerRegistry<SessionEventMap>();

/** The listeners of an `asyncSessionmaker`'s sessions: a symbol on the factory function. */
export const MAKER_EVENTS: unique symbol = Symbol("tsalchemy.makerEvents");

/**
 * One session's view of its listeners: every session's, its sessionmaker's and its own, in that
 * order. `any` is three field reads; firing code asks it before building arguments.
 */
export class SessionEvents {
  readonly #session: EventSession;
  readonly #layers: LayeredListeners<SessionEventMap>;

  constructor(session: EventSession, maker: ListenerRegistry<SessionEventMap> | undefined) {
    this.#session = session;
    this.#layers = new LayeredListeners([SESSION_CLASS_EVENTS, maker]);
  }

  get any(): boolean {
    return this.#layers.any;
  }

  /** This session's own listeners (`listen(session, …)`), made on first use. */
  get own(): ListenerRegistry<SessionEventMap> {
    return this.#layers.own;
  }

  listeners<K extends SessionEventName>(name: K): Registered<SessionEventMap[K]>[] | undefined {
    return this.#layers.listeners(name);
  }

  /** Runs the listeners of an awaitable session event in turn (an `async` listener's promise is waited for). */
  *fire<K extends Exclude<SessionEventName, TransitionName | "doOrmExecute">>(name: K, ...args: Parameters<SessionEventMap[K]>): Io<void> {
    const listeners = this.listeners(name);
    if (listeners === undefined) return;
    for (const listener of listeners) yield* io((listener.run as (...a: unknown[]) => unknown)(...args));
  }

  /** Fires a state transition for one instance (synchronous). */
  transition(name: TransitionName, state: InstanceState): void {
    const listeners = this.listeners(name);
    if (listeners === undefined) return;
    for (const listener of listeners) listener.run(this.#session, state.object);
  }
}
