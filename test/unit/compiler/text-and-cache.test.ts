import { describe, expect, it } from "vitest";
import { ArgumentError } from "../../../src/shared/errors.ts";
import { boundParameters } from "../../../src/core/compiler/bound-parameters.ts";
import { PostgresqlDialect } from "../../../src/core/dialects/postgresql/index.ts";
import { SqliteDialect } from "../../../src/core/dialects/sqlite/index.ts";
import { bindparam } from "../../../src/core/sql/elements.ts";
import { insert } from "../../../src/core/sql/insert.ts";
import { select } from "../../../src/core/sql/select.ts";
import { text } from "../../../src/core/sql/text.ts";
import { update } from "../../../src/core/sql/update.ts";
import { Column, MetaData, Table } from "../../../src/core/schema/index.ts";
import { Integer, StringType } from "../../../src/core/types/index.ts";
import { compileFor, expectSql } from "./compile-for.ts";
import { users } from "./fixture.ts";

describe("text()", () => {
  it("named parameters become placeholders; quoted text, :: and \\: are left as SQL", () => {
    const stmt = text("SELECT id FROM users WHERE name = :name AND id > :id AND note = 'a:b' AND x = 1::int AND t = '\\:' AND \\:tag = 1").bindparams({
      name: "ann",
      id: 3,
    });
    expectSql(
      stmt,
      {
        sqlite: "SELECT id FROM users WHERE name = ? AND id > ? AND note = 'a:b' AND x = 1::int AND t = '\\:' AND :tag = 1",
        postgresql: "SELECT id FROM users WHERE name = $1 AND id > $2 AND note = 'a:b' AND x = 1::int AND t = '\\:' AND :tag = 1",
        mysql: "SELECT id FROM users WHERE name = ? AND id > ? AND note = 'a:b' AND x = 1::int AND t = '\\:' AND :tag = 1",
      },
      ["ann", 3],
    );
  });

  it("a colon inside a quoted identifier (\"…\" or MySQL's `…`) is not a parameter", () => {
    const stmt = text('SELECT "a:b" AS "x :y", `:name` FROM `t``:q` WHERE c = :c').bindparams({ c: 1 });
    expectSql(
      stmt,
      {
        sqlite: 'SELECT "a:b" AS "x :y", `:name` FROM `t``:q` WHERE c = ?',
        postgresql: 'SELECT "a:b" AS "x :y", `:name` FROM `t``:q` WHERE c = $1',
        mysql: 'SELECT "a:b" AS "x :y", `:name` FROM `t``:q` WHERE c = ?',
      },
      [1],
    );
  });

  it("a parameter used twice is bound twice; values may also come at execution", () => {
    const stmt = text("SELECT :a + :b, :a");
    expect(compileFor("postgresql", stmt, { a: 1, b: 2 })).toEqual({ sql: "SELECT $1 + $2, $3", params: [1, 2, 1] });
    expect(() => compileFor("sqlite", stmt, { a: 1 })).toThrow(ArgumentError);
    expect(() => text("SELECT :a").bindparams({ nope: 1 })).toThrow(ArgumentError);
  });
});

