/**
 * Everything a session is and does, written once for both session shells (docs/adr/0014): its
 * state (identity map, objects, connections, router, events), the API that does no I/O as plain
 * methods, and every I/O operation as an `@internal` generator method returning `Io<T>`.
 * `AsyncSession` is the asynchronous shell: each public method is the runner call
 * (`runAsync(this.executeIo(…))`) under its operation guard. What a shell decides is an abstract
 * hook here (see "the shell's hooks" below).
 */

import { InvalidRequestError, NoResultFound, UnmappedError } from "../../shared/errors.ts";
import { type Io, type MaybePromise, io } from "../../shared/io.ts";
import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { Executable, NamedParams } from "../../core/engine/executable.ts";
import type { Result, ScalarResult, FirstValue } from "../../core/engine/result.ts";
import type { TransactionOptions } from "../../core/dialects/transaction-options.ts";
import type { TransactionCore } from "../../core/engine/transaction-core.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import type { LoaderOptionFor, WithOptions } from "../query/entity-select.ts";
import type { Loaded, PRIMARY_KEY } from "../mapping/model-types.ts";
import { type InstanceState, stateOf } from "../state/instance-state.ts";
import { cascadeClosure, cascadeTargets } from "./cascades.ts";
import type { StreamSource } from "./batched-result.ts";
import { IdentityMap } from "./identity-map.ts";
import { SessionObjects } from "./session-objects.ts";
import { mergeState } from "./merge-state.ts";
import type { TransactionBase, TransactionSteps } from "./session-transaction.ts";
import { pendingRollbackError } from "./failed-transaction.ts";
import { type SessionConnection, SessionConnections, type SessionEngine } from "./session-connections.ts";
import { SessionRouter } from "./session-router.ts";
import { SHARD_ROUTING } from "./shard-routing.ts";
import { type RunTransactionOptions, retryTransaction } from "./run-transaction.ts";
import { primaryKeyValues } from "./primary-key-values.ts";
import { NPlusOneDetector } from "./n-plus-one.ts";
import { type StrictLoadingMode, checkStrictLoading } from "./strict-loading.ts";
import { type EventSession, MAKER_EVENTS, SessionEvents } from "./session-events.ts";
import { sessionLoadEvents } from "./session-load-events.ts";
import { failTransaction, releaseConnection, rollbackTransaction } from "./rollback-transaction.ts";
import { autoflushDue, flushSession, markDeleted } from "./flush-session.ts";
import { executeStatement } from "./execute-statement.ts";
import { streamStatement } from "./stream-statement.ts";
import { type GetOptions, getByIdentity, loadByIdentity } from "./get-by-identity.ts";
import { type AttributeLoadHost, loadAttribute, loadAttributeNow } from "./load-attribute.ts";
import { refreshObject } from "./refresh-object.ts";
import { attributeSlots } from "./attribute-slots.ts";
import type { SessionOptions, SessionStatementOptions } from "./session-options.ts";

/** A SAVEPOINT's transaction (`AsyncConnection.beginNested()`). */
type Savepoint = TransactionCore;

/** What a savepoint's rollback restores of the session's objects. */
type ObjectsSnapshot = ReturnType<SessionObjects["snapshot"]>;

/** A mapped class, as `get()` takes it. */
export type ModelClass<T> = abstract new (...args: never[]) => T;

/** The attribute names `refresh()` and `expire()` take: the object's keys but its `awaitableAttrs`. */
export type AttributeName<T> = Exclude<keyof T & string, "awaitableAttrs">;

/** get()'s options as the session methods take them. */
export type GetCallOptions<O> = { populateExisting?: boolean; withForUpdate?: boolean; options?: O };

/**
 * What the files the session's work is split into (flush-session.ts, execute-statement.ts, …) reach
 * of it. Each names the part it needs; they extend one another, so one object serves them all.
 */
type SessionHost = AttributeLoadHost;

/**
 * The ORM's unit of work and identity map over one connection at a time, without its I/O edge:
 * the base of `AsyncSession` (and of the synchronous `Session`). `Transaction` is the shell's
 * explicit-transaction class (`SessionTransaction` under `AsyncSession`).
 */
