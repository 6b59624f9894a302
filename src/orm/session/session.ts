import type { Connection } from "../../core/engine/connection.ts";
import type { Engine } from "../../core/engine/engine.ts";
import type { Executable, NamedParams } from "../../core/engine/executable.ts";
import type { FirstValue, Result, ScalarResult } from "../../core/engine/result.ts";
import type { TransactionOptions } from "../../core/dialects/transaction-options.ts";
import { type Io, runSync } from "../../shared/io.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { PRIMARY_KEY } from "../mapping/model-types.ts";
import type { Readable, ReadableRow } from "../mapping/readable.ts";
import type { LoaderOptionFor } from "../query/entity-select.ts";
import type { InstanceState } from "../state/instance-state.ts";
import type { AsyncSession } from "./async-session.ts";
import type { RunTransactionOptions } from "./run-transaction.ts";
import { type AttributeName, type GetCallOptions, type ModelClass, SessionBase } from "./session-base.ts";
import type { SessionOptions, SessionStatementOptions } from "./session-options.ts";
import { TransactionBase, type TransactionSteps } from "./session-transaction.ts";
import { checkStrictLoadingOnRead } from "./strict-loading.ts";
import { SyncResult, type SyncScalarResult } from "./sync-result.ts";

/**
 * A synchronous `Session`'s explicit transaction (or savepoint): commit or roll back once;
 * `using tx = session.begin()` rolls it back at the end of the block unless it was committed.
 */
export class SyncSessionTransaction extends TransactionBase implements Disposable {
  /** Commits; a commit that fails rolls back before rethrowing, so the session is usable again. */
  commit(): void {
    runSync(this.commitIo());
  }

  rollback(): void {
    runSync(this.rollbackIo());
  }

  [Symbol.dispose](): void {
    this.rollback();
  }
}

/**
 * The ORM's unit of work and identity map, synchronously, over better-sqlite3 (SQLAlchemy's
 * `Session`, the post's other world). Everything `AsyncSession` does, without `await`; and a read
 * of an unloaded relationship or column loads it there and then (`lazy: "select"` on access),
 * where `AsyncSession` raises `MissingGreenlet`. Results are typed `Readable`: every relationship
 * readable. The same models, statements, strategies and flush as `AsyncSession` (docs/adr/0014).
 *
 * ```ts
 * using session = new Session(createEngine("sqlite:///app.db"));
 * const user = session.execute(select(User).where(User.id.eq(100))).scalars().one();
 * user.organization.name;    // SELECT "organizations"."id", "organizations"."name" FROM "organizations" WHERE "organizations"."id" = ?
 * session.commit();
 * ```
 */
export class Session extends SessionBase<SyncSessionTransaction> implements Disposable {
  constructor(engine: Engine, options: SessionOptions = {}) {
    super(engine, options);
  }

  /**
   * The rows of a statement read from a cursor (better-sqlite3's iterator) in batches of its
   * `executionOptions({ yieldPer })` (1,000 without), each batch loaded into instances, with its
   * selectin and immediate loads, when the iteration reaches it (as `AsyncSession.stream()`).
   *
   * ```ts
   * for (const [user] of session.stream(select(User))) console.log(user.name);
   * ```
   */
  stream<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): SyncResult<ReadableRow<R>> {
    return new SyncResult(runSync(this.streamIo(statement, params, options)));
  }

  /** `session.stream(stmt).scalars()`: `for (const user of session.streamScalars(select(User)))`. */
  streamScalars<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): SyncScalarResult<Readable<FirstValue<R>>> {
    return this.stream(statement, params, options).scalars() as SyncScalarResult<Readable<FirstValue<R>>>;
  }

  /** `using session = new Session(engine)`: close() at the end of the block. */
  [Symbol.dispose](): void {
    this.close();
  }

  // ---- the shell's hooks (session-base.ts) ---------------------------------------------------

  /** Listeners are typed with `AsyncSession`; they receive the session that fired, this one. */
  protected override asEventSession(): AsyncSession {
    return this as unknown as AsyncSession;
  }

  /** One call at a time by construction: a synchronous call ends before the next can begin. */
  protected override runOperation<T>(_method: string, work: () => Io<T>): T {
    return runSync(work());
  }

  /** @internal */
  override runIo<T>(work: Io<T>): T {
    return runSync(work);
  }

  protected override newTransaction(steps: TransactionSteps): SyncSessionTransaction {
    return new SyncSessionTransaction(steps);
  }

  /** `runTransaction`'s backoff: the thread sleeps (a synchronous caller has nothing else to run). */
  protected override pause(ms: number): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  }

  /**
   * The read of an unloaded attribute of one of this session's objects: `strictLoading` refuses
   * or reports a relationship's lazy SELECT first; then the attribute loads as
   * `awaitableAttrs` would load it (autoflush, the identity map for a many-to-one, else its SELECT).
   */
  protected override loadOnRead(state: InstanceState, key: string): unknown {
    const property = (state.mapper as Mapper).property(key);
    if (property?.kind === "relationship" && !this.explicitRead) checkStrictLoadingOnRead(this.strictLoading, state.mapper.describe(state), property.path);
    return runSync(this.loadAttributeIo(state, key));
  }
}

