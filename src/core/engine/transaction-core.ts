import { InvalidRequestError } from "../../shared/errors.ts";
import type { Io } from "../../shared/io.ts";

/** What a transaction object needs from its connection. */
export interface TransactionHost {
  /** @internal `rollback`: a ROLLBACK (TO SAVEPOINT), which a lost connection treats as done. */
  runTransactionControlIo(sql: string, options?: { rollback?: boolean }): Io<void>;
  /** @internal */ transactionEnded(transaction: TransactionCore): void;
  /**
   * @internal The transaction is about to commit or roll back: the connection's `commit` /
   * `rollback` events, or for a savepoint (`savepoint` its name) `releaseSavepoint` / `rollbackSavepoint`.
   */
  transactionEnding?(kind: "commit" | "rollback", savepoint?: string): void;
}

/**
 * A transaction on a connection, written once for both APIs: the root (`BEGIN` … `COMMIT`) or a
 * savepoint (`SAVEPOINT sp_n` … `RELEASE SAVEPOINT sp_n`). `Transaction` (of `AsyncConnection`)
 * and `SyncTransaction` (of the synchronous `Connection`) run its `Io` methods with `runAsync` /
 * `runSync`.
 */
export abstract class TransactionCore {
  readonly #host: TransactionHost;
  /** The savepoint's name, or `undefined` for the root transaction. */
  readonly savepoint: string | undefined;
  readonly #quotedName: string;
  #active = true;

  constructor(host: TransactionHost, savepoint: string | undefined, quotedName: string) {
    this.#host = host;
    this.savepoint = savepoint;
    this.#quotedName = quotedName;
  }

  get isActive(): boolean {
    return this.#active;
  }

  get isNested(): boolean {
    return this.savepoint !== undefined;
  }

  /** @internal COMMIT, or RELEASE SAVEPOINT for a nested transaction. */
  *commitIo(): Io<void> {
    this.#requireActive("commit");
    this.#host.transactionEnding?.("commit", this.savepoint);
    yield* this.#host.runTransactionControlIo(this.savepoint ? `RELEASE SAVEPOINT ${this.#quotedName}` : "COMMIT");
    this.#end();
  }

  /** @internal ROLLBACK, or ROLLBACK TO SAVEPOINT for a nested transaction; nothing once it has ended. */
  *rollbackIo(): Io<void> {
    if (!this.#active) return;
    this.#host.transactionEnding?.("rollback", this.savepoint);
    try {
      yield* this.#host.runTransactionControlIo(this.savepoint ? `ROLLBACK TO SAVEPOINT ${this.#quotedName}` : "ROLLBACK", { rollback: true });
    } finally {
      this.#end();
    }
  }

  /** @internal Marks the transaction over without SQL (its parent ended it). */
  deactivate(): void {
    this.#active = false;
  }

  #end(): void {
    this.#active = false;
    this.#host.transactionEnded(this);
  }

  #requireActive(action: string): void {
    if (!this.#active) {
      throw new InvalidRequestError(`Cannot ${action}: this ${this.savepoint ? "savepoint" : "transaction"} is no longer active`);
    }
  }
}
