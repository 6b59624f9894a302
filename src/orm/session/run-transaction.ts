import type { TransactionOptions } from "../../core/dialects/transaction-options.ts";
import { ArgumentError, DBAPIError } from "../../shared/errors.ts";
import { type Io, type MaybePromise, io, runAsync } from "../../shared/io.ts";

export interface RunTransactionOptions extends TransactionOptions {
  /** How many times to run the unit again after a serialization failure or deadlock (default 3). */
  readonly retries?: number;
  /** The wait before the first retry, in ms (default 10); it doubles with each retry, randomized ("full jitter"). */
  readonly backoffMs?: number;
  /** Called before each retry, with the retry's number (from 1) and the error that caused it. */
  readonly onRetry?: (retry: number, error: unknown) => void;
}

/** What runTransaction needs of a session. */
export interface TransactionalSession {
  begin<T>(work: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  rollback(): Promise<void>;
}

/**
 * Driver codes that say "the server rolled back this transaction so that another could go on;
 * running it again may succeed": PostgreSQL's serialization_failure and deadlock_detected,
 * MySQL/MariaDB's deadlock (1213), SQLite's busy database. Each is a definite answer from the
 * server, even when COMMIT raised it: the transaction did not commit.
 *
 * MySQL's lock wait timeout (1205, `ER_LOCK_WAIT_TIMEOUT`) is not here: it rolls back only the
 * statement (unless `innodb_rollback_on_timeout`), it comes after `innodb_lock_wait_timeout`
 * (50 s by default) and it usually means a long-held lock that retrying will wait for again.
 */
const RETRYABLE = new Set(["40001", "40P01", "ER_LOCK_DEADLOCK", "SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_BUSY_TIMEOUT"]);

/** Whether `error` is a serialization failure or deadlock that running the transaction again may get past. */
function isRetryableTransactionError(error: unknown): boolean {
  return error instanceof DBAPIError && error.driverCode !== undefined && RETRYABLE.has(error.driverCode);
}

/**
 * `session.runTransaction(fn, options)`: begins a transaction (with `isolationLevel` / `readOnly`),
 * runs `fn(session)`, flushes and commits. When the database answers with a serialization failure
 * or a deadlock, from any statement or from COMMIT, it rolls back, waits a little and runs the
 * whole unit again, up to `retries` times; then the last error is thrown. Any other error is
 * thrown at once. A COMMIT that fails any other way (the connection lost while committing) is
 * never retried: whether the transaction committed is unknown, and running it again could apply
 * it twice.
 *
 * ```ts
 * await session.runTransaction(async (s) => {
 *   const counter = await s.get(Counter, 1);        // BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT …
 *   counter!.value += 1;                            // UPDATE counters SET value = $1 WHERE id = $2; COMMIT
 * }, { isolationLevel: "SERIALIZABLE", retries: 5 });
 * ```
 */
export function runTransaction<S extends TransactionalSession, T>(
  session: S,
  fn: (session: S) => Promise<T>,
  options: RunTransactionOptions = {},
): Promise<T> {
  const { isolationLevel, readOnly } = options;
  return runAsync(
    retryTransaction(
      {
        attempt: () => io(session.begin(() => fn(session), { isolationLevel, readOnly })),
        rollback: () => io(session.rollback()),
        pause: sleep,
      },
      options,
    ),
  );
}

/** One transaction's unit as runTransaction retries it: run it (begun, committed), roll back after a failure, wait. */
export interface RetriedTransaction<T> {
  /** Begins the transaction, runs the unit, flushes and commits (`session.begin(work)`). */
  attempt(): Io<T>;
  /** Rolls back what a failed COMMIT left (begin() did not). */
  rollback(): Io<void>;
  /** Waits `ms` before the next attempt (a timer under the async runner). */
  pause(ms: number): MaybePromise<void>;
}

/** runTransaction's loop: the retries of serialization failures and deadlocks, with their backoff. */
export function* retryTransaction<T>(unit: RetriedTransaction<T>, options: RunTransactionOptions): Io<T> {
  const { retries = 3, backoffMs = 10, onRetry } = options;
  if (!Number.isInteger(retries) || retries < 0) throw new ArgumentError(`retries must be an integer ≥ 0 (got ${String(retries)})`);
  if (!Number.isFinite(backoffMs) || backoffMs < 0) throw new ArgumentError(`backoffMs must be a finite number ≥ 0 (got ${String(backoffMs)})`);
  for (let retry = 1; ; retry++) {
    try {
      return yield* unit.attempt();
    } catch (error) {
      if (retry > retries || !isRetryableTransactionError(error)) throw error;
      // A failure inside commit() leaves the session's transaction to roll back (begin() did not).
      yield* unit.rollback();
      onRetry?.(retry, error);
      yield* io(unit.pause(Math.random() * backoffMs * 2 ** (retry - 1)));
    }
  }
}

/** A timer: the pause between attempts under the async runner. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
