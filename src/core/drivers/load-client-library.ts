import { MissingDriverError } from "../../shared/errors.ts";

/** A client library a driver loads on demand, as named in the error when it is missing. */
export interface ClientLibrary {
  /** The database, for the message: "PostgreSQL", "MySQL / MariaDB", … */
  readonly database: string;
  /** The npm package: "pg", "@electric-sql/pglite", … */
  readonly packageName: string;
}

/**
 * Runs `load` (the driver's own `import("pg")`, kept literal so bundlers see it) and turns "the
 * package itself cannot be found" into `MissingDriverError`. Anything else, including a module
 * the installed package cannot find, is rethrown as it is: that is a broken install, not a
 * missing one, and its own message says more.
 *
 * ```ts
 * const pg = await loadClientLibrary({ database: "PostgreSQL", packageName: "pg" }, () => import("pg"));
 * // MissingDriverError: The PostgreSQL driver "pg" is not installed. Install it with: npm install pg
 * ```
 */
export async function loadClientLibrary<T>(library: ClientLibrary, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw missingDriverErrorOr(error, library);
  }
}

/**
 * `loadClientLibrary` for the synchronous engine, which cannot await an `import()`: `load` is the
 * driver's own `require("better-sqlite3")` (through `createRequire`), with the same error.
 */
export function loadClientLibrarySync<T>(library: ClientLibrary, load: () => T): T {
  try {
    return load();
  } catch (error) {
    throw missingDriverErrorOr(error, library);
  }
}

/** `MissingDriverError` when `error` says the package itself is not installed; `error` otherwise. */
function missingDriverErrorOr(error: unknown, library: ClientLibrary): unknown {
  if (!isPackageNotFound(error, library.packageName)) return error;
  const { database, packageName } = library;
  return new MissingDriverError(
    `The ${database} driver "${packageName}" is not installed. Install it with: npm install ${packageName}`,
    packageName,
    { cause: error },
  );
}

/**
 * Node's resolver failing on the package name itself: `Cannot find package 'pg' imported from …`
 * (ESM, also for a subpath such as `mysql2/promise`) or `Cannot find module 'pg'` (CommonJS).
 * A missing file inside the package names a path, and a missing dependency of the package names
 * that dependency, so neither matches.
 */
function isPackageNotFound(error: unknown, packageName: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec((error as Error).message)?.[1];
  return missing === packageName || missing?.startsWith(`${packageName}/`) === true;
}
