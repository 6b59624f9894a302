import { MissingDriverError } from "../../../shared/errors.ts";
import type { Driver, DriverConnection } from "../driver.ts";
import { loadClientLibrary } from "../load-client-library.ts";
import { classifySqlstate } from "../sqlstate-classifier.ts";
import { translateDriverError } from "../translate-error.ts";
import type { PgliteInstance, PgliteModule } from "./pglite-api.ts";
import { PgliteConnection } from "./pglite-connection.ts";
import { keepNativeParsers } from "./pglite-native-parsers.ts";

/** Where the database lives, and any other PGlite options (`database`, `username`, …) as they are. */
export type PgliteDriverOptions = {
  /** Where the database lives on disk; left out, it lives in memory and ends with `close()`. */
  readonly dataDir?: string | undefined;
} & Readonly<Record<string, unknown>>;

/**
 * PostgreSQL compiled to WebAssembly (PGlite), in process. The driver starts one instance on the
 * first `connect()` (this takes seconds) and every connection is a handle on it, so give the
 * engine a pool of one. Values come back as the server's text, the same as from `PgDriver`.
 *
 * ```ts
 * const driver = new PgliteDriver();
 * const connection = await driver.connect();
 * await connection.execute("SELECT 1::int, true, '\\x0102'::bytea", []);
 * // { columns: ["int4", "bool", "bytea"], rows: [["1", "t", "\\x0102"]], rowsAffected: 0, … }
 * ```
 */
export class PgliteDriver implements Driver {
  readonly name = "pglite";
  readonly #options: PgliteDriverOptions;
  #instance: Promise<PgliteInstance> | undefined;

  constructor(options: PgliteDriverOptions = {}) {
    this.#options = options;
  }

  async connect(): Promise<DriverConnection> {
    this.#instance ??= this.#start();
    try {
      return new PgliteConnection(await this.#instance);
    } catch (error) {
      // A failed start is not cached: the next connect() tries again.
      this.#instance = undefined;
      if (error instanceof MissingDriverError) throw error;
      throw translateDriverError(error, "-- start PGlite", [], classifySqlstate);
    }
  }

  /** Closes the instance, which ends every handle on it; safe to call twice. */
  async close(): Promise<void> {
    const instance = this.#instance;
    this.#instance = undefined;
    if (!instance) return;
    const db = await instance.catch(() => undefined);
    if (db && !db.closed) await db.close();
  }

  async #start(): Promise<PgliteInstance> {
    const { PGlite, types }: PgliteModule = await loadClientLibrary(
      { database: "PostgreSQL (PGlite)", packageName: "@electric-sql/pglite" },
      () => import("@electric-sql/pglite"),
    );
    const db = new PGlite(this.#options);
    await db.waitReady;
    keepNativeParsers(db);
    makeTextOnly(db, types);
    return db;
  }
}

/**
 * Turns every parser and serializer of the instance (built-in types and the array types PGlite
 * registered at start) into the identity, so results are the server's text and parameters go as
 * the text we made them. Doing it once on the instance rather than per query matters: PGlite
 * merges per-query `parsers` into a fresh object on every call, which doubles a query's cost.
 */
function makeTextOnly(db: PgliteInstance, types: PgliteModule["types"]): void {
  const asText = (value: string) => value;
  for (const oid of new Set([...Object.keys(types.parsers), ...Object.keys(db.parsers)])) db.parsers[oid] = asText;
  for (const oid of new Set([...Object.keys(types.serializers), ...Object.keys(db.serializers)])) {
    db.serializers[oid] = asText as (value: unknown) => string;
  }
}
