import { describe, expect, it } from "vitest";
import { ArgumentError } from "../../../src/shared/errors.ts";
import { bindparam, case_, cast, false_, literal, true_ } from "../../../src/core/sql/elements.ts";
import { func } from "../../../src/core/sql/functions.ts";
import { select } from "../../../src/core/sql/select.ts";
import { BigInteger, DateTime, Enum, Float, Integer, Json, LargeBinary, Numeric, StringType, Text } from "../../../src/core/types/index.ts";
import { compileFor, expectSql } from "./compile-for.ts";
import { posts, users } from "./fixture.ts";

describe("functions", () => {
  it("count, sum, min, max, coalesce, lower, now are labelled after themselves; now() is CURRENT_TIMESTAMP on SQLite", () => {
    expectSql(
      select(
        func.count(),
        func.count(users.c.id),
        func.sum(users.c.id),
        func.min(users.c.id),
        func.max(users.c.id),
        func.coalesce(users.c.email, "none"),
        func.lower(users.c.name),
        func.now(),
      ).groupBy(users.c.email, users.c.name),
      {
        sqlite: 'SELECT count(*) AS "count", count("users"."id") AS "count_1", sum("users"."id") AS "sum", min("users"."id") AS "min", max("users"."id") AS "max", coalesce("users"."email", ?) AS "coalesce", lower("users"."name") AS "lower", CURRENT_TIMESTAMP AS "now" FROM "users" GROUP BY "users"."email", "users"."name"',
        postgresql: 'SELECT count(*) AS "count", count("users"."id") AS "count_1", sum("users"."id") AS "sum", min("users"."id") AS "min", max("users"."id") AS "max", coalesce("users"."email", $1) AS "coalesce", lower("users"."name") AS "lower", now() AS "now" FROM "users" GROUP BY "users"."email", "users"."name"',
        mysql: "SELECT count(*) AS `count`, count(`users`.`id`) AS `count_1`, sum(`users`.`id`) AS `sum`, min(`users`.`id`) AS `min`, max(`users`.`id`) AS `max`, coalesce(`users`.`email`, ?) AS `coalesce`, lower(`users`.`name`) AS `lower`, now() AS `now` FROM `users` GROUP BY `users`.`email`, `users`.`name`",
      },
      ["none"],
    );
  });

  it("a function's label can be chosen", () => {
    expectSql(select(func.count(posts.c.id).label("n")), {
      sqlite: 'SELECT count("posts"."id") AS "n" FROM "posts"',
      postgresql: 'SELECT count("posts"."id") AS "n" FROM "posts"',
      mysql: "SELECT count(`posts`.`id`) AS `n` FROM `posts`",
    });
  });
});

