import type { Driver, DriverConnection } from "../driver.ts";
import { loadClientLibrary } from "../load-client-library.ts";
import { classifySqlstate } from "../sqlstate-classifier.ts";
import { translateDriverError } from "../translate-error.ts";
import type { PgClient, PgClientConstructor, PgQueryConstructor, PgTypes } from "./pg-api.ts";
import { PgConnection, type PgPreparedStatements } from "./pg-connection.ts";
import { textRowsQuery } from "./text-rows-query.ts";

/**
 * `{ connectionString }` or any other `pg.ClientConfig` (host, port, user, ssl…), passed to
 * `new pg.Client` as is. Leave out `types` (ignored: values always come back as text) and
 * `pipeline` (streams need the connection to themselves).
 */
export type PgDriverOptions = { readonly connectionString: string } | Readonly<Record<string, unknown>>;

/** What tsalchemy itself does with each connection, apart from `pg.Client`'s own settings. */
export interface PgDriverSettings {
  /** `"named"` (default) or `"unnamed"`, required behind a transaction-mode pooler; see `PgPreparedStatements`. */
  readonly preparedStatements?: PgPreparedStatements;
}

/**
 * PostgreSQL through node-postgres. Each `connect()` opens one `pg.Client`; pooling is the
 * engine's job, so `pg.Pool` is not used. Rows are arrays of the server's text (or null).
 *
 * ```ts
 * const driver = new PgDriver({ connectionString: "postgresql://postgres@127.0.0.1:5432/test" });
 * const connection = await driver.connect();
 * await connection.execute("SELECT id, active FROM users WHERE id = $1", [1]);
 * // { columns: ["id", "active"], rows: [["1", "t"]], rowsAffected: 0, lastInsertId: undefined }
 * ```
 */
export class PgDriver implements Driver {
  readonly name = "pg";
  readonly #options: PgDriverOptions;
  readonly #preparedStatements: PgPreparedStatements;

  constructor(options: PgDriverOptions, settings: PgDriverSettings = {}) {
    this.#options = options;
    this.#preparedStatements = settings.preparedStatements ?? "named";
  }

  async connect(): Promise<DriverConnection> {
    const { default: pg }: { default: { Client: PgClientConstructor; Query: unknown; types: PgTypes } } = await loadClientLibrary(
      { database: "PostgreSQL", packageName: "pg" },
      () => import("pg"),
    );
    const client: PgClient = new pg.Client(this.#options);
    // Until PgConnection takes over, a socket error around the handshake must not go unhandled;
    // connect() itself reports the failure.
    const ignore = () => {};
    client.on("error", ignore);
    try {
      await client.connect();
    } catch (error) {
      throw translateDriverError(error, "-- connect", [], classifySqlstate);
    }
    const connection = new PgConnection(client, pg.types, this.#preparedStatements, textRowsQuery(pg.Query as PgQueryConstructor));
    client.removeListener("error", ignore);
    return connection;
  }

  /** Nothing is shared between connections. */
  async close(): Promise<void> {}
}
