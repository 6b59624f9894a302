import type { Driver, DriverConnection } from "../driver.ts";
import { loadClientLibrary } from "../load-client-library.ts";
import { translateDriverError } from "../translate-error.ts";
import type { Mysql2PromiseModule, MysqlPromiseConnection } from "./mysql2-api.ts";
import { classifyMysqlError } from "./classify-mysql-error.ts";
import { Mysql2Connection } from "./mysql2-connection.ts";

/** `{ uri }` or any other mysql2 connection options (host, port, user, password, database, ssl…). */
export type Mysql2DriverOptions = { readonly uri: string } | Readonly<Record<string, unknown>>;

/**
 * Settings the MySQL dialect relies on; they override the caller's. Values come back raw (dates,
 * DECIMAL, BIGINT and JSON as strings) for the dialect's result processors to parse, and times
 * are read and written as UTC.
 */
const REQUIRED_OPTIONS = {
  rowsAsArray: true,
  dateStrings: true,
  supportBigNumbers: true,
  bigNumberStrings: true,
  decimalNumbers: false,
  jsonStrings: true,
  timezone: "Z",
  multipleStatements: false,
  charset: "utf8mb4",
} as const;

/**
 * MySQL and MariaDB through mysql2. Each `connect()` opens one `mysql2/promise` connection;
 * pooling is the engine's job.
 *
 * ```ts
 * const driver = new Mysql2Driver({ uri: "mysql://root@127.0.0.1:3306/test" });
 * const connection = await driver.connect();
 * await connection.execute("INSERT INTO users (name) VALUES (?)", ["ada"]);
 * // { columns: [], rows: [], rowsAffected: 1, lastInsertId: 1 }
 * ```
 */
export class Mysql2Driver implements Driver {
  readonly name = "mysql2";
  readonly #options: Mysql2DriverOptions;

  constructor(options: Mysql2DriverOptions) {
    this.#options = options;
  }

  async connect(): Promise<DriverConnection> {
    const { default: mysql }: { default: Mysql2PromiseModule } = await loadClientLibrary(
      { database: "MySQL / MariaDB", packageName: "mysql2" },
      () => import("mysql2/promise"),
    );
    const open = async () => (await mysql.createConnection({ ...this.#options, ...REQUIRED_OPTIONS })) as MysqlPromiseConnection;
    try {
      return new Mysql2Connection(await open(), open);
    } catch (error) {
      throw translateDriverError(error, "-- connect", [], classifyMysqlError);
    }
  }

  /** Nothing is shared between connections. */
  async close(): Promise<void> {}
}
