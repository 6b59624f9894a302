import type { StreamChunk } from "../drivers/driver.ts";
import { rowsFrom } from "./prepared-statement.ts";

type Plan = Parameters<typeof rowsFrom>[1];

/**
 * Rows delivered as the driver reads them (`conn.stream(stmt)`); iterate once with
 * `for await`. The connection stays busy until the iteration ends or is abandoned.
 *
 * ```ts
 * for await (const row of await conn.stream(select(posts))) handle(row);
 * ```
 */
export class StreamingResult<R> implements AsyncIterable<R> {
  readonly #chunks: AsyncIterable<StreamChunk>;
  readonly #plan: Plan;
  readonly #setBusy: (busy: boolean) => void;
  #consumed = false;

  constructor(chunks: AsyncIterable<StreamChunk>, plan: Plan, setBusy: (busy: boolean) => void) {
    this.#chunks = chunks;
    this.#plan = plan;
    this.#setBusy = setBusy;
  }

  /** Rows in batches of whatever size the driver delivers (SQLAlchemy's `partitions()`). */
  async *partitions(): AsyncGenerator<R[]> {
    if (this.#consumed) throw new Error("This streaming result was already consumed");
    this.#consumed = true;
    this.#setBusy(true);
    try {
      let plan = this.#plan;
      for await (const chunk of this.#chunks) {
        if (chunk.kind === "columns") {
          if (plan.keys.length === 0) plan = { ...plan, keys: chunk.columns, resultProcessors: [] };
          continue;
        }
        yield rowsFrom<R>(chunk, plan);
      }
    } finally {
      this.#setBusy(false);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<R> {
    for await (const batch of this.partitions()) yield* batch;
  }

  /** Every row (buffers them all: for small results and tests). */
  async all(): Promise<R[]> {
    const rows: R[] = [];
    for await (const row of this) rows.push(row);
    return rows;
  }
}
