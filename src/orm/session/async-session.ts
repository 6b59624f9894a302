import { InvalidRequestError, NoResultFound, UnmappedError } from "../../shared/errors.ts";
import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import type { Executable, NamedParams } from "../../core/engine/executable.ts";
import type { Result, ScalarResult, FirstValue } from "../../core/engine/result.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import type { LoaderOptionFor, WithOptions } from "../query/entity-select.ts";
import type { Loaded, PRIMARY_KEY } from "../mapping/model-types.ts";
import { type InstanceState, STATE, stateOf } from "../state/instance-state.ts";
import { cascadeClosure, cascadeTargets } from "./cascades.ts";
import type { AsyncResult, AsyncScalarResult } from "./async-result.ts";
import { IdentityMap } from "./identity-map.ts";
import { SessionObjects } from "./session-objects.ts";
import { mergeState } from "./merge-state.ts";
import { SessionTransaction } from "./session-transaction.ts";
import { OperationGuard } from "./operation-guard.ts";
import { pendingRollbackError } from "./failed-transaction.ts";
import { SessionConnections } from "./session-connections.ts";
import type { BindKey, GetBind } from "./session-binds.ts";
import { SessionRouter } from "./session-router.ts";
import { SHARD_ROUTING, type ShardRouting } from "./shard-routing.ts";
import type { StatementOptions } from "../../core/engine/statement-options.ts";
import type { TransactionOptions } from "../../core/dialects/transaction-options.ts";
import { type RunTransactionOptions, runTransaction } from "./run-transaction.ts";
import { primaryKeyValues } from "./primary-key-values.ts";
import { type NPlusOneOptions, NPlusOneDetector } from "./n-plus-one.ts";
import { type StrictLoadingMode, checkStrictLoading } from "./strict-loading.ts";
import { MAKER_EVENTS, SessionEvents, type SessionEventMap } from "./session-events.ts";
import { sessionLoadEvents } from "./session-load-events.ts";
import { failTransaction, releaseConnection, rollbackTransaction } from "./rollback-transaction.ts";
import { flushSession, markDeleted } from "./flush-session.ts";
import { executeStatement } from "./execute-statement.ts";
import { streamStatement } from "./stream-statement.ts";
import { type GetOptions, getByIdentity, loadByIdentity } from "./get-by-identity.ts";
import { type AttributeLoadHost, loadAttribute } from "./load-attribute.ts";
import { refreshObject } from "./refresh-object.ts";
import { attributeSlots } from "./attribute-slots.ts";
import type { ListenerRegistry } from "../../shared/listener-registry.ts";
import { type Io, runAsync } from "../../shared/io.ts";

export interface SessionOptions {
  /** Expire every instance after `commit()` (default true, as in SQLAlchemy). */
  readonly expireOnCommit?: boolean;
  /** Flush pending changes before queries (default true). */
  readonly autoflush?: boolean;
  /**
   * Report lazy relationship reads that succeed only because the target was in the identity map
   * ("off" by default, as SQLAlchemy; "warn" emits a process warning; "raise" throws StrictLoadingError).
   */
  readonly strictLoading?: StrictLoadingMode;
  /** Report a relationship loaded one parent at a time many times (N+1); off unless set. */
  readonly detectNPlusOne?: NPlusOneOptions;
  /**
   * Engines for some models (and their subclasses) or tables, SQLAlchemy's `binds`: their loads,
   * flushes and statements run there; the rest on the session's engine.
   */
  readonly binds?: ReadonlyMap<BindKey, AsyncEngine>;
  /**
   * Chooses the engine of each operation (SQLAlchemy's overridden `Session.get_bind`); returning
   * `undefined` falls back to `binds`. `replicaRouting()` builds one for a primary and replicas.
   */
  readonly getBind?: GetBind;
  /** @internal A `ShardedSession`'s routing. */
  readonly [SHARD_ROUTING]?: ShardRouting;
  /** @internal The listeners of the `asyncSessionmaker` that made the session. */
  readonly [MAKER_EVENTS]?: ListenerRegistry<SessionEventMap>;
}

/** A statement's options in a session: the connection's (timeout, signal) and where it runs. */
export interface SessionStatementOptions extends StatementOptions {
  /**
   * Run on this engine, whatever `getBind` or `binds` say (SQLAlchemy's
   * `bind_arguments={"bind": engine}`); the loads the statement's options trigger run there too.
   */
  readonly bind?: AsyncEngine;
  /** In a `ShardedSession`: run on this shard only (SQLAlchemy's `bind_arguments={"shard_id": …}`). */
  readonly shardId?: string;
}


