import { type CancelReason, QueryCanceledError } from "../../shared/errors.ts";

/**
 * How long a connection's next statement waits for a cancelled one to end on the server before
 * the connection is given up as lost. A cancel normally lands in milliseconds.
 */
const SETTLE_MS = 5_000;

/** `"timeout"` for a signal aborted with a `TimeoutError` (`AbortSignal.timeout`, `timeoutMs`), else `"aborted"`. */
function cancelReasonOf(signal: AbortSignal): CancelReason {
  return (signal.reason as { name?: unknown } | undefined)?.name === "TimeoutError" ? "timeout" : "aborted";
}

/** The error a statement cancelled by `signal` rejects with. */
export function queryCanceledError(signal: AbortSignal, sql: string, params: readonly unknown[]): QueryCanceledError {
  const reason = cancelReasonOf(signal);
  const message = reason === "timeout" ? "The statement ran out of time and was cancelled" : "The statement was cancelled by its AbortSignal";
  return new QueryCanceledError(message, { sql, params, cause: signal.reason }, undefined, reason);
}

/**
 * Cancellation of a statement running on a server, for drivers whose client library has no
 * cancel of its own. The caller's promise rejects as soon as the signal fires (not when the
 * server gets round to it); the server is asked to stop the statement; and the connection's next
 * statement first waits for the cancelled one, and for the cancel itself, to end. Waiting for the
 * cancel matters: one that lands after the statement finished would otherwise stop the next one.
 */
export class ServerCancellation {
  readonly #cancelOnServer: () => Promise<void>;
  #settling: Promise<boolean> | undefined;

  constructor(cancelOnServer: () => Promise<void>) {
    this.#cancelOnServer = cancelOnServer;
  }

  /** A cancelled statement has not been seen to end yet: call `settle()` before the next one. */
  get pending(): boolean {
    return this.#settling !== undefined;
  }

  /** Waits for the cancelled statement and its cancel to end; `false` when they did not in time. */
  async settle(): Promise<boolean> {
    const settling = this.#settling;
    if (settling === undefined) return true;
    const settled = await settling;
    if (this.#settling === settling) this.#settling = undefined;
    return settled;
  }

  /** Runs `statement` so that `signal` cancels it. */
  run<T>(signal: AbortSignal, sql: string, params: readonly unknown[], statement: () => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(queryCanceledError(signal, sql, params));
    const running = statement();
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        // A cancel that fails leaves the statement running: the wait below runs out and the connection is lost.
        const cancelled = this.#cancelOnServer().catch(() => {});
        this.#settling = within(Promise.allSettled([running, cancelled]), SETTLE_MS);
        reject(queryCanceledError(signal, sql, params));
      };
      signal.addEventListener("abort", onAbort, { once: true });
      running.then(
        (value) => {
          signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }
}

/** `true` once `promise` settles, `false` if `ms` pass first. */
function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
