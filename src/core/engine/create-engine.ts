import { ArgumentError } from "../../shared/errors.ts";
import { BetterSqlite3Driver } from "../drivers/better-sqlite3/better-sqlite3-driver.ts";
import { redact, resolveUrl } from "./create-async-engine.ts";
import { Engine, type SyncEngineOptions } from "./engine.ts";

/**
 * Creates the synchronous engine from a SQLite URL (`sqlite://:memory:`, `sqlite:///relative.db`,
 * `sqlite:////abs/path.db`, also `sqlite+better-sqlite3://`), as `createAsyncEngine` reads it.
 * better-sqlite3 is the only synchronous driver: any other URL is an `ArgumentError` that points
 * to `createAsyncEngine`. better-sqlite3 loads when the first connection opens
 * (`MissingDriverError` when it is not installed).
 *
 * ```ts
 * const engine = createEngine("sqlite:///app.db", { echo: true });
 * createEngine("postgresql://app@db/shop");
 * // ArgumentError: createEngine() is the synchronous engine, for SQLite through better-sqlite3 only; … use createAsyncEngine(url)
 * ```
 */
export function createEngine(url: string, options: SyncEngineOptions = {}): Engine {
  const { dialect, driver } = resolveUrl(url, options.connectArgs ?? {}, {});
  if (!(driver instanceof BetterSqlite3Driver)) {
    throw new ArgumentError(
      `createEngine() is the synchronous engine, for SQLite through better-sqlite3 only; "${redact(url)}" uses the ${driver.name} driver, ` +
        "which is asynchronous: use createAsyncEngine(url) (and AsyncSession) for it",
    );
  }
  return new Engine(url, dialect, driver, options);
}