describe("literal and bindparam", () => {
  it("literal() is a bound value; PostgreSQL casts it where nothing else gives its type", () => {
    expectSql(
      select(literal(5), literal("a").label("s"), literal(1).add(literal(2)).label("t"), users.c.id.add(literal(3)).label("u")),
      {
        sqlite: 'SELECT ? AS "anon_1", ? AS "s", ? + ? AS "t", "users"."id" + ? AS "u" FROM "users"',
        postgresql: 'SELECT $1::BIGINT AS "anon_1", $2::TEXT AS "s", $3::BIGINT + $4::BIGINT AS "t", "users"."id" + $5 AS "u" FROM "users"',
        mysql: "SELECT ? AS `anon_1`, ? AS `s`, ? + ? AS `t`, `users`.`id` + ? AS `u` FROM `users`",
      },
      [5, "a", 1, 2, 3],
    );
  });

  it("PostgreSQL casts a bare value under unary minus, IS NULL, and as a function's only argument", () => {
    expectSql(
      select(literal(1).neg().label("a"), func.sum(literal(2)).label("b"), literal(null).isNull().label("c"), func.round(literal(1.5), 0).label("d")),
      {
        sqlite: 'SELECT -? AS "a", sum(?) AS "b", ? IS NULL AS "c", round(?, ?) AS "d"',
        postgresql: 'SELECT -$1::BIGINT AS "a", sum($2::BIGINT) AS "b", $3::TEXT IS NULL AS "c", round($4, $5) AS "d"',
        mysql: "SELECT -? AS `a`, sum(?) AS `b`, ? IS NULL AS `c`, round(?, ?) AS `d`",
      },
      [1, 2, null, 1.5, 0],
    );
  });

  it("PostgreSQL's casts name the widest form of the bind's type (never one that truncates or rounds)", () => {
    const stmt = select(
      literal(2n, BigInteger).label("a"),
      literal("abcdef", StringType(3)).label("s"),
      literal("1.5", Numeric(10, 2)).label("b"),
      literal(new Date(0), DateTime()).label("c"),
      literal({ x: 1 }, Json()).label("d"),
      literal(new Uint8Array([1]), LargeBinary).label("e"),
      literal(0.5, Float).label("f"),
      literal("red", Enum(["red"], { name: "color" })).label("g"),
    );
    expect(compileFor("postgresql", stmt).sql).toBe(
      'SELECT $1::BIGINT AS "a", $2::VARCHAR AS "s", $3::NUMERIC AS "b", $4::TIMESTAMP WITHOUT TIME ZONE AS "c", $5::JSON AS "d", $6::BYTEA AS "e", $7::DOUBLE PRECISION AS "f", $8::"color" AS "g"',
    );
  });

  it("bindparam() with a value where the type goes is an ArgumentError naming the mistake, not a TypeError from the cache", () => {
    expect(() => bindparam("q", 5 as never)).toThrow(ArgumentError);
    expect(() => bindparam("q", 5 as never)).toThrow(/bindparam\("q", type, value\?\): the second argument is a type/);
  });

  it("bindparam() takes its value at execution, or its default", () => {
    const stmt = select(users.c.id).where(users.c.id.eq(bindparam("uid", Integer)), users.c.name.ne(bindparam("n", Text, "x")));
    expectSql(
      stmt,
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."id" = ? AND "users"."name" <> ?',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."id" = $1 AND "users"."name" <> $2',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`id` = ? AND `users`.`name` <> ?",
      },
      [7, "x"],
      { uid: 7 },
    );
    expect(compileFor("sqlite", stmt, { uid: 1, n: "y" }).params).toEqual([1, "y"]);
  });

  it("a bindparam without a value is an ArgumentError naming it", () => {
    const stmt = select(users.c.id).where(users.c.id.eq(bindparam("uid", Integer)));
    expect(() => compileFor("postgresql", stmt)).toThrow(ArgumentError);
    expect(() => compileFor("postgresql", stmt, {})).toThrow(/"uid"/);
  });

  it("true_() / false_() are literals: true/false on PostgreSQL, 1/0 elsewhere", () => {
    expectSql(select(users.c.id).where(true_()).having(false_()), {
      sqlite: 'SELECT "users"."id" FROM "users" WHERE 1 HAVING 0',
      postgresql: 'SELECT "users"."id" FROM "users" WHERE true HAVING false',
      mysql: "SELECT `users`.`id` FROM `users` WHERE 1 HAVING 0",
    });
  });
});

