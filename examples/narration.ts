/**
 * The narration of `npm start`'s acts: numbered steps, the SQL each one ran, errors shown with
 * their code. Shared by the AsyncSession act and the synchronous Session act.
 */

/** An engine of either kind: what the narration listens to. */
interface StatementSource {
  onStatement(listener: (sql: string, params: readonly unknown[]) => void): () => void;
}

export interface Narration {
  /** Starts a numbered step (and forgets the SQL of the one before). */
  step(title: string): void;
  /** Prints indented text. */
  say(text: string): void;
  /** Prints the SQL run since the last call (or says none was). */
  showSql(): void;
  /** Prints an error's name, code and message. */
  showError(error: unknown): void;
  /** Forgets the SQL run since the last call. */
  forgetSql(): void;
  /** Stops listening to `engine`'s statements and listens to another's, keeping the step count. */
  listenTo(engine: StatementSource): void;
}

export function narrate(engine: StatementSource): Narration {
  const statements: string[] = [];
  const record = (sql: string, params: readonly unknown[]) => statements.push(params.length > 0 ? `${sql}   -- ${JSON.stringify(params)}` : sql);
  let stop = engine.onStatement(record);
  let stepNumber = 0;
  const say = (text: string) => console.log(`   ${text.replace(/\n/g, "\n   ")}`);
  return {
    step(title) {
      statements.length = 0;
      console.log(`\n${"━".repeat(100)}\n${++stepNumber}. ${title}`);
    },
    say,
    showSql() {
      if (statements.length === 0) say("SQL: (none: no statement was sent to the database)");
      else for (const sql of statements) say(`SQL> ${sql}`);
      statements.length = 0;
    },
    showError(error) {
      const e = error as Error & { code?: string };
      say(`✗ ${e.name} (code ${e.code}):`);
      say(`  ${e.message.replace(/\n/g, "\n  ")}`);
    },
    forgetSql() {
      statements.length = 0;
    },
    listenTo(next) {
      stop();
      stop = next.onStatement(record);
    },
  };
}