describe("the compiled-statement cache", () => {
  it("the same statement built twice with different values compiles once and binds each one's values", () => {
    const dialect = new PostgresqlDialect();
    const build = (name: string, limit: number) => select(users.c.id).where(users.c.name.eq(name), users.c.id.gt(limit * 2)).limit(limit);
    const first = compileFor(dialect, build("ann", 5));
    const second = compileFor(dialect, build("bob", 7));
    expect(dialect.compiler.cacheSize).toBe(1);
    expect(first).toEqual({ sql: 'SELECT "users"."id" FROM "users" WHERE "users"."name" = $1 AND "users"."id" > $2 LIMIT $3', params: ["ann", 10, 5] });
    expect(second).toEqual({ sql: first.sql, params: ["bob", 14, 7] });
    expect(dialect.compiler.compile(build("x", 1).node).compiled).toBe(dialect.compiler.compile(build("y", 2).node).compiled);
  });

  it("a different shape compiles anew: other columns, another operator, a list of another length, another type", () => {
    const dialect = new SqliteDialect();
    const compile = (stmt: { node: Parameters<typeof dialect.compiler.compile>[0] }) => compileFor(dialect, stmt);
    compile(select(users.c.id).where(users.c.id.in([1, 2])));
    compile(select(users.c.id).where(users.c.id.in([3, 4])));
    expect(dialect.compiler.cacheSize).toBe(1);
    compile(select(users.c.id).where(users.c.id.in([1, 2, 3])));
    compile(select(users.c.name).where(users.c.id.in([1, 2])));
    compile(select(users.c.id).where(users.c.id.notIn([1, 2])));
    expect(dialect.compiler.cacheSize).toBe(4);
  });

  it("the cache is bounded", () => {
    const dialect = new SqliteDialect({ cacheSize: 2 });
    for (let n = 1; n <= 4; n++) compileFor(dialect, select(users.c.id).where(users.c.id.in(Array.from({ length: n }, (_, i) => i))));
    expect(dialect.compiler.cacheSize).toBe(2);
  });

  it("placeholders follow the text order, not the order values were given in", () => {
    const cte = select(users.c.id).where(users.c.name.eq("in-cte")).cte("c");
    const stmt = select(users.c.id)
      .where(users.c.id.in(select(cte.c.id)))
      .orderBy(users.c.id)
      .limit(3)
      .where(users.c.name.ne("outer"));
    expect(compileFor("postgresql", stmt)).toEqual({
      sql: 'WITH "c" AS (SELECT "users"."id" FROM "users" WHERE "users"."name" = $1) SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT "c"."id" FROM "c") AND "users"."name" <> $2 ORDER BY "users"."id" LIMIT $3',
      params: ["in-cte", "outer", 3],
    });
  });
});

describe("boundParameters", () => {
  const metadata = new MetaData();
  let counter = 0;
  const stamped = new Table("stamped", metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(StringType(20)),
    version: Column(Integer, { default: () => ++counter, onupdate: () => 100 + ++counter }),
  });

  it("computes client-side defaults afresh at each execution", () => {
    const dialect = new SqliteDialect();
    const { compiled, extracted } = dialect.compiler.compile(insert(stamped).values({ name: "a" }).node);
    expect(compiled.sql).toBe('INSERT INTO "stamped" ("name", "version") VALUES (?, ?)');
    const first = boundParameters(compiled, extracted);
    const second = boundParameters(compiled, extracted);
    expect(first[0]).toBe("a");
    expect(second[1]).toBe((first[1] as number) + 1);
    const { compiled: u, extracted: ue } = dialect.compiler.compile(update(stamped).values({ name: "b" }).node);
    expect(u.sql).toBe('UPDATE "stamped" SET "name"=?, "version"=?');
    expect(boundParameters(u, ue)[1]).toBeGreaterThan(100);
  });

  it("takes named values by key, falls back to the bindparam's value, and names a missing one", () => {
    const dialect = new PostgresqlDialect();
    const stmt = select(users.c.id).where(users.c.id.eq(bindparam("a", Integer)), users.c.id.ne(bindparam("b", Integer, 9)), users.c.name.eq("z"));
    const { compiled, extracted } = dialect.compiler.compile(stmt.node);
    expect(compiled.paramKeys).toEqual(["a", "b", undefined]);
    expect(boundParameters(compiled, extracted, { a: 1 })).toEqual([1, 9, "z"]);
    expect(boundParameters(compiled, extracted, { a: 1, b: 2 })).toEqual([1, 2, "z"]);
    expect(boundParameters(compiled, extracted, { a: null })).toEqual([null, 9, "z"]);
    expect(() => boundParameters(compiled, extracted)).toThrow(ArgumentError);
    expect(() => boundParameters(compiled, extracted, { b: 1 })).toThrow(/bind parameter "a"/);
  });
});
