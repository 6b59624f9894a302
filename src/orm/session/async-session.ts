import { ArgumentError, InvalidRequestError, NoResultFound, ObjectDeletedError, UnmappedError } from "../../shared/errors.ts";
import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import type { Executable, NamedParams } from "../../core/engine/executable.ts";
import { isParamsList } from "../../core/engine/execute-many.ts";
import { Result, type ScalarResult, type FirstValue } from "../../core/engine/result.ts";
import { loadRelationship, loadsWithCriteria } from "../strategies/load-relationship.ts";
import { LOADER_STRATEGIES } from "../strategies/registry.ts";
import { executePlan } from "../loading/execute-plan.ts";
import { runPostLoads } from "../strategies/post-load.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { LoaderOption } from "../loading/loader-option.ts";
import type { LoadTree } from "../loading/load-tree.ts";
import { targetWithoutSql } from "../mapper/lazy-read.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import { EntitySelect, type LoaderOptionFor, type WithOptions } from "../query/entity-select.ts";
import type { Loaded, PRIMARY_KEY } from "../mapping/model-types.ts";
import { type InstanceState, STATE, UNLOADED, stateOf } from "../state/instance-state.ts";
import { executeFlushPlan } from "../unit-of-work/flush-executor.ts";
import { planFlush } from "../unit-of-work/flush-plan.ts";
import { cascadeClosure, cascadeTargets, orphansOf, prepareDeletes } from "./cascades.ts";
import { AsyncResult, type AsyncScalarResult, batchesInMemory } from "./async-result.ts";
import { DEFAULT_STREAM_BATCH, type PlanBatches, batchesInTurn, checkYieldPer, openPlanStream, yieldPerConflict } from "../loading/stream-plan.ts";
import { IdentityMap } from "./identity-map.ts";
import { SessionObjects } from "./session-objects.ts";
import { mergeState } from "./merge-state.ts";
import { loadColumns } from "./load-columns.ts";
import { isA } from "../mapper/inheritance.ts";
import { SessionTransaction } from "./session-transaction.ts";
import { OperationGuard } from "./operation-guard.ts";
import { type FailedTransaction, pendingRollbackError } from "./failed-transaction.ts";
import { SessionConnections } from "./session-connections.ts";
import type { BindKey, GetBind } from "./session-binds.ts";
import { SessionRouter, type Target } from "./session-router.ts";
import { SHARD_ROUTING, type ShardRouting } from "./shard-routing.ts";
import type { StatementOptions } from "../../core/engine/statement-options.ts";
import type { TransactionOptions } from "../../core/dialects/transaction-options.ts";
import { type RunTransactionOptions, runTransaction } from "./run-transaction.ts";
import { primaryKeyValues } from "./primary-key-values.ts";
import { type NPlusOneOptions, NPlusOneDetector } from "./n-plus-one.ts";
import { type StrictLoadingMode, checkStrictLoading } from "./strict-loading.ts";
import { type LoadIdentityOptions, loadIdentity } from "../query/get-statement.ts";
import { executeOrmDml, isOrmDml } from "./orm-dml.ts";
import { type FlushContext, MAKER_EVENTS, SessionEvents, type SessionEventMap } from "./session-events.ts";
import { runOrmExecute } from "./orm-execute-state.ts";
import { fireRefresh, sessionLoadEvents } from "./session-load-events.ts";
import type { ListenerRegistry } from "../../shared/listener-registry.ts";

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
  #failed: FailedTransaction | undefined;
  readonly #guard = new OperationGuard();
  readonly #events: SessionEvents;

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
      loadAttribute: (state, key) => this.#loadAttribute(state, key),
    });
    this.#objects = new SessionObjects(this.identityMap, events);
    this.#router = new SessionRouter({
      engine,
      binds: options.binds,
      getBind: options.getBind,
      sharding: options[SHARD_ROUTING],
      connections: this.#connections,
      identityMap: this.identityMap,
      connect: (e) => this.#connect(e),
      loadEvents: sessionLoadEvents(this, events),
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
      await this.#markDeleted(state);
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
    else state.expireSlots(this.#slotsOf(state, attributeNames), "expired");
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
    return this.#run("execute", () => this.#execute(statement, params, options));
  }

  /** `(await session.execute(stmt)).scalars()`. */
  scalars<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Promise<ScalarResult<FirstValue<R>>> {
    return this.#run("scalars", async () => (await this.#execute(statement, params, options)).scalars());
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
    return this.#run("stream", () => this.#stream(statement, params, options));
  }

  /** `(await session.stream(stmt)).scalars()`: `for await (const user of await session.streamScalars(select(User)))`. */
  streamScalars<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Promise<AsyncScalarResult<FirstValue<R>>> {
    return this.#run("streamScalars", async () => (await this.#stream(statement, params, options)).scalars());
  }

  /** `(await session.execute(stmt)).scalar()`. */
  scalar<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Promise<FirstValue<R> | null> {
    return this.#run("scalar", async () => (await this.#execute(statement, params, options)).scalar());
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
      const how = options as { populateExisting?: boolean; withForUpdate?: boolean; options?: readonly LoaderOption[] };
      const mapper = this.#mapperOf(model);
      const identity = primaryKeyValues(mapper, primaryKey);
      const sharding = this.#router.sharding;
      if (sharding === undefined) return ((await this.#getFrom(mapper, identity, how, undefined)) ?? null) as WithOptions<T, O[number]> | null;
      // Sharded: each shard that may hold the key, in the identity chooser's order.
      for (const shard of sharding.identityShards(mapper, identity)) {
        const found = await this.#getFrom(mapper, identity, how, shard);
        if (found !== undefined) return found as WithOptions<T, O[number]>;
      }
      return null;
    });
  }

  /** get() on one shard (`undefined`: unsharded): the identity map's instance, else one SELECT. */
  async #getFrom(
    mapper: Mapper,
    identity: readonly unknown[],
    options: { populateExisting?: boolean; withForUpdate?: boolean; options?: readonly LoaderOption[] },
    shard: string | undefined,
  ): Promise<object | undefined> {
    const hit = this.identityMap.find(mapper, identity, shard);
    // One identity for a hierarchy: the object of that key is of another class than the one asked for.
    if (hit !== undefined && mapper.inheritance !== undefined && !isA(hit.mapper as Mapper, mapper)) return undefined;
    if (hit && !options.populateExisting && !options.withForUpdate && hit.unloadedReason === undefined) return hit.object;
    // An identity-map hit reloads in place: expired, or asked to populate / lock; an expired one
    // with the options it was loaded with (SQLAlchemy's load_options).
    const populateExisting = options.populateExisting === true || hit !== undefined;
    const tree = hit !== undefined && hit.unloadedReason !== undefined ? (hit.loadOptions as LoadTree | undefined) : undefined;
    return this.#loadIdentity(mapper, identity, { ...options, populateExisting, tree }, shard);
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
    return this.#failed === undefined;
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
      const state = this.#requireState(object, "refresh");
      if (!state.hasIdentity || state.owner !== this.identityMap) {
        throw new InvalidRequestError(`Instance '${state.mapper.describe(state)}' is not persistent within this Session`);
      }
      const mapper = state.mapper as Mapper;
      if (attributeNames !== undefined) {
        const relationships = attributeNames.map((n) => mapper.relationship(n)).filter((r) => r !== undefined);
        const slots = this.#slotsOf(state, attributeNames.filter((n) => !mapper.relationship(n)));
        // As SQLAlchemy: the named attributes are expired (their unflushed changes discarded), then the autoflush runs.
        state.expireSlots(slots, state.unloadedReason);
        if (!state.modified) this.identityMap.clearModified(state);
        if (this.autoflush) await this.#flush();
        // A relationship's query needs the join columns: whatever is unloaded is loaded with the named columns.
        if (relationships.length > 0) for (const c of mapper.columns) if (!c.deferred && state.values[c.slot] === UNLOADED) slots.push(c.slot);
        if (slots.length > 0) {
          const conn = await this.#router.connectionOfState(state, options.withForUpdate !== true);
          await loadColumns(state, [...new Set(slots)], options.withForUpdate ?? false, conn, this.identityMap, "refresh");
          fireRefresh(this, state, [...new Set(slots)]);
        }
        for (const property of relationships) {
          await loadRelationship(state, property, this.#router.contextOf(state.identityToken));
          this.#nPlusOne?.record(property.path);
        }
        return object as Loaded<T, K[number]>;
      }
      // As SQLAlchemy: what the object's refresh-expire cascades reach is expired, to load on next use.
      for (const other of cascadeClosure(state, "refresh-expire")) if (other.hasIdentity && other.owner === this.identityMap) other.expireAll("expired");
      const columnSlots = mapper.columns.filter((c) => !c.deferred).map((c) => c.slot);
      state.expireSlots(columnSlots, state.unloadedReason);
      // The loader options the object was loaded with run again (SQLAlchemy's state.load_options).
      const tree = state.loadOptions as LoadTree | undefined;
      const found = await this.#loadIdentity(mapper, state.identity ?? [], { ...options, populateExisting: true, tree }, state.identityToken);
      if (found === undefined) throw new InvalidRequestError(`Could not refresh instance '${mapper.describe(state)}'`);
      state.unloadedReason = undefined;
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
      if (this.autoflush) await this.#flush();
      const lookup = (mapper: Mapper, identity: readonly unknown[]) => this.#loadIdentity(mapper, identity, { populateExisting: false }, source.identityToken);
      return (await mergeState(source, new Map(), this.#objects, lookup)) as T;
    });
  }

  // ---- transactions --------------------------------------------------------------------------

  /** Flushes all pending changes in the current transaction (beginning one if needed). */
  flush(): Promise<void> {
    return this.#run("flush", () => this.#flush());
  }

  /** Flushes, commits, and (with `expireOnCommit`) expires every instance. */
  commit(): Promise<void> {
    return this.#run("commit", async () => {
      const events = this.#events.any ? this.#events : undefined;
      if (events !== undefined) await events.fire("beforeCommit", this);
      await this.#flush();
      try {
        await this.#connections.commit();
      } catch (error) {
        await this.#failTransaction(error, "commit");
        throw error;
      }
      if (events !== undefined) await events.fire("afterCommit", this);
      this.#objects.committed(this.expireOnCommit);
      this.#nPlusOne?.reset();
      await this.#releaseConnection();
    });
  }

  /** Rolls back: pending objects are expunged, deleted ones restored, persistent ones expired. */
  rollback(): Promise<void> {
    // Not #run: rollback() is the one operation a failed transaction allows.
    return this.#guard.run("rollback", () => this.#rollbackTransaction());
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
    await this.#connections.rollbackQuietly();
    await this.#releaseConnection();
    this.#nPlusOne?.reset();
    this.#failed = undefined;
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
      return this.#connect(this.engine);
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
      await this.#flush();
      await this.#connect(this.engine);
      const begun = [];
      for (const conn of this.#connections.connections()) {
        begun.push(await conn.beginNested());
        if (this.#events.any) await this.#events.fire("afterBegin", this, { nested: true }, conn);
      }
      return begun;
    });
    // What the savepoint's rollback undoes: the INSERTs and DELETEs flushed after this point.
    const before = this.#objects.snapshot();
    return new SessionTransaction(
      () =>
        this.#run("commit", async () => {
          // As SQLAlchemy: what the nested transaction holds is flushed before RELEASE SAVEPOINT.
          await this.#flush();
          for (const savepoint of savepoints) await savepoint.commit();
        }),
      () =>
        this.#run("rollback", async () => {
          for (const savepoint of savepoints) await savepoint.rollback();
          const events = this.#events.any ? this.#events : undefined;
          if (events !== undefined) await events.fire("afterRollback", this);
          this.#objects.rolledBack(before);
          if (events !== undefined) await events.fire("afterSoftRollback", this, { nested: true });
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
    return this.#run("connection", () => this.#connect(options.shardId !== undefined ? this.#router.shardEngine(options.shardId) : (options.bind ?? this.engine)));
  }

  // ---- internals -----------------------------------------------------------------------------

  #execute<R>(statement: Executable<R>, params?: NamedParams | readonly NamedParams[], options?: SessionStatementOptions): Promise<Result<R>> {
    const listeners = this.#events.any ? this.#events.listeners("doOrmExecute") : undefined;
    if (listeners === undefined) return this.#executeStatement(statement, params, options);
    const run = (s: Executable<unknown>, p: typeof params, o: typeof options) => this.#executeStatement(s, p, o);
    return runOrmExecute(this, listeners, 0, statement, params, options, run) as Promise<Result<R>>;
  }

  async #executeStatement<R>(statement: Executable<R>, params?: NamedParams | readonly NamedParams[], options?: SessionStatementOptions): Promise<Result<R>> {
    const timing = options === undefined ? undefined : timingOf(options);
    const entity = statement instanceof EntitySelect ? statement : undefined;
    if (entity !== undefined && isParamsList(params)) throw new ArgumentError("An ORM select takes one set of parameters, not a list");
    // Model columns are table columns, so `select(User.id)` is a Core select: every statement built
    // from expressions autoflushes (SQLAlchemy flushes before ORM-enabled ones); raw text() does not.
    // The flush comes first: what it writes decides where a read-your-writes session reads.
    if (this.#autoflushDue && statement.node.kind !== "text") {
      if (timing === undefined) await this.#flush();
      else await (await this.#connect(this.engine)).withStatementOptions(timing, () => this.#flush());
    }
    if (isOrmDml(statement)) {
      const targets = this.#router.targetsOf(statement, undefined, options);
      const result = await executeOrmDml<R>(statement, params, { objects: this.#objects, targets, connect: (e) => this.#connect(e), timing, ran: () => this.#router.ran(statement) });
      const kind = statement.node.kind;
      if (this.#events.any && (kind === "update" || kind === "delete")) {
        await this.#events.fire(kind === "update" ? "afterBulkUpdate" : "afterBulkDelete", { session: this, statement, result });
      }
      return result;
    }
    const targets = this.#router.targetsOf(statement, entity, options);
    const results: Result<R>[] = [];
    for (const target of targets) {
      const conn = await this.#connect(target.engine);
      const run = () =>
        entity !== undefined ? this.#selectEntities<R>(entity, params as NamedParams | undefined, conn, target, options?.bind) : this.#executeCore(statement, params, conn);
      results.push(timing === undefined ? await run() : await conn.withStatementOptions(timing, run));
    }
    return results.length === 1 ? (results[0] as Result<R>) : Result.concat(results);
  }

  /** An ORM select as batches from a cursor per target; other statements (and those needing every row) read at once. */
  async #stream<R>(statement: Executable<R>, params: NamedParams | undefined, options: SessionStatementOptions | undefined): Promise<AsyncResult<R>> {
    const listeners = this.#events.any ? this.#events.listeners("doOrmExecute") : undefined;
    if (listeners === undefined) return this.#streamStatement(statement, params, options);
    // doOrmExecute may replace the statement (then streamed), or answer it with a Result (then read from memory).
    const run = (s: Executable<unknown>, p: NamedParams | readonly NamedParams[] | undefined, o: SessionStatementOptions | undefined) =>
      this.#executeStatement(s, p, o);
    const outcome = await runOrmExecute(this, listeners, 0, statement, params, options, run, (s) => this.#streamStatement(s, params, options));
    return outcome instanceof AsyncResult ? (outcome as AsyncResult<R>) : inMemory(outcome as Result<R>);
  }

  async #streamStatement<R>(statement: Executable<R>, params: NamedParams | undefined, options: SessionStatementOptions | undefined): Promise<AsyncResult<R>> {
    const entity = statement instanceof EntitySelect ? statement : undefined;
    const yieldPer = entity === undefined ? undefined : checkedYieldPer(entity.executionOptionsValue.yieldPer);
    if (entity !== undefined && yieldPer !== undefined) checkYieldPer(entity.plan.elements);
    if (entity === undefined || (yieldPer === undefined && yieldPerConflict(entity.plan.elements) !== undefined)) {
      return inMemory(await this.#executeStatement(statement, params, options));
    }
    if (this.#autoflushDue && statement.node.kind !== "text") await this.#flush();
    const plan = entity.plan;
    const column = plan.elements.length === 1 && plan.elements[0]?.kind === "entity";
    const populateExisting = entity.executionOptionsValue.populateExisting ?? false;
    const open = async (target: Target): Promise<PlanBatches> => {
      const connection = await this.#connect(target.engine);
      let context = this.#router.contextOf(target.shard);
      const bind = options?.bind;
      if (bind !== undefined) context = { ...context, connection: () => this.#connect(bind) };
      return openPlanStream(plan.node, plan.elements, context, {
        params,
        populateExisting,
        postLoad: runPostLoads,
        column,
        connection,
        batchSize: yieldPer ?? DEFAULT_STREAM_BATCH,
        evict: (state) => this.identityMap.evict(state),
      });
    };
    const [first, ...rest] = this.#router.targetsOf(statement, entity, options);
    const batches = await open(first as Target);
    return new AsyncResult<R>(rest.length === 0 ? batches : batchesInTurn(batches, rest.map((target) => () => open(target))), {
      keys: entity.resultKeys,
      column,
      yieldPer,
      uniqueRequired: plan.requireUnique,
    });
  }

  async #executeCore<R>(statement: Executable<R>, params: NamedParams | readonly NamedParams[] | undefined, conn: AsyncConnection): Promise<Result<R>> {
    const result = isParamsList(params) ? await conn.execute(statement, params) : await conn.execute(statement, params);
    this.#router.ran(statement);
    return result;
  }

  /** Runs an ORM select on one connection and loads its rows into identity-mapped instances. */
  async #selectEntities<R>(
    statement: EntitySelect<readonly unknown[]>,
    params: NamedParams | undefined,
    connection: AsyncConnection,
    target: Target,
    bind: AsyncEngine | undefined,
  ): Promise<Result<R>> {
    const plan = statement.plan;
    // execute() reads a yieldPer statement whole (as SQLAlchemy's AsyncSession.execute), with its refusals.
    if (statement.executionOptionsValue.yieldPer !== undefined) checkYieldPer(plan.elements);
    const meta = { keys: statement.resultKeys, rowsAffected: 0, lastInsertId: undefined, uniqueRequired: plan.requireUnique };
    const populateExisting = statement.executionOptionsValue.populateExisting ?? false;
    let context = this.#router.contextOf(target.shard);
    // An explicit bind holds for the loads the statement's options run, too.
    if (bind !== undefined) context = { ...context, connection: () => this.#connect(bind) };
    const how = { params, populateExisting, postLoad: runPostLoads, connection };
    if (plan.elements.length === 1 && plan.elements[0]?.kind === "entity") {
      // One entity: the instances without a tuple each (built only if rows are asked for).
      return Result.ofColumn<R>(await executePlan(plan.node, plan.elements, context, { ...how, column: true }), meta);
    }
    return new Result((await executePlan(plan.node, plan.elements, context, { ...how, rowKeys: meta.keys })) as R[], meta);
  }

  /** Checked before calling #flush: most queries have nothing to flush, and skip an await. */
  get #autoflushDue(): boolean {
    return this.autoflush && this.#objects.hasChanges;
  }

  #loadIdentity(mapper: Mapper, identity: readonly unknown[], how: LoadIdentityOptions, shard: string | undefined): Promise<object | undefined> {
    return loadIdentity(mapper, identity, how, async (plan, params, populateExisting, statement) => {
      if (this.#autoflushDue) await this.#flush();
      const context = this.#router.contextOf(shard);
      const listeners = statement !== undefined && this.#events.any ? this.#events.listeners("doOrmExecute") : undefined;
      if (listeners === undefined) return executePlan(plan.node, plan.elements, context, { params, populateExisting, postLoad: runPostLoads });
      // doOrmExecute sees the get() statement too (and may add criteria to it, or answer it).
      const run = async (replaced: Executable<unknown>, p: NamedParams | readonly NamedParams[] | undefined) => {
        const { node, elements } = replaced instanceof EntitySelect ? replaced.plan : plan;
        const rows = await executePlan(node, elements, context, { params: p as NamedParams | undefined, populateExisting, postLoad: runPostLoads });
        return new Result<unknown>(rows as unknown[], { keys: [mapper.className], rowsAffected: 0, lastInsertId: undefined });
      };
      return (await runOrmExecute(this, listeners, 0, statement as Executable<unknown>, params, undefined, run)).all() as unknown[][];
    });
  }

  async #flush(): Promise<void> {
    const objects = this.#objects;
    if (!objects.hasChanges) return;
    const events = this.#events.any ? this.#events : undefined;
    const flushContext: FlushContext | undefined = events && { session: this, connection: () => this.#connect(this.engine) };
    if (events !== undefined) await events.fire("beforeFlush", this, flushContext as FlushContext, undefined);
    for (const state of [...objects.pending, ...this.identityMap.modified]) objects.cascadeSave(state);
    await this.#releaseChildrenOfDeleted();
    const pending = [...objects.pending];
    const deleted = [...objects.deleted];
    const router = this.#router;
    // Sharded: each new object's shard, chosen before planning (it is part of the identity).
    const sharding = router.sharding;
    if (sharding !== undefined) for (const state of pending) router.shardOf(state, sharding);
    const tables = objects.tableRanks();
    const plan = planFlush({
      pending,
      modified: [...this.identityMap.modified],
      deleted,
      tableRank: (mapper) => tables.get(mapper.table) ?? 0,
      persistentWith: (mapper, identity, token) => this.identityMap.find(mapper, identity, token),
    });
    // Connecting after planning: a plan refused (duplicate keys, a cycle) has written nothing.
    const conn = router.single ? await this.#connect(this.engine) : undefined;
    try {
      await executeFlushPlan(plan, conn !== undefined ? () => Promise.resolve(conn) : (state) => router.connectionOfState(state, false));
    } catch (error) {
      await this.#failTransaction(error, "flush");
      throw error;
    }
    if (plan.steps.length > 0) router.wrote = true;
    if (events !== undefined) await this.#afterFlush(events, flushContext as FlushContext, "afterFlush");
    objects.flushed(plan.saves, plan.deletes);
    if (events !== undefined) await this.#afterFlush(events, flushContext as FlushContext, "afterFlushPostexec");
  }

  /** An after-flush listener's failure fails the flush, as a statement's would. */
  async #afterFlush(events: SessionEvents, flushContext: FlushContext, name: "afterFlush" | "afterFlushPostexec"): Promise<void> {
    try {
      await events.fire(name, this, flushContext);
    } catch (error) {
      await this.#failTransaction(error, "flush");
      throw error;
    }
  }

  /** Orphans of delete-orphan collections join the deletes; then what the deletes need is loaded (cascades.ts). */
  async #releaseChildrenOfDeleted(): Promise<void> {
    for (const orphan of orphansOf(this.identityMap.modified)) await this.#markDeleted(orphan);
    await prepareDeletes(this.#objects.deleted, (state, property) => loadRelationship(state, property, this.#router.contextOf(state.identityToken)));
  }

  async #markDeleted(state: InstanceState): Promise<void> {
    if (this.#objects.deleted.has(state)) return;
    this.#objects.deleted.add(state);
    for (const property of (state.mapper as Mapper).relationships) {
      if (!property.cascade.has("delete")) continue;
      let value = state.values[property.slot];
      if (value === UNLOADED) {
        if (property.spec.options.passiveDeletes) continue; // the database's ON DELETE deletes what is not loaded
        value = await loadRelationship(state, property, this.#router.contextOf(state.identityToken));
      }
      const items = Array.isArray(value) ? value : value === null ? [] : [value];
      for (const item of items) {
        const child = (item as { [STATE]: InstanceState })[STATE];
        if (child.hasIdentity) await this.#markDeleted(child);
        else if (this.#objects.pending.has(child)) this.#objects.expunge(child);
      }
    }
  }

  /** Rolls back and releases; a failed ROLLBACK still rolls the session back, its connection discarded. */
  async #rollbackTransaction(): Promise<void> {
    const events = this.#events.any && this.#connections.size > 0 ? this.#events : undefined;
    try {
      await this.#connections.rollback();
    } finally {
      await this.#releaseConnection();
      this.#nPlusOne?.reset();
      this.#failed = undefined;
      if (events !== undefined) await events.fire("afterRollback", this);
      this.#objects.rolledBack();
      if (events !== undefined) await events.fire("afterSoftRollback", this, { nested: false });
    }
  }

  /** A flush or COMMIT failed: roll back without hiding `error`, and refuse work until rollback(). */
  async #failTransaction(error: unknown, during: FailedTransaction["during"]): Promise<void> {
    await this.#connections.rollbackQuietly();
    await this.#rollbackTransaction();
    this.#failed = { error, during };
  }

  /** The engine's connection in the session's transaction (checked out and begun on first use). */
  #connect(engine: AsyncEngine): Promise<AsyncConnection> {
    if (this.#failed !== undefined) return Promise.reject(pendingRollbackError(this.#failed));
    return this.#connections.connect(engine);
  }

  async #releaseConnection(): Promise<void> {
    this.#router.wrote = false;
    await this.#connections.release();
  }

  /**
   * Runs one public operation: refuses a concurrent one, and lets close() wait for it. Public
   * methods return its promise as it is (see OperationGuard.run), so they are not `async`.
   */
  #run<T>(method: string, work: () => Promise<T>): Promise<T> {
    const failed = this.#failed;
    return this.#guard.run(method, failed === undefined ? work : () => Promise.reject(pendingRollbackError(failed)));
  }

  /** `obj.awaitableAttrs.key`: a column by refresh; a relationship by its lazy statement, autoflushing first. */
  async #loadAttribute(state: InstanceState, key: string): Promise<unknown> {
    const mapper = state.mapper as Mapper;
    const property = mapper.property(key);
    if (property?.kind === "column") {
      // A column deferred with raiseload: the read raises (SQLAlchemy's awaitable_attrs does the same read).
      if (state.readOverrides?.has(property.slot)) return (state.object as Record<string, unknown>)[key];
      // As SQLAlchemy's expired-attribute loader: every expired column comes back in one SELECT.
      return this.#run("load", async () => {
        if (!state.hasIdentity || state.owner !== this.identityMap) return (state.object as Record<string, unknown>)[key];
        if (this.autoflush) await this.#flush();
        const tree = state.loadOptions as LoadTree | undefined;
        if (tree !== undefined && !tree.isEmpty && state.unloadedReason !== undefined && !property.deferred) {
          // An expired object loaded with options: reloaded with them, filling what is unloaded
          // (its eager relationships too), as SQLAlchemy's load of expired attributes does.
          const found = await this.#loadIdentity(mapper, state.identity ?? [], { populateExisting: false, tree }, state.identityToken);
          if (found === undefined) throw new ObjectDeletedError(`Instance '${mapper.describe(state)}' has been deleted, or its row is otherwise not present.`);
          return state.values[property.slot];
        }
        const slots = mapper.columns.filter((c) => c.slot === property.slot || (!c.deferred && state.values[c.slot] === UNLOADED)).map((c) => c.slot);
        if (state.values[property.slot] === UNLOADED) {
          await loadColumns(state, slots, false, await this.#router.connectionOfState(state, true), this.identityMap, "expired attribute");
          fireRefresh(this, state, slots);
        }
        return state.values[property.slot];
      });
    }
    const relationship = property as RelationshipProperty;
    // The strategy the object was loaded with (a query's option), else the configured one, says what awaiting does.
    const strategy = LOADER_STRATEGIES[state.readOverrides?.get(relationship.slot) ?? relationship.strategy];
    return strategy.loadAwaited(state, relationship, {
      read: () => (state.object as Record<string, unknown>)[key],
      operation: (work) =>
        this.#run("load", async () => {
          if (this.autoflush) await this.#flush();
          return work();
        }),
      inMemory: () => {
        // With criteria the load selects, whatever the identity map holds (SQLAlchemy turns use_get off).
        const known = loadsWithCriteria(state, relationship)
          ? UNLOADED
          : targetWithoutSql(state, relationship, (m, identity) => this.identityMap.find(m, identity, state.identityToken));
        if (known !== UNLOADED) state.values[relationship.slot] = known;
        return known;
      },
      select: async () => {
        const value = await loadRelationship(state, relationship, this.#router.contextOf(state.identityToken));
        this.#nPlusOne?.record(relationship.path);
        return value;
      },
    });
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

  #slotsOf(state: InstanceState, names: readonly string[]): number[] {
    const mapper = state.mapper as Mapper;
    return names.map((name) => {
      const property = mapper.property(name);
      if (!property) throw new InvalidRequestError(`${mapper.className} has no attribute '${name}'`);
      return property.slot;
    });
  }
}


/** The connection's part of a session statement's options, or `undefined` when it has none. */
function timingOf({ signal, timeoutMs }: SessionStatementOptions): StatementOptions | undefined {
  return signal === undefined && timeoutMs === undefined ? undefined : { signal, timeoutMs };
}

/** A buffered result as an `AsyncResult` (what `stream()` returns for what it cannot stream). */
function inMemory<R>(result: Result<R>): AsyncResult<R> {
  const { values, column } = result.takeRemaining();
  return new AsyncResult<R>(batchesInMemory(values), { keys: result.keys(), column, uniqueRequired: result.meta.uniqueRequired });
}

/** A statement's `yieldPer`, when it has a usable one. */
function checkedYieldPer(yieldPer: number | undefined): number | undefined {
  if (yieldPer !== undefined && (!Number.isInteger(yieldPer) || yieldPer < 1)) {
    throw new ArgumentError(`yieldPer must be a whole number ≥ 1 (got ${String(yieldPer)})`);
  }
  return yieldPer;
}
