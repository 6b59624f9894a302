import { describeParams } from "../../shared/describe-params.ts";
import type { StatementEndListener, StatementEvent } from "./statement-event.ts";

export type LogLevel = "debug" | "info" | "warn" | "error";

/**
 * One logging method. Each entry is one string, which `console` (`(message, ...args)`) and pino
 * (`(msg)` as well as `(obj, msg)`) both take as it is.
 */
export type LogMethod = (message: string) => void;

/**
 * Where the engine's log goes: `console`, a pino (or winston, bunyan) logger, a plain object of
 * methods (a level without a method is not logged), or one function of the message and level.
 *
 * ```ts
 * createAsyncEngine(url, { echo: true, logger: pino() });
 * createAsyncEngine(url, { echo: "debug", logger: (message, level) => lines.push(`${level}: ${message}`) });
 * ```
 */
export type Logger =
  | {
      readonly debug?: LogMethod;
      readonly info?: LogMethod;
      readonly warn?: LogMethod;
      readonly error?: LogMethod;
      /** pino's: when present and false for a level, nothing is formatted for it. */
      readonly isLevelEnabled?: (level: LogLevel) => boolean;
    }
  | ((message: string, level: LogLevel) => void);

/**
 * The listener behind `echo`: each statement at info (SQL, then `[1.23 ms] [parameters: […]]`),
 * its result at debug (`echo: "debug"`: `3 rows (id, name)`, `1 row affected`), a failure at error
 * with its SQL. SQLAlchemy's engine log, with the execution time in place of `[generated in …]`.
 */
export function statementLogger(logger: Logger, level: "info" | "debug"): StatementEndListener {
  const log = (at: LogLevel, message: () => string): void => {
    if (typeof logger === "function") {
      logger(message(), at);
      return;
    }
    const method = logger[at];
    if (method === undefined || logger.isLevelEnabled?.(at) === false) return;
    method.call(logger, message());
  };
  return (event) => {
    if (event.error !== undefined) {
      log("error", () => `${event.sql}\n[failed after ${duration(event)}]${parameters(event)}\n${errorMessage(event.error)}`);
      return;
    }
    log("info", () => `${event.sql}\n[${duration(event)}]${parameters(event)}`);
    if (level === "debug" && (event.columns?.length || event.rowsAffected)) log("debug", () => resultSummary(event));
  };
}

function duration(event: StatementEvent): string {
  const ms = event.durationMs;
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
}

function parameters(event: StatementEvent): string {
  return event.params.length > 0 ? ` [parameters: ${describeParams(event.params)}]` : "";
}

function resultSummary(event: StatementEvent): string {
  const rows = event.rowCount ?? 0;
  if (event.columns !== undefined && event.columns.length > 0) {
    return `${rows} ${rows === 1 ? "row" : "rows"} (${event.columns.join(", ")})`;
  }
  const affected = event.rowsAffected ?? 0;
  return `${affected} ${affected === 1 ? "row" : "rows"} affected`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
