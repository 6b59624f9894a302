import { describe, expect, it } from "vitest";
import { OperationalError, ProgrammingError } from "../../../src/index.ts";
import { runTransaction } from "../../../src/orm/session/run-transaction.ts";

/** A session whose begin(work) runs work, then fails with the next scripted error (or commits). */
function scriptedSession(failures: (Error | undefined)[]) {
  const calls = { begins: 0, rollbacks: 0, options: [] as unknown[] };
  return {
    calls,
    async begin<T>(work: () => Promise<T>, options?: unknown): Promise<T> {
      calls.begins++;
      calls.options.push(options);
      const value = await work();
      const failure = failures.shift();
      if (failure) throw failure;
      return value;
    },
    async rollback(): Promise<void> {
      calls.rollbacks++;
    },
  };
}

const details = (sql: string) => ({ sql, params: [], cause: undefined });

describe("runTransaction", () => {
  it("retries a serialization failure or deadlock, even one raised by COMMIT, with the transaction options each time", async () => {
    const session = scriptedSession([
      new OperationalError("could not serialize access", details("UPDATE counters SET value = $1"), "40001"),
      new OperationalError("could not serialize access", details("COMMIT"), "40001"),
      new OperationalError("Deadlock found", details("UPDATE counters SET value = ?"), "ER_LOCK_DEADLOCK"),
    ]);
    const retries: number[] = [];
    const value = await runTransaction(session, async () => "done", {
      isolationLevel: "SERIALIZABLE",
      backoffMs: 0,
      onRetry: (n) => retries.push(n),
    });
    expect(value).toBe("done");
    expect(session.calls.begins).toBe(4);
    expect(session.calls.rollbacks).toBe(3);
    expect(retries).toEqual([1, 2, 3]);
    expect(session.calls.options[0]).toEqual({ isolationLevel: "SERIALIZABLE", readOnly: undefined });
  });

  it("never retries a COMMIT that failed otherwise (the connection lost: the outcome is unknown)", async () => {
    const lost = new OperationalError("Connection terminated unexpectedly", details("COMMIT"), undefined);
    const session = scriptedSession([lost]);
    await expect(runTransaction(session, async () => 1, { backoffMs: 0 })).rejects.toBe(lost);
    expect(session.calls.begins).toBe(1);
    expect(session.calls.rollbacks).toBe(0);
  });

  it("does not retry other errors, nor MySQL's lock wait timeout; gives up after `retries` with the last error", async () => {
    const syntax = new ProgrammingError("syntax error", details("SELEC 1"), "42601");
    await expect(runTransaction(scriptedSession([syntax]), async () => 1)).rejects.toBe(syntax);
    const lockWait = new OperationalError("Lock wait timeout exceeded", details("UPDATE t SET v = ?"), "ER_LOCK_WAIT_TIMEOUT");
    await expect(runTransaction(scriptedSession([lockWait]), async () => 1)).rejects.toBe(lockWait);
    const busy = () => new OperationalError("database is locked", details("UPDATE t SET v = ?"), "SQLITE_BUSY");
    const last = busy();
    const session = scriptedSession([busy(), busy(), last]);
    await expect(runTransaction(session, async () => 1, { retries: 2, backoffMs: 0 })).rejects.toBe(last);
    expect(session.calls.begins).toBe(3);
  });
});
