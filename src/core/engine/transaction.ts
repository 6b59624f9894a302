import { runAsync } from "../../shared/io.ts";
import { TransactionCore } from "./transaction-core.ts";

export type { TransactionHost } from "./transaction-core.ts";

/**
 * A transaction on an `AsyncConnection`: the root (`BEGIN` … `COMMIT`) or a savepoint
 * (`SAVEPOINT sp_n` … `RELEASE SAVEPOINT sp_n`). Disposing one that is still active rolls it back,
 * so `await using tx = await conn.begin()` never leaves a transaction open. (The synchronous
 * `Connection`'s is `SyncTransaction`; both run `TransactionCore`.)
 *
 * ```ts
 * const tx = await conn.beginNested();   // SAVEPOINT "sp_1"
 * await tx.rollback();                   // ROLLBACK TO SAVEPOINT "sp_1"
 * ```
 */
export class Transaction extends TransactionCore implements AsyncDisposable {
  /** COMMIT, or RELEASE SAVEPOINT for a nested transaction. */
  commit(): Promise<void> {
    return runAsync(this.commitIo());
  }

  /** ROLLBACK, or ROLLBACK TO SAVEPOINT for a nested transaction. */
  rollback(): Promise<void> {
    return runAsync(this.rollbackIo());
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.isActive) await this.rollback();
  }
}