/**
 * The public operations: each drives the session's `Io` of the same name with `runSync`
 * (`session.flush()` is `runSync(session.flushIo())`). Installed from this list rather than written
 * out, so the two shells do not repeat each other; their types are the interface below.
 */
const OPERATIONS = [
  "delete",
  "execute",
  "scalars",
  "scalar",
  "get",
  "getOne",
  "noAutoflush",
  "refresh",
  "merge",
  "flush",
  "commit",
  "rollback",
  "close",
  "begin",
  "beginNested",
  "runTransaction",
  "connection",
] as const;

for (const name of OPERATIONS) {
  Object.defineProperty(Session.prototype, name, {
    configurable: true,
    writable: true,
    value: function (this: Record<string, (...args: unknown[]) => Io<unknown>>, ...args: unknown[]): unknown {
      return runSync((this[`${name}Io`] as (...a: unknown[]) => Io<unknown>).apply(this, args));
    },
  });
}

export interface Session {
  /** Marks a persistent object for DELETE at the next flush; cascades `delete`, loading what it must. */
  delete(object: object): void;
  /**
   * Runs a statement in the session's transaction. An ORM select (`select(User)`) autoflushes,
   * then loads its rows into identity-mapped instances (typed `Readable`: every relationship reads).
   */
  execute<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Result<ReadableRow<R>>;
  /** A Core statement once per parameter set (an `insert(table)` as multi-row INSERTs); an ORM select refuses a list. */
  execute<R>(statement: Executable<R>, paramsList: readonly NamedParams[], options?: SessionStatementOptions): Result<ReadableRow<R>>;
  /** `session.execute(stmt).scalars()`. */
  scalars<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): ScalarResult<Readable<FirstValue<R>>>;
  /** `session.execute(stmt).scalar()`. */
  scalar<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Readable<FirstValue<R>> | null;
  /** The object with this primary key: from the identity map with no SQL when it is there, else one SELECT; `null` when no row has it. */
  get<T extends object, Id = unknown, const O extends readonly LoaderOptionFor<T>[] = readonly []>(
    model: ModelClass<T> & { readonly [PRIMARY_KEY]?: Id },
    primaryKey: NoInfer<Id>,
    options?: GetCallOptions<O>,
  ): Readable<T> | null;
  /** `get()`, but a missing row raises `NoResultFound`. */
  getOne<T extends object, Id = unknown, const O extends readonly LoaderOptionFor<T>[] = readonly []>(
    model: ModelClass<T> & { readonly [PRIMARY_KEY]?: Id },
    primaryKey: NoInfer<Id>,
    options?: GetCallOptions<O>,
  ): Readable<T>;
  /** Runs `work` with autoflush off, then restores it. */
  noAutoflush<T>(work: () => T): T;
  /** Reloads an object's attributes (all, or the named ones) from the database now. */
  refresh<T extends object, const K extends readonly AttributeName<T>[] = readonly []>(object: T, attributeNames?: K, options?: { withForUpdate?: boolean }): Readable<T>;
  /** Copies `object`'s state onto the session's instance with the same primary key and returns that instance. */
  merge<T extends object>(object: T): Readable<T>;
  /** Flushes all pending changes in the current transaction (beginning one if needed). */
  flush(): void;
  /** Flushes, commits, and (with `expireOnCommit`) expires every instance. */
  commit(): void;
  /** Rolls back: pending objects are expunged, deleted ones restored, persistent ones expired. */
  rollback(): void;
  /** Rolls back anything open, gives the connection back and detaches every object; the session can be used again. */
  close(): void;
  /** Begins the transaction explicitly: `using tx = session.begin()`, or `session.begin(() => …)`, which commits when `work` returns. */
  begin(options?: TransactionOptions): SyncSessionTransaction;
  begin<T>(work: () => T, options?: TransactionOptions): T;
  /** `SAVEPOINT`: flushes, then begins a nested transaction; rolling it back expires every instance. */
  beginNested(): SyncSessionTransaction;
  /** Runs `fn(session)` in a transaction and commits; retries serialization failures and deadlocks. */
  runTransaction<T>(fn: (session: this) => T, options?: RunTransactionOptions): T;
  /** A connection of the session's transaction, beginning it if needed. */
  connection(options?: { bind?: Engine; shardId?: string }): Connection;
}
