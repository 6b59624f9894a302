import { runSync } from "../../shared/io.ts";
import { TransactionCore } from "./transaction-core.ts";

/**
 * A transaction on the synchronous `Connection` (better-sqlite3): the root (`BEGIN` … `COMMIT`) or
 * a savepoint (`SAVEPOINT sp_n` … `RELEASE SAVEPOINT sp_n`), with `Transaction`'s logic and SQL
 * (`TransactionCore`), returning when done instead of a promise. Disposing one that is still
 * active rolls it back, so `using tx = conn.begin()` never leaves a transaction open.
 *
 * ```ts
 * const tx = conn.beginNested();   // SAVEPOINT "sp_1"
 * tx.rollback();                   // ROLLBACK TO SAVEPOINT "sp_1"
 * ```
 */
export class SyncTransaction extends TransactionCore implements Disposable {
  /** COMMIT, or RELEASE SAVEPOINT for a nested transaction. */
  commit(): void {
    runSync(this.commitIo());
  }

  /** ROLLBACK, or ROLLBACK TO SAVEPOINT for a nested transaction. */
  rollback(): void {
    runSync(this.rollbackIo());
  }

  [Symbol.dispose](): void {
    if (this.isActive) this.rollback();
  }
}
