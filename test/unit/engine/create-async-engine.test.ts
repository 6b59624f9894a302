import { describe, expect, it } from "vitest";
import { ArgumentError, createAsyncEngine } from "../../../src/index.ts";

/**
 * URL resolution (issue #9): `database+driver://` picks the driver or is refused by name, and
 * connectArgs that the URL would silently override are refused. Creating an engine opens no
 * connection, so nothing here needs a database.
 */
function resolved(url: string, connectArgs?: Record<string, unknown>): [string, string] {
  const engine = createAsyncEngine(url, connectArgs === undefined ? {} : { connectArgs });
  return [engine.dialect.name, engine.driver.name];
}

function refusal(url: string, connectArgs?: Record<string, unknown>): ArgumentError {
  try {
    resolved(url, connectArgs);
  } catch (error) {
    expect(error).toBeInstanceOf(ArgumentError);
    return error as ArgumentError;
  }
  throw new Error(`${url} was accepted`);
}

describe("createAsyncEngine URLs", () => {
  it.each([
    ["sqlite://:memory:", "sqlite", "better-sqlite3"],
    ["sqlite+better-sqlite3://:memory:", "sqlite", "better-sqlite3"],
    ["sqlite+better_sqlite3:///app.db", "sqlite", "better-sqlite3"],
    ["postgresql://u@h/db", "postgresql", "pg"],
    ["postgres://u@h/db", "postgresql", "pg"],
    ["postgresql+pg://u@h/db", "postgresql", "pg"],
    ["postgresql+node-postgres://u@h/db", "postgresql", "pg"],
    ["postgresql+pglite://", "postgresql", "pglite"],
    ["pglite://", "postgresql", "pglite"],
    ["pglite+pglite:///data", "postgresql", "pglite"],
    ["mysql://root@h/db", "mysql", "mysql2"],
    ["mariadb://root@h/db", "mysql", "mysql2"],
    ["mysql+mysql2://root@h/db", "mysql", "mysql2"],
    ["MariaDB+MySQL2://root@h/db", "mysql", "mysql2"],
  ])("%s → %s through %s", (url, dialect, driver) => {
    expect(resolved(url)).toEqual([dialect, driver]);
  });

  it("refuses a Python driver, naming it and this database's drivers", () => {
    expect(refusal("postgresql+asyncpg://u:secret@h/db").message).toBe(
      `asyncpg is a Python driver; tsalchemy's PostgreSQL drivers are: pg, pglite (in URL "postgresql+asyncpg://u:***@h/db")`,
    );
    expect(refusal("mysql+pymysql://root@h/db").message).toMatch(/^pymysql is a Python driver; tsalchemy's MySQL \/ MariaDB drivers are: mysql2 /);
    expect(refusal("sqlite+aiosqlite:///x.db").message).toMatch(/^aiosqlite is a Python driver; tsalchemy's SQLite drivers are: better-sqlite3 /);
  });

  it("refuses a driver it does not know, rather than ignoring it", () => {
    expect(refusal("postgresql+postgres://u@h/db").message).toBe(
      `Unknown PostgreSQL driver "postgres" in URL "postgresql+postgres://u@h/db"; tsalchemy's PostgreSQL drivers are: pg, pglite`,
    );
    expect(refusal("mariadb+mariadb://root@h/db").message).toMatch(/Unknown MySQL \/ MariaDB driver "mariadb"/);
    expect(refusal("pglite+pg://").message).toMatch(/Unknown PGlite driver "pg" .*drivers are: pglite$/);
    expect(refusal("oracle://scott@h/db").message).toMatch(/^Unknown database "oracle"/);
  });

  it("refuses connectArgs the URL would override, and takes everything from connectArgs with a bare URL", () => {
    expect(refusal("postgresql://u@h/db", { password: "pw" }).message).toBe(
      `connectArgs.password conflicts with the URL "postgresql://u@h/db", which sets user, password, host, port and database ` +
        `(use "postgresql://" to give them all in connectArgs); give it in one place`,
    );
    expect(refusal("mysql://root@h/db", { host: "other" }).message).toMatch(/^connectArgs\.host conflicts/);
    expect(refusal("postgresql://u@h/db?application_name=a", { application_name: "b" }).message).toMatch(
      /^connectArgs\.application_name conflicts .*which has it in its query/,
    );
    expect(refusal("pglite:///data", { dataDir: "other" }).message).toMatch(/^connectArgs\.dataDir conflicts/);
    expect(resolved("postgresql://", { host: "h", user: "u", password: "pw", database: "db" })).toEqual(["postgresql", "pg"]);
    expect(resolved("mysql://", { host: "h", user: "root", database: "db" })).toEqual(["mysql", "mysql2"]);
    expect(resolved("postgresql://u@h/db?application_name=a", { statement_timeout: 1000 })).toEqual(["postgresql", "pg"]);
  });
});
