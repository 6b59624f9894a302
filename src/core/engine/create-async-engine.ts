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

/**
 * Creates an engine from a URL; the composition root where a dialect meets a driver.
 *
 * | URL | database | driver |
 * | --- | --- | --- |
 * | `sqlite://:memory:`, `sqlite:///relative.db`, `sqlite:////abs/path.db` | SQLite | better-sqlite3 |
 * | `postgresql://user@host:5432/db` (also `postgres://`, `postgresql+pg://`) | PostgreSQL | pg |
 * | `postgresql://user@pgbouncer:6432/db?prepared_statements=unnamed` | PostgreSQL behind a transaction-mode pooler | pg |
 * | `pglite://` (in memory), `pglite:///path/to/dir` | PostgreSQL (embedded, WASM) | @electric-sql/pglite |
 * | `mysql://user:pass@host:3306/db` (also `mariadb://`, `mysql+mysql2://`) | MySQL / MariaDB | mysql2 |
 *
 * ```ts
 * const engine = createAsyncEngine("sqlite://:memory:", { echo: true });
 * ```
 */
export function createAsyncEngine(url: string, options: EngineOptions = {}): AsyncEngine {
  const { dialect, driver } = resolveUrl(url, options);
  return new AsyncEngine(url, dialect, driver, options);
}

function resolveUrl(url: string, options: EngineOptions): { dialect: Dialect; driver: Driver } {
  const match = /^([a-z0-9]+)(?:\+([a-z0-9-]+))?:\/\/(.*)$/i.exec(url);
  if (!match) throw new ArgumentError(`Could not parse a database URL from "${redact(url)}"`);
  const scheme = (match[1] as string).toLowerCase();
  const rest = match[3] as string;
  switch (scheme) {
    case "sqlite":
      return { dialect: new SqliteDialect(), driver: new BetterSqlite3Driver({ filename: sqliteFilename(rest) }) };
    case "postgresql":
    case "postgres": {
      const { connectionString, preparedStatements } = takePreparedStatements(`postgresql://${rest}`);
      const settings = { preparedStatements: checkPreparedStatements(options.preparedStatements) ?? preparedStatements };
      return { dialect: new PostgresqlDialect(), driver: new PgDriver({ connectionString }, settings) };
    }
    case "pglite":
      return { dialect: new PostgresqlDialect(), driver: new PgliteDriver({ dataDir: rest.startsWith("/") ? rest.slice(1) || undefined : rest || undefined }) };
    case "mysql":
    case "mariadb":
      return { dialect: new MysqlDialect(), driver: new Mysql2Driver({ uri: `mysql://${rest}` }) };
    default:
      throw new ArgumentError(`Unknown database "${scheme}" in URL "${redact(url)}"; use sqlite, postgresql, pglite or mysql`);
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

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");
}
