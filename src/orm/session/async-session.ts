import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import type { Executable, NamedParams } from "../../core/engine/executable.ts";
import type { Result, ScalarResult, FirstValue } from "../../core/engine/result.ts";
import type { TransactionOptions } from "../../core/dialects/transaction-options.ts";
import { type Io, runAsync } from "../../shared/io.ts";
import type { LoaderOptionFor, WithOptions } from "../query/entity-select.ts";
import type { Loaded, PRIMARY_KEY } from "../mapping/model-types.ts";
import { AsyncResult, type AsyncScalarResult } from "./async-result.ts";
import type { StreamSource } from "./batched-result.ts";
import { OperationGuard } from "./operation-guard.ts";
import { type RunTransactionOptions, sleep } from "./run-transaction.ts";
import { type AttributeName, type GetCallOptions, type ModelClass, SessionBase } from "./session-base.ts";
import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { SessionStatementOptions } from "./session-options.ts";
import { SessionTransaction, type TransactionSteps } from "./session-transaction.ts";

export type { SessionOptions, SessionStatementOptions } from "./session-options.ts";

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
export class AsyncSession extends SessionBase<SessionTransaction> implements AsyncDisposable {
  readonly #guard = new OperationGuard();

  /** Marks a persistent object for DELETE at the next flush; cascades `delete`, loading what it must. */
  delete(object: object): Promise<void> {
    return this.runOperation("delete", () => this.deleteIo(object));
  }

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
    return this.runOperation("execute", () => this.executeIo(statement, params, options));
  }

  /** `(await session.execute(stmt)).scalars()`. */
  scalars<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Promise<ScalarResult<FirstValue<R>>> {
    return this.runOperation("scalars", () => this.scalarsIo(statement, params, options));
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
    return this.runOperation("stream", () => asyncResultOf<R>(this.streamIo(statement, params, options)));
  }

  /** `(await session.stream(stmt)).scalars()`: `for await (const user of await session.streamScalars(select(User)))`. */
  streamScalars<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Promise<AsyncScalarResult<FirstValue<R>>> {
    return this.runOperation("streamScalars", function* (this: AsyncSession) {
      return (yield* asyncResultOf<R>(this.streamIo(statement, params, options))).scalars();
    }.bind(this));
  }

  /** `(await session.execute(stmt)).scalar()`. */
  scalar<R>(statement: Executable<R>, params?: NamedParams, options?: SessionStatementOptions): Promise<FirstValue<R> | null> {
    return this.runOperation("scalar", () => this.scalarIo(statement, params, options));
  }

  /**
   * The object with this primary key: from the identity map with no SQL when it is there (and not
   * expired), else one SELECT. `null` when no row has it.
   */
  get<T extends object, Id = unknown, const O extends readonly LoaderOptionFor<T>[] = readonly []>(
    model: ModelClass<T> & { readonly [PRIMARY_KEY]?: Id },
    primaryKey: NoInfer<Id>,
    options: GetCallOptions<O> = {},
  ): Promise<WithOptions<T, O[number]> | null> {
    return this.runOperation("get", () => this.getIo(model, primaryKey, options));
  }

  /** `get()`, but a missing row raises `NoResultFound` instead of returning null (SQLAlchemy's `get_one`). */
  getOne<T extends object, Id = unknown, const O extends readonly LoaderOptionFor<T>[] = readonly []>(
    model: ModelClass<T> & { readonly [PRIMARY_KEY]?: Id },
    primaryKey: NoInfer<Id>,
    options: GetCallOptions<O> = {},
  ): Promise<WithOptions<T, O[number]>> {
    return this.runOperation("get", () => this.getOneIo(model, primaryKey, options));
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
  noAutoflush<T>(work: () => Promise<T>): Promise<T> {
    return runAsync(this.noAutoflushIo(work));
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
    return this.runOperation("refresh", () => this.refreshIo(object, attributeNames, options));
  }

  /**
   * Copies the state of `object` onto the session's instance with the same primary key (from the
   * identity map, else loaded with one SELECT after an autoflush, else a new pending instance)
   * and returns that instance; `object` itself is not attached. Relationships with the `merge`
   * cascade (the default) are merged too, so a detached graph comes back as one.
   */
  merge<T extends object>(object: T): Promise<T> {
    return this.runOperation("merge", () => this.mergeIo(object));
  }

  // ---- transactions --------------------------------------------------------------------------

  /** Flushes all pending changes in the current transaction (beginning one if needed). */
  flush(): Promise<void> {
    return this.runOperation("flush", () => this.flushIo());
  }

  /** Flushes, commits, and (with `expireOnCommit`) expires every instance. */
  commit(): Promise<void> {
    return this.runOperation("commit", () => this.commitIo());
  }

  /** Rolls back: pending objects are expunged, deleted ones restored, persistent ones expired. */
  rollback(): Promise<void> {
    return this.runOperation("rollback", () => this.rollbackIo());
  }

  /**
   * Rolls back anything open, gives the connection back and detaches every object; the session can
   * be used again. A call still running (an `await` forgotten before `return session.get(…)`, say)
   * is waited for first: its caller gets its result, and the connection never outlives the session.
   * Never throws because the database went away: a connection whose rollback fails is discarded
   * instead of returned to the pool (closing it ends the server's transaction).
   */
  close(): Promise<void> {
    return this.#guard.runAfterCurrent("close", () => runAsync(this.closeIo()));
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
  begin<T>(work?: (() => Promise<T>) | TransactionOptions, options?: TransactionOptions): Promise<SessionTransaction | T> {
    return runAsync(this.beginIo(work, options));
  }

  /** `SAVEPOINT`: flushes, then begins a nested transaction; rolling it back expires every instance. */
  beginNested(): Promise<SessionTransaction> {
    return runAsync(this.beginNestedIo());
  }

  /** Runs `fn(session)` in a transaction and commits; retries serialization failures and deadlocks (run-transaction.ts). */
  runTransaction<T>(fn: (session: this) => Promise<T>, options?: RunTransactionOptions): Promise<T> {
    return runAsync(this.runTransactionIo(fn, options));
  }

  /**
   * A connection of the session's transaction, beginning it if needed: the session's engine's, or
   * `bind`'s, or a shard's (SQLAlchemy's `Session.connection(bind_arguments=…)`).
   */
  connection(options: { bind?: AsyncEngine; shardId?: string } = {}): Promise<AsyncConnection> {
    return this.runOperation("connection", () => this.connectionIo(options)) as Promise<AsyncConnection>;
  }

  // ---- the shell's hooks (session-base.ts) ---------------------------------------------------

  protected override asEventSession(): AsyncSession {
    return this;
  }

  /**
   * @internal One public operation: refuses a concurrent one, and lets close() wait for it. Public
   * methods return its promise as it is (see OperationGuard.run), so they are not `async`.
   */
  protected override runOperation<T>(method: string, work: () => Io<T>): Promise<T> {
    return this.#guard.run(method, () => runAsync(work()));
  }

  /** @internal */
  override runIo<T>(work: Io<T>): Promise<T> {
    return runAsync(work);
  }

  protected override newTransaction(steps: TransactionSteps): SessionTransaction {
    return new SessionTransaction(steps);
  }

  protected override pause(ms: number): Promise<void> {
    return sleep(ms);
  }
}

/** A stream's batches as an `AsyncResult`. */
function* asyncResultOf<R>(source: Io<StreamSource>): Io<AsyncResult<R>> {
  return new AsyncResult<R>(yield* source);
}
