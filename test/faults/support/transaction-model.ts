import fc from "fast-check";

/** One step of a transaction sequence. */
export type Step = "begin" | "insert" | "flush" | "beginNested" | "releaseNested" | "rollbackNested" | "commit" | "rollback";

/**
 * Which rows must exist, as the database should see it: rows committed, and the rows written in
 * the open transaction, one frame per level (the root, then each savepoint).
 */
export class TransactionModel {
  readonly committed: number[] = [];
  readonly frames: number[][] = [];

  /** The steps allowed now; `flush` only where the system under test has one (the session). */
  allowed(withFlush: boolean): Step[] {
    if (this.frames.length === 0) return ["begin"];
    // Weighted towards writes and savepoints, so sequences nest a few levels before they end.
    const steps: Step[] = ["insert", "insert", "insert", "beginNested", "beginNested", "commit", "rollback"];
    if (withFlush) steps.push("flush");
    if (this.frames.length > 1) steps.push("releaseNested", "rollbackNested");
    return steps;
  }

  apply(step: Step, id: number): void {
    switch (step) {
      case "begin":
      case "beginNested":
        this.frames.push([]);
        return;
      case "insert":
        this.#top.push(id);
        return;
      case "flush":
        return;
      case "releaseNested": {
        const released = this.frames.pop() as number[];
        this.#top.push(...released);
        return;
      }
      case "rollbackNested":
        this.frames.pop();
        return;
      case "commit":
        this.committed.push(...this.frames.flat());
        this.frames.length = 0;
        return;
      case "rollback":
        this.frames.length = 0;
    }
  }

  /** Rows the open transaction sees. */
  get visible(): number[] {
    return [...this.committed, ...this.frames.flat()].sort((a, b) => a - b);
  }

  get depth(): number {
    return this.frames.length;
  }

  get #top(): number[] {
    return this.frames[this.frames.length - 1] as number[];
  }
}

/**
 * A sequence of choices: each picks one of the steps allowed at that point (modulo their number),
 * so every generated sequence is valid, and shrinking keeps it valid.
 */
export const choices = fc.array(fc.nat({ max: 1_000 }), { minLength: 1, maxLength: 40 });