describe("cast", () => {
  it("uses each dialect's type names", () => {
    expectSql(
      select(
        cast(users.c.id, StringType(20)).label("a"),
        cast(posts.c.score, Numeric(12, 4)).label("b"),
        cast("2024-01-01 00:00:00", DateTime({ timezone: true })).label("c"),
        cast(users.c.name, Integer).label("d"),
        cast(users.c.id, Float).label("e"),
      ).selectFrom(users, posts),
      {
        sqlite: 'SELECT CAST("users"."id" AS VARCHAR(20)) AS "a", CAST("posts"."score" AS TEXT) AS "b", CAST(? AS TEXT) AS "c", CAST("users"."name" AS INTEGER) AS "d", CAST("users"."id" AS REAL) AS "e" FROM "users", "posts"',
        postgresql: 'SELECT CAST("users"."id" AS VARCHAR(20)) AS "a", CAST("posts"."score" AS NUMERIC(12, 4)) AS "b", CAST($1 AS TIMESTAMP WITH TIME ZONE) AS "c", CAST("users"."name" AS INTEGER) AS "d", CAST("users"."id" AS DOUBLE PRECISION) AS "e" FROM "users", "posts"',
        mysql: "SELECT CAST(`users`.`id` AS CHAR(20)) AS `a`, CAST(`posts`.`score` AS DECIMAL(12, 4)) AS `b`, CAST(? AS DATETIME(6)) AS `c`, CAST(`users`.`name` AS SIGNED) AS `d`, CAST(`users`.`id` AS DOUBLE) AS `e` FROM `users`, `posts`",
      },
      ["2024-01-01 00:00:00"],
    );
  });

  it("MySQL cannot CAST to JSON or BOOLEAN: the expression is left as is", () => {
    expect(compileFor("mysql", select(cast(users.c.name, Json()).label("j"))).sql).toBe("SELECT `users`.`name` AS `j` FROM `users`");
    expect(compileFor("postgresql", select(cast(users.c.name, Json()).label("j"))).sql).toBe('SELECT CAST("users"."name" AS JSON) AS "j" FROM "users"');
  });
});

describe("case_", () => {
  it("searched and simple CASE", () => {
    expectSql(
      select(
        case_([[users.c.id.lt(10), "low"], [users.c.id.lt(100), "mid"]], { else: "high" }).label("bucket"),
        case_([[1, "one"]], { value: users.c.id }).label("word"),
      ),
      {
        sqlite: 'SELECT CASE WHEN "users"."id" < ? THEN ? WHEN "users"."id" < ? THEN ? ELSE ? END AS "bucket", CASE "users"."id" WHEN ? THEN ? END AS "word" FROM "users"',
        postgresql: 'SELECT CASE WHEN "users"."id" < $1 THEN $2 WHEN "users"."id" < $3 THEN $4 ELSE $5 END AS "bucket", CASE "users"."id" WHEN $6 THEN $7 END AS "word" FROM "users"',
        mysql: "SELECT CASE WHEN `users`.`id` < ? THEN ? WHEN `users`.`id` < ? THEN ? ELSE ? END AS `bucket`, CASE `users`.`id` WHEN ? THEN ? END AS `word` FROM `users`",
      },
      [10, "low", 100, "mid", "high", 1, "one"],
    );
  });
});

describe("labels", () => {
  it("label() names the result column; a repeated name is disambiguated", () => {
    expectSql(select(users.c.name.label("who"), users.c.id, posts.c.id).where(posts.c.authorId.eq(users.c.id)), {
      sqlite: 'SELECT "users"."name" AS "who", "users"."id", "posts"."id" AS "id_1" FROM "users", "posts" WHERE "posts"."author_id" = "users"."id"',
      postgresql: 'SELECT "users"."name" AS "who", "users"."id", "posts"."id" AS "id_1" FROM "users", "posts" WHERE "posts"."author_id" = "users"."id"',
      mysql: "SELECT `users`.`name` AS `who`, `users`.`id`, `posts`.`id` AS `id_1` FROM `users`, `posts` WHERE `posts`.`author_id` = `users`.`id`",
    });
  });

  it("identifiers are always quoted, with the quote character doubled", () => {
    const weird = select(users.c.id.label('a"b`c'));
    expect(compileFor("sqlite", weird).sql).toBe('SELECT "users"."id" AS "a""b`c" FROM "users"');
    expect(compileFor("postgresql", weird).sql).toBe('SELECT "users"."id" AS "a""b`c" FROM "users"');
    expect(compileFor("mysql", weird).sql).toBe('SELECT `users`.`id` AS `a"b``c` FROM `users`');
  });
});
