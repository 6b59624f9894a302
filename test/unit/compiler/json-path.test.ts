import { describe, expect, it } from "vitest";
import { MysqlDialect } from "../../../src/core/dialects/mysql/mysql-dialect.ts";
import { PostgresqlDialect } from "../../../src/core/dialects/postgresql/postgresql-dialect.ts";
import { SqliteDialect } from "../../../src/core/dialects/sqlite/sqlite-dialect.ts";
import type { Dialect } from "../../../src/core/dialects/dialect.ts";
import { prepareStatement } from "../../../src/core/engine/prepared-statement.ts";
import { Column, MetaData, Table } from "../../../src/core/schema/index.ts";
import { select } from "../../../src/core/sql/select.ts";
import { Integer, Json } from "../../../src/core/types/index.ts";
import { ArgumentError } from "../../../src/shared/errors.ts";

const docs = new Table("docs", new MetaData(), { id: Column(Integer, { primaryKey: true }), data: Column(Json<unknown>()) });
const data = docs.c.data;

function compiled(dialect: Dialect, statement: { node: unknown }): { sql: string; params: unknown[] } {
  const { sql, params } = prepareStatement(dialect, statement.node as never);
  return { sql, params };
}

describe("JSON element and path operators", () => {
  const query = select(data.item("name").label("j"), data.item("tags").item(0).asString().label("t"), data.path(["n", "deep"]).asInteger().label("i"))
    .where(data.item("ok").asBoolean())
    .where(data.path(["price"]).asFloat().gt(1.5));

  it("PostgreSQL: -> / ->> for one key, #> / #>> for a path, keys cast to TEXT and indexes to INTEGER, scalars CAST", () => {
    expect(compiled(new PostgresqlDialect(), query)).toEqual({
      sql:
        'SELECT "docs"."data" -> CAST($1 AS TEXT) AS "j", "docs"."data" #>> ARRAY[CAST($2 AS TEXT), CAST($3 AS TEXT)] AS "t", ' +
        'CAST("docs"."data" #>> ARRAY[CAST($4 AS TEXT), CAST($5 AS TEXT)] AS INTEGER) AS "i" FROM "docs" ' +
        'WHERE CAST("docs"."data" ->> CAST($6 AS TEXT) AS BOOLEAN) AND CAST("docs"."data" #>> ARRAY[CAST($7 AS TEXT)] AS DOUBLE PRECISION) > $8',
      params: ["name", "tags", "0", "n", "deep", "ok", "price", 1.5],
    });
  });

  it("MySQL / MariaDB: JSON_EXTRACT over a JSONPath built from bound segments; JSON_UNQUOTE, CAST, 'true'", () => {
    const { sql, params } = compiled(new MysqlDialect(), query);
    expect(sql).toBe(
      "SELECT JSON_EXTRACT(`docs`.`data`, CONCAT('$', ?)) AS `j`, JSON_UNQUOTE(JSON_EXTRACT(`docs`.`data`, CONCAT('$', ?, ?))) AS `t`, " +
        "CAST(JSON_EXTRACT(`docs`.`data`, CONCAT('$', ?, ?)) AS SIGNED) AS `i` FROM `docs` " +
        "WHERE (JSON_UNQUOTE(JSON_EXTRACT(`docs`.`data`, CONCAT('$', ?))) = 'true') AND CAST(JSON_EXTRACT(`docs`.`data`, CONCAT('$', ?)) AS DOUBLE) > ?",
    );
    expect(params).toEqual(['."name"', '."tags"', "[0]", '."n"', '."deep"', '."ok"', '."price"', 1.5]);
  });

  it("SQLite: -> for an element read as JSON (NULL when missing), JSON_EXTRACT for scalars, with '$' || segments", () => {
    const { sql, params } = compiled(new SqliteDialect(), select(data.item("name"), data.path(["a", 2]).asString()));
    expect(sql).toBe(`SELECT "docs"."data" -> ('$' || ?) AS "anon_1", JSON_EXTRACT("docs"."data", '$' || ? || ?) AS "anon_2" FROM "docs"`);
    expect(params).toEqual(['."name"', '."a"', "[2]"]);
  });

  it("keys are bound, with quotes and backslashes escaped inside the JSONPath segment", () => {
    expect(compiled(new SqliteDialect(), select(data.item(`a"b\\c'); DROP TABLE docs; --`))).params).toEqual([`."a\\"b\\\\c'); DROP TABLE docs; --"`]);
  });

  it("misuse is refused: an empty path, a negative index", () => {
    expect(() => data.path([])).toThrow(ArgumentError);
    expect(() => data.item(-1)).toThrow(ArgumentError);
    expect(() => data.item("a").asString().eq("x")).not.toThrow();
  });
});