type ModelClass<T> = abstract new (...args: never[]) => T;

/** The attribute names `refresh()` and `expire()` take: the object's keys but its `awaitableAttrs`. */
type AttributeName<T> = Exclude<keyof T & string, "awaitableAttrs">;
type Stateful = { [STATE]: InstanceState };

/**
 * What the files the session's work is split into (flush-session.ts, execute-statement.ts, …) reach
 * of it. Each names the part it needs; they extend one another, so one object serves them all.
 */
type SessionHost = AttributeLoadHost;

/**
 * The ORM's unit of work and identity map over one connection at a time (SQLAlchemy's
 * `AsyncSession`). Not safe for concurrent use: two operations at once raise
 * `IllegalStateChangeError` instead of interleaving. Use one session per task.
 *
 * ```ts
 * await using session = new AsyncSession(engine);
 * session.add(new User({ name: "ann" }));
 * await session.commit();          // BEGIN; INSERT INTO "users" ("name") VALUES (?) RETURNING "users"."id"; COMMIT
 * ```
 */
export class AsyncSession implements AsyncDisposable {
  readonly engine: AsyncEngine;
  readonly expireOnCommit: boolean;
  autoflush: boolean;
  readonly identityMap: IdentityMap;
  readonly strictLoading: StrictLoadingMode;
  readonly #nPlusOne: NPlusOneDetector | undefined;
  readonly #objects: SessionObjects;
  readonly #connections = new SessionConnections();
  readonly #router: SessionRouter;
  readonly #guard = new OperationGuard();
  readonly #events: SessionEvents;
  /** Built once, so no call allocates one; it also holds the failed transaction (rollback-transaction.ts). */
  readonly #host: SessionHost;

  constructor(engine: AsyncEngine, options: SessionOptions = {}) {
    this.engine = engine;
    this.expireOnCommit = options.expireOnCommit ?? true;
    this.autoflush = options.autoflush ?? true;
    this.strictLoading = options.strictLoading ?? "off";
    this.#nPlusOne = options.detectNPlusOne ? new NPlusOneDetector(options.detectNPlusOne) : undefined;
    const events = (this.#events = new SessionEvents(this, options[MAKER_EVENTS]));
    this.#connections.onBegin = (connection) => (events.any ? events.fire("afterBegin", this, { nested: false }, connection) : undefined);
    this.identityMap = new IdentityMap({
      lazyReadFromMemory: (state, property) => checkStrictLoading(this.strictLoading, state.mapper.describe(state), property.path),
      loadAttribute: (state, key) => loadAttribute(this.#host, state, key),
    });
    this.#objects = new SessionObjects(this.identityMap, events);
    const connect = (e: AsyncEngine) => this.#connect(e);
    this.#router = new SessionRouter({
      engine,
      binds: options.binds,
      getBind: options.getBind,
      sharding: options[SHARD_ROUTING],
      connections: this.#connections,
      identityMap: this.identityMap,
      connect,
      loadEvents: sessionLoadEvents(this, events),
    });
    this.#host = {
      session: this,
      engine,
      identityMap: this.identityMap,
      objects: this.#objects,
      connections: this.#connections,
      router: this.#router,
      events,
      nPlusOne: this.#nPlusOne,
      failed: undefined,
      connect,
      run: (method, work) => this.#run(method, () => runAsync(work())),
      runIo: runAsync,
    };
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

