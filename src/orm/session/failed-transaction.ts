import type { TransactionCore } from "../../core/engine/transaction-core.ts";
import { PendingRollbackError } from "../../shared/errors.ts";
import { type Io, io } from "../../shared/io.ts";
import type { SessionConnection } from "./session-connections.ts";

/** A flush or COMMIT that failed: the session refuses work until `rollback()` (SQLAlchemy's 7s2a). */
export interface FailedTransaction {
  readonly error: unknown;
  readonly during: "flush" | "commit";
}

/** What every call but `rollback()` / `close()` raises after a failed flush or COMMIT. */
export function pendingRollbackError({ error, during }: FailedTransaction): PendingRollbackError {
  return new PendingRollbackError(
    `This Session's transaction has been rolled back due to a previous exception during ${during}. To begin a new ` +
      `transaction with this Session, first issue Session.rollback(). Original exception was: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
}

/**
 * Rolls back without throwing, for a failed flush or COMMIT (whose caller must see that failure
 * and nothing else; SQLAlchemy re-raises the original error there) and for close(). On a
 * connection a disconnect invalidated, the ROLLBACK sends nothing; a ROLLBACK that fails anyway
 * invalidates the connection, so the pool discards it rather than hand out its unknown state.
 */
export function* rollbackOrInvalidate(transaction: TransactionCore | undefined, connection: SessionConnection | undefined): Io<void> {
  try {
    if (transaction?.isActive) yield* transaction.rollbackIo();
  } catch {
    connection?.invalidate();
  }
}
