import { ArgumentError } from "../../shared/errors.ts";
import type { Dialect } from "../dialects/dialect.ts";
import { MysqlDialect } from "../dialects/mysql/mysql-dialect.ts";
import { PostgresqlDialect } from "../dialects/postgresql/postgresql-dialect.ts";
import { SqliteDialect } from "../dialects/sqlite/sqlite-dialect.ts";
import { BetterSqlite3Driver } from "../drivers/better-sqlite3/better-sqlite3-driver.ts";
import type { Driver } from "../drivers/driver.ts";
import { Mysql2Driver } from "../drivers/mysql2/mysql2-driver.ts";
import { PgDriver } from "../drivers/pg/pg-driver.ts";
import { PgliteDriver } from "../drivers/pglite/pglite-driver.ts";
import { AsyncEngine, type EngineOptions } from "./async-engine.ts";

type ConnectArgs = Readonly<Record<string, unknown>>;

/** What a URL names once parsed: `rest` is everything after `://`, `shown` the URL for messages. */
interface UrlParts {
  readonly rest: string;
  readonly shown: string;
}

type DriverFactory = (url: UrlParts, connectArgs: ConnectArgs, options: EngineOptions) => Driver;

interface Database {
  /** For messages: "PostgreSQL". */
  readonly title: string;
  readonly dialect: () => Dialect;
  /** By driver name; the first is the one a URL without `+driver` gets. */
  readonly drivers: Readonly<Record<string, DriverFactory>>;
}

/**
 * Creates an engine from a URL, `database[+driver]://…`; the composition root where a dialect
 * meets a driver. `connectArgs` go to the client library's connect call as they are.
 *
 * | URL | database | driver |
 * | --- | --- | --- |
 * | `sqlite://:memory:`, `sqlite:///relative.db`, `sqlite:////abs/path.db` (also `sqlite+better-sqlite3://`) | SQLite | better-sqlite3 |
 * | `postgresql://user@host:5432/db` (also `postgres://`, `postgresql+pg://`) | PostgreSQL | pg |
 * | `pglite://` (in memory), `pglite:///path/to/dir` (also `postgresql+pglite://`) | PostgreSQL (embedded, WASM) | @electric-sql/pglite |
 * | `postgresql://user@pgbouncer:6432/db?prepared_statements=unnamed` | PostgreSQL behind a transaction-mode pooler | pg |
 * | `mysql://user:pass@host:3306/db` (also `mariadb://`, `mysql+mysql2://`) | MySQL / MariaDB | mysql2 |
 *
 * ```ts
 * const engine = createAsyncEngine("postgresql://app@db.internal/shop", {
 *   connectArgs: { application_name: "checkout", statement_timeout: 5_000 },
 * });
 * createAsyncEngine("postgresql+asyncpg://app@db.internal/shop");
 * // ArgumentError: asyncpg is a Python driver; tsalchemy's PostgreSQL drivers are: pg, pglite
 * ```
 */
export function createAsyncEngine(url: string, options: EngineOptions = {}): AsyncEngine {
  const { dialect, driver } = resolveUrl(url, options.connectArgs ?? {}, options);
  return new AsyncEngine(url, dialect, driver, options);
}

const SQLITE: Database = {
  title: "SQLite",
  dialect: () => new SqliteDialect(),
  drivers: {
    "better-sqlite3": ({ rest }, connectArgs) => new BetterSqlite3Driver({ ...connectArgs, filename: sqliteFilename(rest) }),
  },
};

const PGLITE_DRIVER: DriverFactory = ({ rest, shown }, connectArgs) => {
  const dataDir = rest.startsWith("/") ? rest.slice(1) || undefined : rest || undefined;
  if (dataDir === undefined) return new PgliteDriver(connectArgs);
  refuseOverlap(connectArgs, ["dataDir"], shown, "sets dataDir");
  return new PgliteDriver({ ...connectArgs, dataDir });
};

const POSTGRESQL: Database = {
  title: "PostgreSQL",
  dialect: () => new PostgresqlDialect(),
  drivers: {
    pg: ({ rest, shown }, connectArgs, options) => {
      const chosen = checkPreparedStatements(options.preparedStatements);
      if (rest === "") return new PgDriver(connectArgs, chosen === undefined ? {} : { preparedStatements: chosen });
      refuseServerOverlap(connectArgs, rest, shown, "postgresql://", ["connectionString"]);
      // tsalchemy's own `?prepared_statements=` is taken out of the URL before pg sees it.
      const { connectionString, preparedStatements } = takePreparedStatements(`postgresql://${rest}`);
      const mode = chosen ?? preparedStatements;
      return new PgDriver({ ...connectArgs, connectionString }, mode === undefined ? {} : { preparedStatements: mode });
    },
    pglite: PGLITE_DRIVER,
  },
};

const MYSQL: Database = {
  title: "MySQL / MariaDB",
  dialect: () => new MysqlDialect(),
  drivers: {
    mysql2: ({ rest, shown }, connectArgs) => {
      if (rest === "") return new Mysql2Driver(connectArgs);
      refuseServerOverlap(connectArgs, rest, shown, "mysql://", ["uri"]);
      return new Mysql2Driver({ ...connectArgs, uri: `mysql://${rest}` });
    },
  },
};

const DATABASES: Readonly<Record<string, Database>> = {
  sqlite: SQLITE,
  postgresql: POSTGRESQL,
  postgres: POSTGRESQL,
  pglite: { title: "PGlite", dialect: () => new PostgresqlDialect(), drivers: { pglite: PGLITE_DRIVER } },
  mysql: MYSQL,
  mariadb: MYSQL,
};