export abstract class SessionBase<Transaction extends TransactionBase = TransactionBase> {
  readonly engine: SessionEngine;
  readonly expireOnCommit: boolean;
  autoflush: boolean;
  readonly identityMap: IdentityMap;
  readonly strictLoading: StrictLoadingMode;
  readonly #nPlusOne: NPlusOneDetector | undefined;
  readonly #objects: SessionObjects;
  readonly #connections = new SessionConnections();
  readonly #router: SessionRouter;
  readonly #events: SessionEvents;
  /** Built once, so no call allocates one; it also holds the failed transaction (rollback-transaction.ts). */
  readonly #host: SessionHost;

  constructor(engine: SessionEngine, options: SessionOptions = {}) {
    this.engine = engine;
    this.expireOnCommit = options.expireOnCommit ?? true;
    this.autoflush = options.autoflush ?? true;
    this.strictLoading = options.strictLoading ?? "off";
    this.#nPlusOne = options.detectNPlusOne ? new NPlusOneDetector(options.detectNPlusOne) : undefined;
    const session = this.asEventSession();
    const events = (this.#events = new SessionEvents(session, options[MAKER_EVENTS]));
    this.#connections.onBegin = (connection) => (events.any ? events.fire("afterBegin", session, { nested: false }, connection as AsyncConnection) : undefined);
    // A method of the shell's prototype, so already there while this constructor runs.
    const loadOnRead = this.loadOnRead;
    this.identityMap = new IdentityMap({
      lazyReadFromMemory: (state, property) =>
        this.explicitRead ? undefined : checkStrictLoading(this.strictLoading, state.mapper.describe(state), property.path),
      loadAttribute: (state, key) => (loadOnRead === undefined ? loadAttribute(this.#host, state, key) : this.#readExplicitly(state, key)),
      loadOnRead: loadOnRead === undefined ? undefined : (state, key) => loadOnRead.call(this, state, key),
    });
    this.#objects = new SessionObjects(this.identityMap, events);
    const connect = (e: SessionEngine) => this.#connect(e);
    this.#router = new SessionRouter({
      engine,
      binds: options.binds,
      getBind: options.getBind,
      sharding: options[SHARD_ROUTING],
      connections: this.#connections,
      identityMap: this.identityMap,
      connect,
      loadEvents: sessionLoadEvents(session, events),
    });
    this.#host = {
      session,
      engine,
      identityMap: this.identityMap,
      objects: this.#objects,
      connections: this.#connections,
      router: this.#router,
      events,
      nPlusOne: this.#nPlusOne,
      failed: undefined,
      connect,
      run: (method, work) => this.runOperation(method, () => this.#active(work)),
      runIo: (work) => this.runIo(work),
    };
  }

  // ---- the shell's hooks: what differs between AsyncSession and Session ----------------------

  /**
   * @internal The session as listeners, load events and `OrmExecuteState` name it: the shell
   * itself (`this`, typed as the public class).
   */
  protected abstract asEventSession(): EventSession;

  /**
   * @internal Runs `work` as one public operation under the shell's operation guard (a second
   * operation while one runs is refused) and drives it with the shell's runner: `runAsync` under
   * `AsyncSession`, `runSync` under `Session`. The public methods are this call.
   */
  protected abstract runOperation<T>(method: string, work: () => Io<T>): MaybePromise<T>;

  /** @internal Drives an `Io` with the shell's runner, unguarded: for callbacks the session hands out (a flush listener's `connection()`). */
  abstract runIo<T>(work: Io<T>): MaybePromise<T>;

  /** @internal The shell's explicit transaction (`begin()`, `beginNested()`) over its steps. */
  protected abstract newTransaction(steps: TransactionSteps): Transaction;

  /** @internal The wait between `runTransaction` attempts: a timer under `AsyncSession`. */
  protected abstract pause(ms: number): MaybePromise<void>;

  /**
   * @internal Defined by a shell whose reads load (the synchronous `Session`): loads the unloaded
   * attribute `key` of one of its objects and returns its value, for the property read itself.
   */
  protected loadOnRead?(state: InstanceState, key: string): unknown;

  /** @internal True while `awaitableAttrs` reads under a shell whose reads load: an explicit load, which strictLoading allows. */
  protected explicitRead = false;

  /**
   * `obj.awaitableAttrs.key` under a shell whose reads load (the synchronous `Session`): the read
   * itself (its strategy's refusals included), as an explicit load; a promise of its outcome.
   */
  #readExplicitly(state: InstanceState, key: string): Promise<unknown> {
    return new Promise((resolve) => {
      const before = this.explicitRead;
      this.explicitRead = true;
      try {
        resolve((state.object as Record<string, unknown>)[key]);
      } finally {
        this.explicitRead = before;
      }
    });
  }

