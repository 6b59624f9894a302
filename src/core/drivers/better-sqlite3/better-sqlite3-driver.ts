import { createRequire } from "node:module";
import type { Driver, DriverConnection, SyncDriver } from "../driver.ts";
import { type ClientLibrary, loadClientLibrary, loadClientLibrarySync } from "../load-client-library.ts";
import { translateDriverError } from "../translate-error.ts";
import type { SqliteDatabaseConstructor } from "./better-sqlite3-api.ts";
import { BetterSqlite3Connection } from "./better-sqlite3-connection.ts";
import { classifySqliteError } from "./classify-sqlite-error.ts";

const BETTER_SQLITE3: ClientLibrary = { database: "SQLite", packageName: "better-sqlite3" };

/**
 * The file to open, and any of better-sqlite3's `Database` options (`readonly`, `fileMustExist`,
 * `timeout`, `nativeBinding`…), passed to `new Database(filename, options)` as they are.
 */
export type BetterSqlite3DriverOptions = {
  /** A file path, or `":memory:"` for a private in-memory database per connection. */
  readonly filename: string;
} & Readonly<Record<string, unknown>>;

/**
 * SQLite through better-sqlite3. Each `connect()` opens its own `Database` on `filename` with
 * foreign keys enforced (`PRAGMA foreign_keys = ON`); with `":memory:"` every connection is a
 * separate, empty database, so pool such an engine with one connection.
 *
 * ```ts
 * const driver = new BetterSqlite3Driver({ filename: "app.db" });
 * const connection = await driver.connect();
 * await connection.execute("SELECT id, name FROM users WHERE id = ?", [1]);
 * // { columns: ["id", "name"], rows: [[1, "ada"]], rowsAffected: 0, lastInsertId: undefined }
 * ```
 */
export class BetterSqlite3Driver implements Driver, SyncDriver {
  readonly name = "better-sqlite3";
  readonly #filename: string;
  readonly #databaseOptions: Readonly<Record<string, unknown>>;

  constructor(options: BetterSqlite3DriverOptions) {
    const { filename, ...databaseOptions } = options;
    this.#filename = filename;
    this.#databaseOptions = databaseOptions;
  }

  async connect(): Promise<DriverConnection> {
    const { default: Database }: { default: SqliteDatabaseConstructor } = await loadClientLibrary(BETTER_SQLITE3, () => import("better-sqlite3"));
    return this.#open(Database);
  }

  /**
   * `connect()` for the synchronous engine (`createEngine`): better-sqlite3 is a CommonJS package,
   * so `require` loads it without a promise; a missing package is the same `MissingDriverError`.
   */
  connectSync(): BetterSqlite3Connection {
    const Database = loadClientLibrarySync(BETTER_SQLITE3, () => createRequire(import.meta.url)("better-sqlite3") as SqliteDatabaseConstructor);
    return this.#open(Database);
  }

  #open(Database: SqliteDatabaseConstructor): BetterSqlite3Connection {
    let db;
    try {
      db = new Database(this.#filename, this.#databaseOptions);
    } catch (error) {
      // No statement has run when opening fails; the file name stands in for it in the message.
      throw translateDriverError(error, `-- open ${this.#filename}`, [], classifySqliteError);
    }
    try {
      db.pragma("foreign_keys = ON");
    } catch (error) {
      db.close();
      throw translateDriverError(error, "PRAGMA foreign_keys = ON", [], classifySqliteError);
    }
    return new BetterSqlite3Connection(db);
  }

  /** Nothing is shared between connections; each closes its own database. */
  async close(): Promise<void> {}
}