/** A dialect by its name, for `statement.compile({ dialect: "postgresql" })`. */
export function dialectNamed(name: "sqlite" | "postgresql" | "mysql"): Dialect {
  return (DATABASES[name] as Database).dialect();
}

/** Other spellings of a driver name (SQLAlchemy writes `_` where npm writes `-`). */
const DRIVER_ALIASES: Readonly<Record<string, string>> = {
  better_sqlite3: "better-sqlite3",
  "node-postgres": "pg",
  node_postgres: "pg",
};

/** SQLAlchemy's DBAPI names, which URLs copied from a Python project carry. */
const PYTHON_DRIVERS = new Set([
  "pysqlite",
  "aiosqlite",
  "pysqlcipher",
  "asyncpg",
  "psycopg",
  "psycopg_async",
  "psycopg2",
  "psycopg2cffi",
  "pg8000",
  "pygresql",
  "mysqldb",
  "pymysql",
  "aiomysql",
  "asyncmy",
  "mysqlconnector",
  "mariadbconnector",
  "cymysql",
  "pyodbc",
]);

/** The dialect and driver a URL names (`createAsyncEngine`, and `createEngine`, which keeps only SQLite's). */
export function resolveUrl(url: string, connectArgs: ConnectArgs, options: EngineOptions): { dialect: Dialect; driver: Driver } {
  const shown = redact(url);
  const match = /^([a-z0-9]+)(?:\+([a-z0-9_-]+))?:\/\/(.*)$/i.exec(url);
  if (!match) throw new ArgumentError(`Could not parse a database URL from "${shown}"`);
  const scheme = (match[1] as string).toLowerCase();
  const database = DATABASES[scheme];
  if (database === undefined) {
    throw new ArgumentError(`Unknown database "${scheme}" in URL "${shown}"; use sqlite, postgresql, pglite or mysql`);
  }
  const names = Object.keys(database.drivers);
  const spelled = match[2]?.toLowerCase();
  const driverName = spelled === undefined ? (names[0] as string) : (DRIVER_ALIASES[spelled] ?? spelled);
  const factory = database.drivers[driverName];
  if (factory === undefined) {
    const known = `tsalchemy's ${database.title} drivers are: ${names.join(", ")}`;
    throw new ArgumentError(
      PYTHON_DRIVERS.has(driverName)
        ? `${driverName} is a Python driver; ${known} (in URL "${shown}")`
        : `Unknown ${database.title} driver "${driverName}" in URL "${shown}"; ${known}`,
    );
  }
  return { dialect: database.dialect(), driver: factory({ rest: match[3] as string, shown }, connectArgs, options) };
}

/**
 * pg and mysql2 let the URL win over their other options, and always take the user, password,
 * host, port and database from it (empty when the URL leaves them out). So a key given in both
 * places is refused rather than silently dropped: with a bare `postgresql://` / `mysql://`,
 * everything comes from `connectArgs`.
 */
function refuseServerOverlap(connectArgs: ConnectArgs, rest: string, shown: string, bare: string, urlKey: readonly string[]): void {
  const identity = ["user", "password", "host", "port", "database", ...urlKey];
  refuseOverlap(connectArgs, identity, shown, `sets user, password, host, port and database (use "${bare}" to give them all in connectArgs)`);
  const query = rest.includes("?") ? [...new URLSearchParams(rest.slice(rest.indexOf("?") + 1)).keys()] : [];
  refuseOverlap(connectArgs, query, shown, "has it in its query");
}

function refuseOverlap(connectArgs: ConnectArgs, urlKeys: readonly string[], shown: string, what: string): void {
  const both = urlKeys.find((key) => Object.hasOwn(connectArgs, key));
  if (both !== undefined) {
    throw new ArgumentError(`connectArgs.${both} conflicts with the URL "${shown}", which ${what}; give it in one place`);
  }
}

/** Removes tsalchemy's own `prepared_statements` query parameter, which pg must not see. */
function takePreparedStatements(url: string): { connectionString: string; preparedStatements?: "named" | "unnamed" } {
  const at = url.indexOf("?");
  if (at < 0) return { connectionString: url };
  let preparedStatements: "named" | "unnamed" | undefined;
  const kept = url
    .slice(at + 1)
    .split("&")
    .filter((pair) => {
      const [key, value = ""] = pair.split("=");
      if (key !== "prepared_statements") return true;
      preparedStatements = checkPreparedStatements(decodeURIComponent(value));
      return false;
    });
  const connectionString = kept.length > 0 ? `${url.slice(0, at)}?${kept.join("&")}` : url.slice(0, at);
  return preparedStatements === undefined ? { connectionString } : { connectionString, preparedStatements };
}

function checkPreparedStatements(value: unknown): "named" | "unnamed" | undefined {
  if (value === undefined || value === "named" || value === "unnamed") return value;
  throw new ArgumentError(`preparedStatements must be "named" or "unnamed" (got ${JSON.stringify(value)})`);
}

/** `sqlite://:memory:` and `sqlite://` are in memory; `sqlite:///x.db` is relative, `sqlite:////x.db` absolute. */
function sqliteFilename(rest: string): string {
  if (rest === "" || rest === ":memory:" || rest === "/:memory:") return ":memory:";
  if (!rest.startsWith("/")) throw new ArgumentError(`SQLite URLs are sqlite://:memory: or sqlite:///path (got sqlite://${rest})`);
  return rest.slice(1);
}

/** The URL with its password hidden, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}