  /** @internal The session's event listeners (`listen(session, …)`). */
  get sessionEvents(): SessionEvents {
    return this.#events;
  }

  // ---- the lifecycle of objects --------------------------------------------------------------

  /** Places an object (and what it cascades to with save-update) in the session; INSERTed at the next flush. */
  add(object: object): void {
    this.#objects.attach(this.#requireState(object, "add"));
  }

  addAll(objects: Iterable<object>): void {
    for (const object of objects) this.add(object);
  }

  /** @internal `delete()`: marks a persistent object for DELETE at the next flush; cascades `delete`, loading what it must. */
  *deleteIo(object: object): Io<void> {
    this.#refuseIfFailed();
    const state = this.#requireState(object, "delete");
    if (!state.hasIdentity) {
      if (state.status === "pending") {
        this.#objects.expunge(state);
        return;
      }
      throw new InvalidRequestError(`Instance '${state.mapper.describe(state)}' is not persisted`);
    }
    yield* markDeleted(this.#host, state);
  }

  /** Removes an object from the session; it becomes detached (or transient, if never flushed). */
  expunge(object: object): void {
    const state = this.#requireState(object, "expunge");
    if (!this.#objects.contains(state)) {
      throw new InvalidRequestError(`Instance '${state.mapper.describe(state)}' is not present in this Session`);
    }
    this.#objects.expunge(state);
    for (const target of cascadeTargets(state, "expunge")) if (this.#objects.contains(target)) this.#objects.expunge(target);
  }

  expungeAll(): void {
    for (const state of this.identityMap.states()) this.#objects.expunge(state);
    for (const state of [...this.#objects.pending]) this.#objects.expunge(state);
  }

  /** Marks attributes unloaded: the next read needs a load (under async: `refresh` or `awaitableAttrs`). */
  expire<T extends object>(object: T, attributeNames?: readonly AttributeName<T>[]): void {
    const state = this.#requireState(object, "expire");
    // As SQLAlchemy's _validate_persistent: only the session's persistent objects can be expired.
    if (!state.hasIdentity || state.owner !== this.identityMap) {
      throw new InvalidRequestError(`Instance '${state.mapper.describe(state)}' is not persistent within this Session`);
    }
    if (attributeNames === undefined) this.#expireWithCascade(state);
    else state.expireSlots(attributeSlots(state, attributeNames), "expired");
    if (!state.modified) this.identityMap.clearModified(state);
  }

  /** Expires the object and what its `refresh-expire` cascades reach (found first: expiring unloads them). */
  #expireWithCascade(state: InstanceState): void {
    const cascaded = cascadeClosure(state, "refresh-expire");
    state.expireAll("expired");
    for (const other of cascaded) {
      if (!other.hasIdentity || other.owner !== this.identityMap) continue;
      other.expireAll("expired");
      if (!other.modified) this.identityMap.clearModified(other);
    }
  }

  expireAll(): void {
    for (const state of this.identityMap.states()) state.expireAll("expired");
  }

  /** Whether the object has changes not yet flushed. */
  isModified(object: object): boolean {
    const state = this.#requireState(object, "isModified");
    if (state.committed === undefined) return false;
    for (const [slot, previous] of state.committed) if (state.valueAt(slot) !== previous) return true;
    return false;
  }

  /** Pending objects (added, not yet flushed). */
  get new(): readonly object[] {
    return [...this.#objects.pending].map((s) => s.object);
  }

  /** Persistent objects with unflushed changes. */
  get dirty(): readonly object[] {
    return [...this.identityMap.modified].filter((s) => this.isModified(s.object)).map((s) => s.object);
  }

  /** Objects marked for deletion at the next flush. */
  get deleted(): readonly object[] {
    return [...this.#objects.deleted].map((s) => s.object);
  }

  /** Whether the object is in this session (pending or persistent). */
  contains(object: object): boolean {
    const state = stateOf(object);
    return state !== undefined && this.#objects.contains(state);
  }

  inTransaction(): boolean {
    return this.#connections.active;
  }

  inNestedTransaction(): boolean {
    return this.#connections.inNestedTransaction();
  }

  /**
   * False while a failed flush or COMMIT awaits `rollback()` (SQLAlchemy's `Session.is_active`);
   * true otherwise, in a transaction or not.
   */
  get isActive(): boolean {
    return this.#host.failed === undefined;
  }

  // ---- queries -------------------------------------------------------------------------------

  /** @internal `execute()`: a statement in the session's transaction (execute-statement.ts). */
  *executeIo<R>(statement: Executable<R>, params?: NamedParams | readonly NamedParams[], options?: SessionStatementOptions): Io<Result<R>> {
    this.#refuseIfFailed();
    return yield* executeStatement(this.#host, statement, params, options);
  }

  /** @internal `scalars()`. */
  *scalarsIo<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Io<ScalarResult<FirstValue<R>>> {
    return (yield* this.executeIo(statement, params, options)).scalars();
  }

  /** @internal `scalar()`. */
  *scalarIo<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Io<FirstValue<R> | null> {
    return (yield* this.executeIo(statement, params, options)).scalar();
  }

  /** @internal `stream()`: the statement opened as batches (a cursor); the shell wraps them in its result class. */
  *streamIo<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Io<StreamSource> {
    this.#refuseIfFailed();
    return yield* streamStatement(this.#host, statement, params, options);
  }

  /** @internal `get()`: the identity map's object with this primary key, else one SELECT (on each shard that may hold it). */
  *getIo<T extends object, Id, const O extends readonly LoaderOptionFor<T>[]>(
    model: ModelClass<T> & { readonly [PRIMARY_KEY]?: Id },
    primaryKey: NoInfer<Id>,
    options: GetCallOptions<O> = {},
  ): Io<WithOptions<T, O[number]> | null> {
    this.#refuseIfFailed();
    const how = options as GetOptions;
    const mapper = this.#mapperOf(model);
    const identity = primaryKeyValues(mapper, primaryKey);
    const sharding = this.#router.sharding;
    if (sharding === undefined) return ((yield* getByIdentity(this.#host, mapper, identity, how, undefined)) ?? null) as WithOptions<T, O[number]> | null;
    // Sharded: each shard that may hold the key, in the identity chooser's order.
    for (const shard of sharding.identityShards(mapper, identity)) {
      const found = yield* getByIdentity(this.#host, mapper, identity, how, shard);
      if (found !== undefined) return found as WithOptions<T, O[number]>;
    }
    return null;
  }

  /** @internal `getOne()`: `getIo`, a missing row raising `NoResultFound`. */
  *getOneIo<T extends object, Id, const O extends readonly LoaderOptionFor<T>[]>(
    model: ModelClass<T> & { readonly [PRIMARY_KEY]?: Id },
    primaryKey: NoInfer<Id>,
    options: GetCallOptions<O> = {},
  ): Io<WithOptions<T, O[number]>> {
    const found = yield* this.getIo(model, primaryKey, options);
    // The mapper's class name: a model's static `name` may be its column.
    if (found === null) throw new NoResultFound(`No row was found when one was required: ${this.#mapperOf(model).className}(${JSON.stringify(primaryKey)})`);
    return found;
  }

  /** @internal `noAutoflush(work)`: `work` with autoflush off, then restored. */
  *noAutoflushIo<T>(work: () => MaybePromise<T>): Io<T> {
    const previous = this.autoflush;
    this.autoflush = false;
    try {
      return yield* io(work());
    } finally {
      this.autoflush = previous;
    }
  }

  /** @internal `refresh()`: reloads the object's attributes now (refresh-object.ts). */
  *refreshIo<T extends object, const K extends readonly AttributeName<T>[]>(object: T, attributeNames?: K, options: { withForUpdate?: boolean } = {}): Io<Loaded<T, K[number]>> {
    this.#refuseIfFailed();
    yield* refreshObject(this.#host, this.#requireState(object, "refresh"), attributeNames, options);
    return object as Loaded<T, K[number]>;
  }

  /** @internal `merge()`: `object`'s state copied onto the session's instance with its primary key (merge-state.ts). */
  *mergeIo<T extends object>(object: T): Io<T> {
    this.#refuseIfFailed();
    const source = this.#requireState(object, "merge");
    if (autoflushDue(this.#host)) yield* flushSession(this.#host);
    const lookup = (mapper: Mapper, identity: readonly unknown[]) => loadByIdentity(this.#host, mapper, identity, { populateExisting: false }, source.identityToken);
    return (yield* mergeState(source, new Map(), this.#objects, lookup)) as T;
  }

  /**
   * @internal Loads one attribute of one of the session's objects now: an expired or deferred
   * column with the other expired ones, a relationship by its lazy statement (autoflushing first).
   * The synchronous `Session` runs it for the read itself (`loadOnRead`).
   */
  *loadAttributeIo(state: InstanceState, key: string): Io<unknown> {
    this.#refuseIfFailed();
    return yield* loadAttributeNow(this.#host, state, key);
  }

  // ---- transactions --------------------------------------------------------------------------

  /** @internal `flush()`. */
  *flushIo(): Io<void> {
    this.#refuseIfFailed();
    yield* flushSession(this.#host);
  }

  /** @internal `commit()`: flushes, commits, and (with `expireOnCommit`) expires every instance. */
  *commitIo(): Io<void> {
    this.#refuseIfFailed();
    const session = this.asEventSession();
    const events = this.#events.any ? this.#events : undefined;
    if (events !== undefined) yield* events.fire("beforeCommit", session);
    yield* flushSession(this.#host);
    try {
      yield* this.#connections.commit();
    } catch (error) {
      yield* failTransaction(this.#host, error, "commit");
      throw error;
    }
    if (events !== undefined) yield* events.fire("afterCommit", session);
    this.#objects.committed(this.expireOnCommit);
    this.#nPlusOne?.reset();
    yield* releaseConnection(this.#host);
  }

  /** @internal `rollback()`: the one operation a failed transaction allows. */
  *rollbackIo(): Io<void> {
    yield* rollbackTransaction(this.#host);
  }

  /** @internal `close()`: rolls back anything open, gives the connection back, detaches every object. */
  *closeIo(): Io<void> {
    // The database transaction is rolled back, but the objects are not expired (as in
    // SQLAlchemy): they are detached with their loaded values readable.
    yield* this.#connections.rollbackQuietly();
    yield* releaseConnection(this.#host);
    this.#nPlusOne?.reset();
    this.#host.failed = undefined;
    this.#objects.closed();
  }

  /**
   * @internal `begin(options)`: the explicit transaction; `begin(work, options)`: `work` in a
   * transaction, committed when it returns, rolled back when it throws.
   */
  *beginIo<T>(work?: (() => MaybePromise<T>) | TransactionOptions, options?: TransactionOptions): Io<Transaction | T> {
    if (typeof work !== "function") return yield* this.#begin(work);
    return yield* this.#inTransaction(work, options);
  }

  /** The transaction begun (one guarded operation); its commit and rollback are the session's, each guarded. */
  *#begin(options: TransactionOptions | undefined): Io<Transaction> {
    if (this.inTransaction()) throw new InvalidRequestError("A transaction is already begun on this Session.");
    yield* this.#guarded("begin", () => {
      this.#refuseIfFailed();
      this.#connections.setOptions(options);
      return this.#connect(this.engine);
    });
    return this.newTransaction({ commit: () => this.#guarded("commit", () => this.commitIo()), rollback: () => this.#guarded("rollback", () => this.rollbackIo()) });
  }

  /** `work` in a transaction begun for it: committed when it returns, rolled back when it throws. */
  *#inTransaction<T>(work: () => MaybePromise<T>, options: TransactionOptions | undefined): Io<T> {
    const tx = yield* this.#begin(options);
    try {
      const value = yield* io(work());
      yield* tx.commitIo();
      return value;
    } catch (error) {
      yield* tx.rollbackIo();
      throw error;
    }
  }

  /** @internal `beginNested()`: flushes, then a SAVEPOINT on each connection of the transaction. */
  *beginNestedIo(): Io<Transaction> {
    const savepoints = yield* this.#guarded("beginNested", () => this.#savepoints());
    // What the savepoint's rollback undoes: the INSERTs and DELETEs flushed after this point.
    const before = this.#objects.snapshot();
    return this.newTransaction({
      commit: () => this.#guarded("commit", () => this.#releaseSavepoints(savepoints)),
      rollback: () => this.#guarded("rollback", () => this.#rollbackSavepoints(savepoints, before)),
    });
  }

  /** A SAVEPOINT on each connection of the transaction (the session's engine's at least), after a flush. */
  *#savepoints(): Io<Savepoint[]> {
    this.#refuseIfFailed();
    yield* flushSession(this.#host);
    yield* this.#connect(this.engine);
    const begun: Savepoint[] = [];
    for (const conn of this.#connections.connections()) {
      begun.push(yield* conn.beginNestedIo());
      if (this.#events.any) yield* this.#events.fire("afterBegin", this.asEventSession(), { nested: true }, conn as AsyncConnection);
    }
    return begun;
  }

  *#releaseSavepoints(savepoints: readonly Savepoint[]): Io<void> {
    this.#refuseIfFailed();
    // As SQLAlchemy: what the nested transaction holds is flushed before RELEASE SAVEPOINT.
    yield* flushSession(this.#host);
    for (const savepoint of savepoints) yield* savepoint.commitIo();
  }

  *#rollbackSavepoints(savepoints: readonly Savepoint[], before: ObjectsSnapshot): Io<void> {
    this.#refuseIfFailed();
    for (const savepoint of savepoints) yield* savepoint.rollbackIo();
    const session = this.asEventSession();
    const events = this.#events.any ? this.#events : undefined;
    if (events !== undefined) yield* events.fire("afterRollback", session);
    this.#objects.rolledBack(before);
    if (events !== undefined) yield* events.fire("afterSoftRollback", session, { nested: true });
  }

  /** @internal `runTransaction()`: `fn(session)` in a transaction, committed; serialization failures and deadlocks retried (run-transaction.ts). */
  *runTransactionIo<T>(fn: (session: this) => MaybePromise<T>, options: RunTransactionOptions = {}): Io<T> {
    const { isolationLevel, readOnly } = options;
    return yield* retryTransaction(
      {
        attempt: () => this.#inTransaction(() => fn(this), { isolationLevel, readOnly }),
        rollback: () => this.#guarded("rollback", () => this.rollbackIo()),
        pause: (ms) => this.pause(ms),
      },
      options,
    );
  }

  /** @internal `connection()`: a connection of the session's transaction, beginning it if needed. */
  *connectionIo(options: { bind?: SessionEngine; shardId?: string } = {}): Io<SessionConnection> {
    return yield* this.#connect(options.shardId !== undefined ? this.#router.shardEngine(options.shardId) : (options.bind ?? this.engine));
  }

  // ---- internals -----------------------------------------------------------------------------

  /** The engine's connection in the session's transaction (checked out and begun on first use). */
  *#connect(engine: SessionEngine): Io<SessionConnection> {
    this.#refuseIfFailed();
    return yield* this.#connections.connect(engine);
  }

  /** One guarded operation as a step of a larger one (`begin(work)`'s commit, a savepoint's rollback). */
  *#guarded<T>(method: string, work: () => Io<T>): Io<T> {
    return yield* io(this.runOperation(method, work));
  }

  /** `work`, refused while a failed flush or COMMIT awaits rollback() (an attribute load's operation). */
  *#active<T>(work: () => Io<T>): Io<T> {
    this.#refuseIfFailed();
    return yield* work();
  }

  /** Every operation but rollback() and close() is refused while a failed flush or COMMIT awaits rollback(). */
  #refuseIfFailed(): void {
    const failed = this.#host.failed;
    if (failed !== undefined) throw pendingRollbackError(failed);
  }

  #requireState(object: object, method: string): InstanceState {
    const state = stateOf(object);
    if (state === undefined) {
      throw new UnmappedError(`session.${method}() needs a mapped object; got an instance of ${object?.constructor?.name ?? typeof object}`);
    }
    return state;
  }

  #mapperOf(model: unknown): Mapper {
    const mapper = mapperOfClass(model);
    if (!mapper) throw new UnmappedError(`Class '${(model as { name?: string })?.name}' is not mapped`);
    mapper.ensureRegistered(model as ModelClass<object>);
    return mapper;
  }
}