  /** Marks a persistent object for DELETE at the next flush; cascades `delete`, loading what it must. */
  delete(object: object): Promise<void> {
    return this.#run("delete", async () => {
      const state = this.#requireState(object, "delete");
      if (!state.hasIdentity) {
        if (state.status === "pending") {
          this.#objects.expunge(state);
          return;
        }
        throw new InvalidRequestError(`Instance '${state.mapper.describe(state)}' is not persisted`);
      }
      await runAsync(markDeleted(this.#host, state));
    });
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
    for (const state of [...this.identityMap.states()]) this.#objects.expunge(state);
    for (const state of [...this.#objects.pending]) this.#objects.expunge(state);
  }

  /** Marks attributes unloaded: the next read needs a load (under async: `refresh` or `awaitableAttrs`). */
  expire<T extends object>(object: T, attributeNames?: readonly AttributeName<T>[]): void {
    const state = this.#requireState(object, "expire");
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
    for (const [slot, previous] of state.committed) if (state.values[slot] !== previous) return true;
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

  // ---- queries -------------------------------------------------------------------------------

  /**
   * Runs a statement in the session's transaction. An ORM select (`select(User)`) autoflushes,
   * then loads its rows into identity-mapped instances: rows are tuples (`[User]`).
   */
  execute<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Promise<Result<R>>;
  /**
   * A Core statement once per parameter set, as `AsyncConnection.execute(statement, [params…])`
   * (an `insert(table)` as multi-row INSERTs); an ORM select refuses a list.
   */
  execute<R>(statement: Executable<R>, paramsList: readonly NamedParams[], options?: SessionStatementOptions): Promise<Result<R>>;
  execute<R>(statement: Executable<R>, params?: NamedParams | readonly NamedParams[], options?: SessionStatementOptions): Promise<Result<R>> {
    return this.#run("execute", () => runAsync(executeStatement(this.#host, statement, params, options)));
  }

  /** `(await session.execute(stmt)).scalars()`. */
  scalars<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Promise<ScalarResult<FirstValue<R>>> {
    return this.#run("scalars", async () => (await runAsync(executeStatement(this.#host, statement, params, options))).scalars());
  }

  /**
   * The rows of a statement as an `AsyncResult`, consumed with `for await` or awaited fetches
   * (SQLAlchemy's `AsyncSession.stream()`). An ORM select is read from a server-side cursor in
   * batches of its `executionOptions({ yieldPer })` (1,000 without): each batch becomes instances
   * through the identity map, and its selectin and immediate loads run, when the iteration reaches
   * it. The connection is busy until the iteration ends, breaks or the result is closed. A long
   * stream keeps only its latest instances in the identity map (see `docs/loading.md`). Joined
   * eager collections and subquery loads need the whole result: without `yieldPer` such a
   * statement is read at once, as by `execute()`; with it, it is refused.
   *
   * ```ts
   * for await (const [user] of await session.stream(select(User))) console.log(user.name);
   * // PostgreSQL: DECLARE tsalchemy_cursor NO SCROLL CURSOR FOR SELECT …; FETCH FORWARD 1000 FROM tsalchemy_cursor; …
   * ```
   */
  stream<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Promise<AsyncResult<R>> {
    return this.#run("stream", () => streamStatement(this.#host, statement, params, options));
  }

  /** `(await session.stream(stmt)).scalars()`: `for await (const user of await session.streamScalars(select(User)))`. */
  streamScalars<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Promise<AsyncScalarResult<FirstValue<R>>> {
    return this.#run("streamScalars", async () => (await streamStatement(this.#host, statement, params, options)).scalars());
  }

  /** `(await session.execute(stmt)).scalar()`. */
  scalar<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Promise<FirstValue<R> | null> {
    return this.#run("scalar", async () => (await runAsync(executeStatement(this.#host, statement, params, options))).scalar());
  }

  /**
   * The object with this primary key: from the identity map with no SQL when it is there (and not
   * expired), else one SELECT. `null` when no row has it.
   */
  get<T extends object, Id = unknown, const O extends readonly LoaderOptionFor<T>[] = readonly []>(
    model: ModelClass<T> & { readonly [PRIMARY_KEY]?: Id },
    primaryKey: NoInfer<Id>,
    options: { populateExisting?: boolean; withForUpdate?: boolean; options?: O } = {},
  ): Promise<WithOptions<T, O[number]> | null> {
    return this.#run("get", async () => {
      const how = options as GetOptions;
      const mapper = this.#mapperOf(model);
      const identity = primaryKeyValues(mapper, primaryKey);
      const sharding = this.#router.sharding;
      if (sharding === undefined) return ((await runAsync(getByIdentity(this.#host, mapper, identity, how, undefined))) ?? null) as WithOptions<T, O[number]> | null;
      // Sharded: each shard that may hold the key, in the identity chooser's order.
      for (const shard of sharding.identityShards(mapper, identity)) {
        const found = await runAsync(getByIdentity(this.#host, mapper, identity, how, shard));
        if (found !== undefined) return found as WithOptions<T, O[number]>;
      }
      return null;
    });
  }

  /** `get()`, but a missing row raises `NoResultFound` instead of returning null (SQLAlchemy's `get_one`). */
  async getOne<T extends object, Id = unknown, const O extends readonly LoaderOptionFor<T>[] = readonly []>(
    model: ModelClass<T> & { readonly [PRIMARY_KEY]?: Id },
    primaryKey: NoInfer<Id>,
    options: { populateExisting?: boolean; withForUpdate?: boolean; options?: O } = {},
  ): Promise<WithOptions<T, O[number]>> {
    const found = await this.get(model, primaryKey, options);
    // The mapper's class name: a model's static `name` may be its column.
    if (found === null) throw new NoResultFound(`No row was found when one was required: ${this.#mapperOf(model).className}(${JSON.stringify(primaryKey)})`);
    return found;
  }

  /**
   * Runs `work` with autoflush off, then restores it (SQLAlchemy's `with session.no_autoflush:`):
   * for queries that must not flush half-built objects.
   *
   * ```ts
   * await session.noAutoflush(async () => {
   *   order.customer = await session.scalar(select(Customer).where(…)); // no INSERT of `order` first
   * });
   * ```
   */
  async noAutoflush<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.autoflush;
    this.autoflush = false;
    try {
      return await work();
    } finally {
      this.autoflush = previous;
    }
  }

  /**
   * False while a failed flush or COMMIT awaits `rollback()` (SQLAlchemy's `Session.is_active`);
   * true otherwise, in a transaction or not.
   */
  get isActive(): boolean {
    return this.#host.failed === undefined;
  }

  /**
   * Reloads an object's attributes from the database now, discarding unflushed changes to them:
   * every column (and the relationships the query loads eagerly), or only the named attributes
   * (a named relationship is loaded with its own query).
   *
   * ```ts
   * await session.refresh(user);             // SELECT "users"."id", "users"."name", … FROM "users" WHERE "users"."id" = ?
   * await session.refresh(user, ["name"]);   // SELECT "users"."name" FROM "users" WHERE "users"."id" = ?
   * const loaded = await session.refresh(user, ["organization"]);   // Loaded<User, "organization">
   * ```
   *
   * The promise resolves to the object, typed with the named relationships loaded.
   */
  refresh<T extends object, const K extends readonly AttributeName<T>[] = readonly []>(
    object: T,
    attributeNames?: K,
    options: { withForUpdate?: boolean } = {},
  ): Promise<Loaded<T, K[number]>> {
    return this.#run("refresh", async () => {
      await runAsync(refreshObject(this.#host, this.#requireState(object, "refresh"), attributeNames, options));
      return object as Loaded<T, K[number]>;
    });
  }

  /**
   * Copies the state of `object` onto the session's instance with the same primary key (from the
   * identity map, else loaded with one SELECT after an autoflush, else a new pending instance)
   * and returns that instance; `object` itself is not attached. Relationships with the `merge`
   * cascade (the default) are merged too, so a detached graph comes back as one.
   */
  merge<T extends object>(object: T): Promise<T> {
    return this.#run("merge", async () => {
      const source = this.#requireState(object, "merge");
      if (this.autoflush) await runAsync(flushSession(this.#host));
      const lookup = (mapper: Mapper, identity: readonly unknown[]) => loadByIdentity(this.#host, mapper, identity, { populateExisting: false }, source.identityToken);
      return (await runAsync(mergeState(source, new Map(), this.#objects, lookup))) as T;
    });
  }

  // ---- transactions --------------------------------------------------------------------------

  /** Flushes all pending changes in the current transaction (beginning one if needed). */
  flush(): Promise<void> {
    return this.#run("flush", () => runAsync(flushSession(this.#host)));
  }

  /** Flushes, commits, and (with `expireOnCommit`) expires every instance. */
  commit(): Promise<void> {
    return this.#run("commit", async () => {
      const events = this.#events.any ? this.#events : undefined;
      if (events !== undefined) await runAsync(events.fire("beforeCommit", this));
      await runAsync(flushSession(this.#host));
      try {
        await runAsync(this.#connections.commit());
      } catch (error) {
        await runAsync(failTransaction(this.#host, error, "commit"));
        throw error;
      }
      if (events !== undefined) await runAsync(events.fire("afterCommit", this));
      this.#objects.committed(this.expireOnCommit);
      this.#nPlusOne?.reset();
      await runAsync(releaseConnection(this.#host));
    });
  }

  /** Rolls back: pending objects are expunged, deleted ones restored, persistent ones expired. */
  rollback(): Promise<void> {
    // Not #run: rollback() is the one operation a failed transaction allows.
    return this.#guard.run("rollback", () => runAsync(rollbackTransaction(this.#host)));
  }

  /**
   * Rolls back anything open, gives the connection back and detaches every object; the session can
   * be used again. A call still running (an `await` forgotten before `return session.get(…)`, say)
   * is waited for first: its caller gets its result, and the connection never outlives the session.
   * Never throws because the database went away: a connection whose rollback fails is discarded
   * instead of returned to the pool (closing it ends the server's transaction).
   */
  close(): Promise<void> {
    return this.#guard.runAfterCurrent("close", () => this.#close());
  }

  async #close(): Promise<void> {
    // The database transaction is rolled back, but the objects are not expired (as in
    // SQLAlchemy): they are detached with their loaded values readable.
    await runAsync(this.#connections.rollbackQuietly());
    await runAsync(releaseConnection(this.#host));
    this.#nPlusOne?.reset();
    this.#host.failed = undefined;
    this.#objects.closed();
  }

  /** `await using session = …`: close() at the end of the block (see close()). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Begins the transaction explicitly. `await using tx = await session.begin()` rolls back unless
   * `tx.commit()` ran; `session.begin(async () => …)` commits when the function resolves.
   */
  begin(options?: TransactionOptions): Promise<SessionTransaction>;
  begin<T>(work: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  async begin<T>(work?: (() => Promise<T>) | TransactionOptions, options?: TransactionOptions): Promise<SessionTransaction | T> {
    if (this.inTransaction()) throw new InvalidRequestError("A transaction is already begun on this Session.");
    await this.#run("begin", () => {
      this.#connections.setOptions(typeof work === "function" ? options : work);
      return runAsync(this.#connect(this.engine));
    });
    const tx = new SessionTransaction(() => this.commit(), () => this.rollback());
    if (typeof work !== "function") return tx;
    try {
      const value = await work();
      await tx.commit();
      return value;
    } catch (error) {
      await tx.rollback();
      throw error;
    }
  }

  /** `SAVEPOINT`: flushes, then begins a nested transaction; rolling it back expires every instance. */
  async beginNested(): Promise<SessionTransaction> {
    // A SAVEPOINT on each connection of the transaction (the session's engine's at least).
    const savepoints = await this.#run("beginNested", async () => {
      await runAsync(flushSession(this.#host));
      await runAsync(this.#connect(this.engine));
      const begun = [];
      for (const conn of this.#connections.connections()) {
        begun.push(await conn.beginNested());
        if (this.#events.any) await runAsync(this.#events.fire("afterBegin", this, { nested: true }, conn));
      }
      return begun;
    });
    // What the savepoint's rollback undoes: the INSERTs and DELETEs flushed after this point.
    const before = this.#objects.snapshot();
    return new SessionTransaction(
      () =>
        this.#run("commit", async () => {
          // As SQLAlchemy: what the nested transaction holds is flushed before RELEASE SAVEPOINT.
          await runAsync(flushSession(this.#host));
          for (const savepoint of savepoints) await savepoint.commit();
        }),
      () =>
        this.#run("rollback", async () => {
          for (const savepoint of savepoints) await savepoint.rollback();
          const events = this.#events.any ? this.#events : undefined;
          if (events !== undefined) await runAsync(events.fire("afterRollback", this));
          this.#objects.rolledBack(before);
          if (events !== undefined) await runAsync(events.fire("afterSoftRollback", this, { nested: true }));
        }),
    );
  }

  /** Runs `fn(session)` in a transaction and commits; retries serialization failures and deadlocks (run-transaction.ts). */
  runTransaction<T>(fn: (session: this) => Promise<T>, options?: RunTransactionOptions): Promise<T> {
    return runTransaction(this, fn, options);
  }

  /**
   * A connection of the session's transaction, beginning it if needed: the session's engine's, or
   * `bind`'s, or a shard's (SQLAlchemy's `Session.connection(bind_arguments=…)`).
   */
  connection(options: { bind?: AsyncEngine; shardId?: string } = {}): Promise<AsyncConnection> {
    return this.#run("connection", () => runAsync(this.#connect(options.shardId !== undefined ? this.#router.shardEngine(options.shardId) : (options.bind ?? this.engine))));
  }

  // ---- internals -----------------------------------------------------------------------------

  /** The engine's connection in the session's transaction (checked out and begun on first use). */
  *#connect(engine: AsyncEngine): Io<AsyncConnection> {
    if (this.#host.failed !== undefined) throw pendingRollbackError(this.#host.failed);
    return yield* this.#connections.connect(engine);
  }

  /**
   * Runs one public operation: refuses a concurrent one, and lets close() wait for it. Public
   * methods return its promise as it is (see OperationGuard.run), so they are not `async`.
   */
  #run<T>(method: string, work: () => Promise<T>): Promise<T> {
    const failed = this.#host.failed;
    return this.#guard.run(method, failed === undefined ? work : () => Promise.reject(pendingRollbackError(failed)));
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
