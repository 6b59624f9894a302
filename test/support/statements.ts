import type { StatementListener } from "../../src/index.ts";

/** An engine of either kind (`AsyncEngine`, the synchronous `Engine`): what the recorder listens to. */
export interface StatementSource {
  onStatement(listener: StatementListener): () => void;
}

/** One statement the engine ran. */
export interface RanStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/**
 * Records the statements an engine runs, for loader and flush tests that assert how many ran and
 * what they look like. Transaction control (BEGIN/COMMIT/ROLLBACK/SAVEPOINT) is kept separately
 * so counts are about the work itself.
 */
export class StatementRecorder {
  readonly all: RanStatement[] = [];
  readonly #stop: () => void;

  constructor(engine: StatementSource) {
    this.#stop = engine.onStatement((sql, params) => this.all.push({ sql, params: [...params] }));
  }

  /** Statements other than transaction control, in order. */
  get statements(): RanStatement[] {
    return this.all.filter((s) => !/^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT|START TRANSACTION)\b/i.test(s.sql));
  }

  /** The SQL of `statements`. */
  get sql(): string[] {
    return this.statements.map((s) => s.sql);
  }

  clear(): void {
    this.all.length = 0;
  }

  stop(): void {
    this.#stop();
  }

  /** Runs synchronous `work` (the synchronous Session) and returns what it ran (besides transaction control). */
  duringSync<T>(work: () => T): { value: T; statements: RanStatement[] } {
    this.clear();
    const value = work();
    return { value, statements: this.statements };
  }

  /** Runs `work` and returns what it ran (besides transaction control). */
  async during<T>(work: () => Promise<T>): Promise<{ value: T; statements: RanStatement[] }> {
    this.clear();
    const value = await work();
    return { value, statements: this.statements };
  }
}
