import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { AnyConnection } from "../../core/engine/any-connection.ts";
import type { AnyEngine } from "../../core/engine/any-engine.ts";
import type { TransactionCore } from "../../core/engine/transaction-core.ts";
import type { TransactionOptions } from "../../core/dialects/transaction-options.ts";
import { type Io, io } from "../../shared/io.ts";
import { rollbackOrInvalidate } from "./failed-transaction.ts";

/**
 * The connection a session's work runs on. The session's code is written once as `Io` generators
 * (docs/adr/0014): this is the one place that names the connection class it drives.
 */
export type SessionConnection = AnyConnection;

/** The engine a session runs on: an `SessionEngine` (AsyncSession) or the synchronous `Engine` (Session). */
export type SessionEngine = AnyEngine;

interface Joined {
  readonly connection: SessionConnection;
  transaction: TransactionCore;
}

/**
 * The connections of a session's transaction: one per engine the transaction has used, each in a
 * transaction begun on first use (SQLAlchemy's `SessionTransaction` with several binds). Commit
 * and rollback reach each in the order they joined. There is no two-phase commit: if a later
 * COMMIT fails, the earlier ones stand (as in SQLAlchemy without `twophase`).
 */
export class SessionConnections {
  readonly #joined = new Map<SessionEngine, Joined>();
  /** Called when a connection's transaction begins in the session's (the session's `afterBegin`). */
  onBegin: ((connection: SessionConnection) => Io<void> | undefined) | undefined;
  /** What `session.begin(options)` asked for, applied to every connection the transaction joins. */
  #options: TransactionOptions | undefined;

  /** Whether the transaction is begun on any connection. */
  get active(): boolean {
    for (const joined of this.#joined.values()) if (joined.transaction.isActive) return true;
    return false;
  }

  get size(): number {
    return this.#joined.size;
  }

  /** The connections joined so far, in the order they joined. */
  connections(): SessionConnection[] {
    return [...this.#joined.values()].map((j) => j.connection);
  }

  /** The engines of the connections joined so far, in the order they joined. */
  engines(): SessionEngine[] {
    return [...this.#joined.keys()];
  }

  inNestedTransaction(): boolean {
    for (const joined of this.#joined.values()) if (joined.connection.inNestedTransaction()) return true;
    return false;
  }

  /** Begins the transaction's options for connections still to join (`session.begin(options)`). */
  setOptions(options: TransactionOptions | undefined): void {
    this.#options = options;
  }

  /** The engine's connection in this transaction: checked out and begun on first use. */
  *connect(engine: SessionEngine): Io<SessionConnection> {
    const joined = this.#joined.get(engine);
    if (joined !== undefined) {
      if (!joined.transaction.isActive) {
        joined.transaction = yield* joined.connection.beginIo(this.#options);
        const fired = this.onBegin?.(joined.connection);
        if (fired !== undefined) yield* fired;
      }
      return joined.connection;
    }
    const connection = yield* io<SessionConnection>(engine.connect());
    try {
      this.#joined.set(engine, { connection, transaction: yield* connection.beginIo(this.#options) });
    } catch (error) {
      yield* connection.closeIo();
      throw error;
    }
    const fired = this.onBegin?.(connection);
    if (fired !== undefined) yield* fired;
    return connection;
  }

  /** COMMIT on each connection, in the order they joined. */
  *commit(): Io<void> {
    for (const joined of this.#joined.values()) if (joined.transaction.isActive) yield* joined.transaction.commitIo();
  }

  /**
   * ROLLBACK on each connection; one that fails is invalidated (its state is unknown) and the
   * others are still rolled back. The first failure is rethrown.
   */
  *rollback(): Io<void> {
    let failure: { error: unknown } | undefined;
    for (const joined of this.#joined.values()) {
      try {
        if (joined.transaction.isActive) yield* joined.transaction.rollbackIo();
      } catch (error) {
        joined.connection.invalidate();
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  /** ROLLBACK everywhere without throwing (see rollbackOrInvalidate). */
  *rollbackQuietly(): Io<void> {
    for (const joined of this.#joined.values()) yield* rollbackOrInvalidate(joined.transaction, joined.connection);
  }

  /** Gives every connection back to its pool; the next use checks out anew. */
  *release(): Io<void> {
    const joined = [...this.#joined.values()];
    this.#joined.clear();
    this.#options = undefined;
    for (const { connection } of joined) yield* connection.closeIo();
  }
}
