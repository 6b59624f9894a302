import { InvalidRequestError, TimeoutError } from "../../shared/errors.ts";
import { text } from "../sql/text.ts";
import type { AsyncEngine } from "./async-engine.ts";

/** What `waitForReplay` takes. */
export interface WaitForReplayOptions {
  /** Give up after this many ms (default 5,000) with `TimeoutError`. */
  readonly timeoutMs?: number;
  /** Ms between two looks at the replica (default 2). */
  readonly pollMs?: number;
}

/**
 * Waits until a PostgreSQL streaming replica has replayed everything the primary had written when
 * this was called: call it after a commit, before reading that commit's rows on the replica.
 * Replication is asynchronous, so without it a read right after a commit may not see it. Returns
 * the primary's WAL position waited for and how long it took.
 *
 * ```ts
 * await session.commit();
 * await waitForReplay(primary, replica);
 * // on the primary:  SELECT pg_current_wal_lsn()::text AS lsn
 * // on the replica, until true:  SELECT pg_last_wal_replay_lsn() >= CAST($1 AS pg_lsn) AS replayed
 * ```
 */
export async function waitForReplay(primary: AsyncEngine, replica: AsyncEngine, options: WaitForReplayOptions = {}): Promise<{ lsn: string; waitedMs: number }> {
  for (const engine of [primary, replica]) {
    if (engine.dialect.name !== "postgresql") throw new InvalidRequestError(`waitForReplay() needs PostgreSQL engines; got ${engine.dialect.name}`);
  }
  const timeoutMs = options.timeoutMs ?? 5_000;
  const pollMs = options.pollMs ?? 2;
  const started = performance.now();
  const lsn = (await primary.execute(text("SELECT pg_current_wal_lsn()::text AS lsn"))).scalar() as string;
  const replayed = text("SELECT pg_last_wal_replay_lsn() >= CAST(:lsn AS pg_lsn) AS replayed");
  for (;;) {
    if ((await replica.execute(replayed, { lsn })).scalar() === true) return { lsn, waitedMs: performance.now() - started };
    if (performance.now() - started >= timeoutMs) {
      throw new TimeoutError(`The replica had not replayed the primary's WAL position ${lsn} after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
