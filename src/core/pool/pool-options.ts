import { withoutUndefined } from "../../shared/without-undefined.ts";
import { ArgumentError } from "../../shared/errors.ts";

/**
 * What the pool does to a connection given back to it (SQLAlchemy's `reset_on_return`):
 * - `"rollback"`: ROLLBACK when the connection comes back with a transaction open;
 * - `"full"`: the driver's session reset on every return where it has one (PostgreSQL: ROLLBACK,
 *   RESET ALL, SET SESSION AUTHORIZATION DEFAULT, CLOSE ALL, UNLISTEN *, advisory locks released,
 *   DISCARD TEMP and SEQUENCES; MySQL/MariaDB: COM_RESET_CONNECTION), so a `SET` does not reach the
 *   next user; `"rollback"` where the driver has none (SQLite, PGlite);
 * - `null`: nothing; a connection given back with a transaction open is closed, not pooled.
 */
export type ResetOnReturn = "rollback" | "full" | null;

export interface PoolOptions {
  /** Connections kept open in the pool (SQLAlchemy's `pool_size`). */
  readonly size: number;
  /** Connections opened beyond `size` when every one is checked out, closed again on return. */
  readonly maxOverflow: number;
  /** How long `acquire()` waits for a connection before failing with `TimeoutError`, in ms. */
  readonly timeoutMs: number;
  /** A connection older than this (ms) is closed and replaced at checkout; `null`: never. */
  readonly recycleMs: number | null;
  /** Ping an idle connection before handing it out (SQLAlchemy's `pool_pre_ping`). */
  readonly prePing: boolean;
  /** Hand out the most recently returned idle connection first (default: the oldest, FIFO). */
  readonly useLifo: boolean;
  readonly resetOnReturn: ResetOnReturn;
  /** How many times to retry opening a connection the server refused. */
  readonly connectRetries: number;
  /** The wait before the first retry, in ms; it doubles with each retry. */
  readonly connectRetryDelayMs: number;
}

/** SQLAlchemy's QueuePool defaults, with times in ms. */
const DEFAULT_POOL_OPTIONS: PoolOptions = {
  size: 5,
  maxOverflow: 10,
  timeoutMs: 30_000,
  recycleMs: null,
  prePing: false,
  useLifo: false,
  resetOnReturn: "rollback",
  connectRetries: 0,
  connectRetryDelayMs: 100,
};

/** Fills in defaults and rejects values that cannot work, naming the option. */
export function resolvePoolOptions(given: PoolOptionsInput): PoolOptions {
  const options: PoolOptions = { ...DEFAULT_POOL_OPTIONS, ...withoutUndefined(given) };
  requireInteger("poolSize", options.size, 1);
  requireInteger("maxOverflow", options.maxOverflow, 0);
  requireNumber("poolTimeout", options.timeoutMs, 0);
  if (options.recycleMs !== null) requireNumber("poolRecycle", options.recycleMs, Number.MIN_VALUE);
  requireInteger("connectRetries", options.connectRetries, 0);
  requireNumber("connectRetryDelayMs", options.connectRetryDelayMs, 0);
  if (options.resetOnReturn !== null && options.resetOnReturn !== "rollback" && options.resetOnReturn !== "full") {
    throw new ArgumentError(`poolResetOnReturn must be "rollback", "full" or null (got ${JSON.stringify(options.resetOnReturn)})`);
  }
  return options;
}

/** Options as callers pass them: any may be left out or `undefined` (the default). */
export type PoolOptionsInput = { readonly [K in keyof PoolOptions]?: PoolOptions[K] | undefined };

function requireInteger(name: string, value: unknown, min: number): void {
  if (!Number.isInteger(value) || (value as number) < min) {
    throw new ArgumentError(`${name} must be an integer ≥ ${min} (got ${String(value)})`);
  }
}

function requireNumber(name: string, value: unknown, min: number): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new ArgumentError(`${name} must be a finite number of ms ${min > 0 ? "> 0" : "≥ 0"} (got ${String(value)})`);
  }
}
