import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { AsyncEngine } from "../../core/engine/async-engine.ts";
import type { Transaction } from "../../core/engine/transaction.ts";
import type { TransactionOptions } from "../../core/dialects/transaction-options.ts";
import { rollbackOrInvalidate } from "./failed-transaction.ts";

interface Joined {
  readonly connection: AsyncConnection;
  transaction: Transaction;
}

/**
 * The connections of a session's transaction: one per engine the transaction has used, each in a
 * transaction begun on first use (SQLAlchemy's `SessionTransaction` with several binds). Commit
 * and rollback reach each in the order they joined. There is no two-phase commit: if a later
 * COMMIT fails, the earlier ones stand (as in SQLAlchemy without `twophase`).
 */
export class SessionConnections {
  readonly #joined = new Map<AsyncEngine, Joined>();
  /** Called when a connection's transaction begins in the session's (the session's `afterBegin`). */
  onBegin: ((connection: AsyncConnection) => Promise<void> | undefined) | undefined;
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
  connections(): AsyncConnection[] {
    return [...this.#joined.values()].map((j) => j.connection);
  }

  /** The engines of the connections joined so far, in the order they joined. */
  engines(): AsyncEngine[] {
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
  async connect(engine: AsyncEngine): Promise<AsyncConnection> {
    const joined = this.#joined.get(engine);
    if (joined !== undefined) {
      if (!joined.transaction.isActive) {
        joined.transaction = await joined.connection.begin(this.#options);
        await this.onBegin?.(joined.connection);
      }
      return joined.connection;
    }
    const connection = await engine.connect();
    try {
      this.#joined.set(engine, { connection, transaction: await connection.begin(this.#options) });
    } catch (error) {
      await connection.close();
      throw error;
    }
    await this.onBegin?.(connection);
    return connection;
  }

  /** COMMIT on each connection, in the order they joined. */
  async commit(): Promise<void> {
    for (const joined of this.#joined.values()) if (joined.transaction.isActive) await joined.transaction.commit();
  }

  /**
   * ROLLBACK on each connection; one that fails is invalidated (its state is unknown) and the
   * others are still rolled back. The first failure is rethrown.
   */
  async rollback(): Promise<void> {
    let failure: { error: unknown } | undefined;
    for (const joined of this.#joined.values()) {
      try {
        if (joined.transaction.isActive) await joined.transaction.rollback();
      } catch (error) {
        joined.connection.invalidate();
        failure ??= { error };
      }
    }
    if (failure !== undefined) throw failure.error;
  }

  /** ROLLBACK everywhere without throwing (see rollbackOrInvalidate). */
  async rollbackQuietly(): Promise<void> {
    for (const joined of this.#joined.values()) await rollbackOrInvalidate(joined.transaction, joined.connection);
  }

  /** Gives every connection back to its pool; the next use checks out anew. */
  async release(): Promise<void> {
    const joined = [...this.#joined.values()];
    this.#joined.clear();
    this.#options = undefined;
    for (const { connection } of joined) await connection.close();
  }
}
