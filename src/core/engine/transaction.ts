import { InvalidRequestError } from "../../shared/errors.ts";

/** What a transaction object needs from its connection. */
export interface TransactionHost {
  /** @internal `rollback`: a ROLLBACK (TO SAVEPOINT), which a lost connection treats as done. */
  runTransactionControl(sql: string, options?: { rollback?: boolean }): Promise<void>;
  /** @internal */ transactionEnded(transaction: Transaction): void;
  /**
   * @internal The transaction is about to commit or roll back: the connection's `commit` /
   * `rollback` events, or for a savepoint (`savepoint` its name) `releaseSavepoint` / `rollbackSavepoint`.
   */
  transactionEnding?(kind: "commit" | "rollback", savepoint?: string): void;
}

/**
 * A transaction on a connection: the root (`BEGIN` … `COMMIT`) or a savepoint (`SAVEPOINT sp_n`
 * … `RELEASE SAVEPOINT sp_n`). Disposing one that is still active rolls it back, so
 * `await using tx = await conn.begin()` never leaves a transaction open.
 *
 * ```ts
 * const tx = await conn.beginNested();   // SAVEPOINT "sp_1"
 * await tx.rollback();                   // ROLLBACK TO SAVEPOINT "sp_1"
 * ```
 */
export class Transaction implements AsyncDisposable {
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

  /** COMMIT, or RELEASE SAVEPOINT for a nested transaction. */
  async commit(): Promise<void> {
    this.#requireActive("commit");
    this.#host.transactionEnding?.("commit", this.savepoint);
    await this.#host.runTransactionControl(this.savepoint ? `RELEASE SAVEPOINT ${this.#quotedName}` : "COMMIT");
    this.#end();
  }

  /** ROLLBACK, or ROLLBACK TO SAVEPOINT for a nested transaction. */
  async rollback(): Promise<void> {
    if (!this.#active) return;
    this.#host.transactionEnding?.("rollback", this.savepoint);
    try {
      await this.#host.runTransactionControl(this.savepoint ? `ROLLBACK TO SAVEPOINT ${this.#quotedName}` : "ROLLBACK", { rollback: true });
    } finally {
      this.#end();
    }
  }

  /** @internal Marks the transaction over without SQL (its parent ended it). */
  deactivate(): void {
    this.#active = false;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#active) await this.rollback();
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
