import { ArgumentError } from "../../shared/errors.ts";

/**
 * Per-call options of `execute()` (SQLAlchemy passes these as `execution_options`). Either one
 * cancels the statement on the server when it fires and rejects the call with
 * `QueryCanceledError` (`reason: "aborted"` or `"timeout"`).
 *
 * ```ts
 * await conn.execute(select(report), undefined, { timeoutMs: 2_000 });
 * await conn.execute(select(report), undefined, { signal: request.signal });
 * ```
 */
export interface StatementOptions {
  /** Cancels the statement when it aborts. A signal aborted with a `TimeoutError` reason (`AbortSignal.timeout(ms)`) reports `"timeout"`. */
  readonly signal?: AbortSignal | undefined;
  /** Cancels the statement after this many ms. */
  readonly timeoutMs?: number | undefined;
}

/** The one signal that carries both options, or `undefined` when neither is given (the fast path). */
export function cancellationSignal(options: StatementOptions | undefined): AbortSignal | undefined {
  if (options === undefined) return undefined;
  const { signal, timeoutMs } = options;
  if (timeoutMs === undefined) return signal;
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new ArgumentError(`timeoutMs must be a finite number of ms ≥ 0 (got ${String(timeoutMs)})`);
  }
  // AbortSignal.timeout aborts with a DOMException named "TimeoutError": the drivers report it as "timeout".
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
}
