import { describe, expect, it } from "vitest";
import type { Dialect } from "../../../src/core/dialects/dialect.ts";
import { MysqlDialect } from "../../../src/core/dialects/mysql/index.ts";
import { PostgresqlDialect } from "../../../src/core/dialects/postgresql/index.ts";
import { SqliteDialect } from "../../../src/core/dialects/sqlite/index.ts";

describe("dialects", () => {
  it("each is a Dialect with its own compiler, DDL compiler and type processing", () => {
    const all: Dialect[] = [new SqliteDialect(), new PostgresqlDialect(), new MysqlDialect()];
    expect(all.map((d) => d.name)).toEqual(["sqlite", "postgresql", "mysql"]);
    for (const d of all) {
      expect(d.capabilities).toBe(d.compiler.capabilities);
      expect(d.beginSql).toBe("BEGIN");
      expect(d.ddlCompiler).toBeDefined();
    }
  });

  it("capabilities follow the databases", () => {
    const sqlite = new SqliteDialect().capabilities;
    const pg = new PostgresqlDialect().capabilities;
    const mariadb = new MysqlDialect().capabilities;
    const mysql8 = new MysqlDialect({ variant: "mysql" }).capabilities;
    expect([sqlite.insertReturning, sqlite.updateReturning, sqlite.deleteReturning, sqlite.rowLocking]).toEqual([true, true, true, false]);
    expect([pg.insertReturning, pg.updateReturning, pg.deleteReturning, pg.rowLocking, pg.nativeInterval]).toEqual([true, true, true, true, true]);
    expect([mariadb.insertReturning, mariadb.updateReturning, mariadb.deleteReturning, mariadb.fullOuterJoin]).toEqual([true, false, true, false]);
    expect([mysql8.insertReturning, mysql8.deleteReturning]).toEqual([false, false]);
    expect([sqlite.upsert, pg.upsert, mariadb.upsert]).toEqual(["on-conflict", "on-conflict", "on-duplicate-key"]);
    expect([sqlite.singleConnection, pg.singleConnection, mariadb.singleConnection]).toEqual([true, false, false]);
    expect([sqlite.textStoresNul, pg.textStoresNul, mariadb.textStoresNul]).toEqual([true, false, true]);
    expect([sqlite.backslashEscapes, pg.backslashEscapes, mariadb.backslashEscapes]).toEqual([false, false, true]);
  });

  it("ask whether a table exists with bound names", () => {
    expect(new SqliteDialect().tableExistsQuery("users", undefined)).toEqual({
      sql: "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
      params: ["users"],
    });
    expect(new SqliteDialect().tableExistsQuery("users", "aux")).toEqual({
      sql: "SELECT 1 FROM \"aux\".sqlite_master WHERE type = 'table' AND name = ?",
      params: ["users"],
    });
    expect(new PostgresqlDialect().tableExistsQuery("users", "app")).toEqual({
      sql: "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname = $2",
      params: ["users", "app"],
    });
    expect(new PostgresqlDialect().tableExistsQuery("users", undefined).params).toEqual(["users"]);
    expect(new MysqlDialect().tableExistsQuery("users", undefined)).toEqual({
      sql: "SELECT 1 FROM information_schema.tables WHERE table_schema = COALESCE(?, DATABASE()) AND table_name = ?",
      params: [null, "users"],
    });
  });
});
