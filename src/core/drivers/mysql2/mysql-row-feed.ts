import type { MysqlField, MysqlQueryCommand } from "./mysql2-api.ts";

/**
 * Collects a streaming command's rows into batches, pausing the socket when a batch is full and
 * the consumer has not asked for it yet, so memory stays near one batch.
 */
export class MysqlRowFeed {
  columns: string[] = [];
  /** The result's column definitions (types for normalizing binary-protocol rows). */
  fields: MysqlField[] = [];
  #rows: unknown[][] = [];
  #ended = false;
  #error: Error | undefined;
  #discard = false;
  #paused = false;
  #wake: (() => void) | undefined;
  readonly #batchSize: number;
  readonly #flow: { pause(): void; resume(): void };

  constructor(command: MysqlQueryCommand, batchSize: number, flow: { pause(): void; resume(): void }) {
    this.#batchSize = batchSize;
    this.#flow = flow;
    let receivingRows = false;
    command
      .on("fields", (fields) => {
        // Statements without a result set emit 'fields' with nothing.
        if (!fields) return;
        receivingRows = true;
        this.fields = fields;
        this.columns = fields.map((field) => field.name);
      })
      .on("result", (row) => {
        // A statement that returns no result set reports its OK packet as a 'result' too.
        if (!receivingRows || this.#discard) return;
        this.#rows.push(row as unknown[]);
        if (this.#rows.length >= this.#batchSize) {
          this.#pause();
          this.#signal();
        }
      })
      .on("end", () => {
        this.#ended = true;
        this.#signal();
      })
      .on("error", (error) => {
        this.#error = error;
        this.#ended = true;
        this.#signal();
      });
  }

  /** The next batch, or `undefined` once the result is exhausted. */
  async next(): Promise<unknown[][] | undefined> {
    while (true) {
      if (this.#error) throw this.#error;
      if (this.#rows.length >= this.#batchSize || (this.#ended && this.#rows.length > 0)) {
        const rows = this.#rows;
        this.#rows = [];
        this.#resume();
        return rows;
      }
      if (this.#ended) return undefined;
      await this.#resumeAndWait();
    }
  }

  /**
   * Reads and drops whatever the server still sends, so the connection can run the next
   * statement; the MySQL protocol has no way to abandon a result set half read.
   */
  async drain(): Promise<void> {
    this.#discard = true;
    this.#rows = [];
    while (!this.#ended) await this.#resumeAndWait();
  }

  /**
   * Resumes the socket and waits for a full batch, the end or an error. The wake-up is armed
   * before resuming because mysql2 replays the packets it held while paused synchronously inside
   * `resume()`: the end of the result can arrive before `resume()` returns.
   */
  async #resumeAndWait(): Promise<void> {
    const progressed = new Promise<void>((resolve) => {
      this.#wake = resolve;
    });
    this.#resume();
    await progressed;
  }

  #pause(): void {
    if (this.#paused) return;
    this.#paused = true;
    this.#flow.pause();
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#flow.resume();
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
