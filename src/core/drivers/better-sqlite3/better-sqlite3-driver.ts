import type { Driver, DriverConnection } from "../driver.ts";
import { loadClientLibrary } from "../load-client-library.ts";
import { translateDriverError } from "../translate-error.ts";
import type { SqliteDatabaseConstructor } from "./better-sqlite3-api.ts";
import { BetterSqlite3Connection } from "./better-sqlite3-connection.ts";
import { classifySqliteError } from "./classify-sqlite-error.ts";

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
export class BetterSqlite3Driver implements Driver {
  readonly name = "better-sqlite3";
  readonly #filename: string;
  readonly #databaseOptions: Readonly<Record<string, unknown>>;

  constructor(options: BetterSqlite3DriverOptions) {
    const { filename, ...databaseOptions } = options;
    this.#filename = filename;
    this.#databaseOptions = databaseOptions;
  }

  async connect(): Promise<DriverConnection> {
    const { default: Database }: { default: SqliteDatabaseConstructor } = await loadClientLibrary(
      { database: "SQLite", packageName: "better-sqlite3" },
      () => import("better-sqlite3"),
    );
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
