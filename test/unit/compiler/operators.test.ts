import { describe, expect, it } from "vitest";
import { ArgumentError } from "../../../src/shared/errors.ts";
import { and, not, or } from "../../../src/core/sql/elements.ts";
import { select } from "../../../src/core/sql/select.ts";
import { expectSql } from "./compile-for.ts";
import { posts, users } from "./fixture.ts";

describe("column operators", () => {
  it("eq ne lt le gt ge bind their values", () => {
    const stmt = select(users.c.id).where(
      users.c.id.eq(1),
      users.c.id.ne(2),
      users.c.id.lt(3),
      users.c.id.le(4),
      users.c.id.gt(5),
      users.c.id.ge(6),
    );
    expectSql(
      stmt,
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."id" = ? AND "users"."id" <> ? AND "users"."id" < ? AND "users"."id" <= ? AND "users"."id" > ? AND "users"."id" >= ?',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."id" = $1 AND "users"."id" <> $2 AND "users"."id" < $3 AND "users"."id" <= $4 AND "users"."id" > $5 AND "users"."id" >= $6',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`id` = ? AND `users`.`id` <> ? AND `users`.`id` < ? AND `users`.`id` <= ? AND `users`.`id` > ? AND `users`.`id` >= ?",
      },
      [1, 2, 3, 4, 5, 6],
    );
  });

  it("eq(null) and ne(null) render IS NULL / IS NOT NULL, as do isNull() and isNotNull()", () => {
    const expected = {
      sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."email" IS NULL AND "users"."email" IS NOT NULL',
      postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."email" IS NULL AND "users"."email" IS NOT NULL',
      mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`email` IS NULL AND `users`.`email` IS NOT NULL",
    };
    expectSql(select(users.c.id).where(users.c.email.eq(null), users.c.email.ne(null)), expected);
    expectSql(select(users.c.id).where(users.c.email.isNull(), users.c.email.isNotNull()), expected);
  });

  it("isDistinctFrom / isNotDistinctFrom: IS [NOT] DISTINCT FROM, IS NOT / IS on SQLite, <=> on MySQL", () => {
    expectSql(
      select(users.c.id).where(users.c.email.isDistinctFrom("a"), users.c.email.isNotDistinctFrom("b")),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."email" IS NOT ? AND "users"."email" IS ?',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."email" IS DISTINCT FROM $1 AND "users"."email" IS NOT DISTINCT FROM $2',
        mysql: "SELECT `users`.`id` FROM `users` WHERE NOT (`users`.`email` <=> ?) AND `users`.`email` <=> ?",
      },
      ["a", "b"],
    );
  });

  it("in / notIn over values", () => {
    expectSql(
      select(users.c.id).where(users.c.id.in([1, 2, 3]), users.c.id.notIn([4])),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."id" IN (?, ?, ?) AND "users"."id" NOT IN (?)',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."id" IN ($1, $2, $3) AND "users"."id" NOT IN ($4)',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`id` IN (?, ?, ?) AND `users`.`id` NOT IN (?)",
      },
      [1, 2, 3, 4],
    );
  });

  it("in([]) is never true and notIn([]) always true (SQLAlchemy's empty-set forms)", () => {
    expectSql(select(users.c.id).where(users.c.id.in([]), users.c.id.notIn([])), {
      sqlite: 'SELECT "users"."id" FROM "users" WHERE ("users"."id" IN (NULL) AND (1 != 1)) AND ("users"."id" NOT IN (NULL) OR (1 = 1))',
      postgresql: 'SELECT "users"."id" FROM "users" WHERE ("users"."id" IN (NULL) AND (1 != 1)) AND ("users"."id" NOT IN (NULL) OR (1 = 1))',
      mysql: "SELECT `users`.`id` FROM `users` WHERE (`users`.`id` IN (NULL) AND (1 != 1)) AND (`users`.`id` NOT IN (NULL) OR (1 = 1))",
    });
  });

  it("in / notIn over a subquery", () => {
    const authors = select(posts.c.authorId).where(posts.c.title.eq("x"));
    expectSql(
      select(users.c.id).where(users.c.id.in(authors), users.c.id.notIn(select(posts.c.editorId))),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT "posts"."author_id" FROM "posts" WHERE "posts"."title" = ?) AND "users"."id" NOT IN (SELECT "posts"."editor_id" FROM "posts")',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT "posts"."author_id" FROM "posts" WHERE "posts"."title" = $1) AND "users"."id" NOT IN (SELECT "posts"."editor_id" FROM "posts")',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`id` IN (SELECT `posts`.`author_id` FROM `posts` WHERE `posts`.`title` = ?) AND `users`.`id` NOT IN (SELECT `posts`.`editor_id` FROM `posts`)",
      },
      ["x"],
    );
  });

  it("like / notLike with an escape character (backslash doubled in MySQL's string literal)", () => {
    expectSql(
      select(users.c.id).where(users.c.name.like("a%"), users.c.name.notLike("b\\%%", { escape: "\\" })),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE ? AND "users"."name" NOT LIKE ? ESCAPE \'\\\'',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE $1 AND "users"."name" NOT LIKE $2 ESCAPE \'\\\'',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`name` LIKE ? AND `users`.`name` NOT LIKE ? ESCAPE '\\\\'",
      },
      ["a%", "b\\%%"],
    );
  });

  it("an escape character that is a quote is doubled, never left to close the literal", () => {
    expectSql(
      select(users.c.id).where(users.c.name.like("x", { escape: "'" })),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE ? ESCAPE \'\'\'\'',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE $1 ESCAPE \'\'\'\'',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`name` LIKE ? ESCAPE ''''",
      },
      ["x"],
    );
  });

  it("an escape that is not exactly one character is an ArgumentError (it is written into the SQL text)", () => {
    for (const escape of ["", "ab", "'; DROP TABLE users; --", "\\'"]) {
      expect(() => users.c.name.like("x", { escape }), JSON.stringify(escape)).toThrow(ArgumentError);
      expect(() => users.c.name.notIlike("x", { escape }), JSON.stringify(escape)).toThrow(ArgumentError);
    }
    // One character, counted in code points: an astral character is one.
    expect(() => users.c.name.like("x", { escape: "𝄞" })).not.toThrow();
  });

  it("ilike / notIlike: native ILIKE on PostgreSQL, lower() LIKE lower() elsewhere", () => {
    expectSql(
      select(users.c.id).where(users.c.name.ilike("c%"), users.c.name.notIlike("d!%%", { escape: "!" })),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE lower("users"."name") LIKE lower(?) AND lower("users"."name") NOT LIKE lower(?) ESCAPE \'!\'',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."name" ILIKE $1 AND "users"."name" NOT ILIKE $2 ESCAPE \'!\'',
        mysql: "SELECT `users`.`id` FROM `users` WHERE lower(`users`.`name`) LIKE lower(?) AND lower(`users`.`name`) NOT LIKE lower(?) ESCAPE '!'",
      },
      ["c%", "d!%%"],
    );
  });

  it("startsWith / endsWith / contains escape %, _ and the escape character itself", () => {
    expectSql(
      select(users.c.id).where(
        or(users.c.name.startsWith("50%_a/b"), users.c.name.endsWith("x_"), users.c.name.contains("%")),
      ),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE ? ESCAPE \'/\' OR "users"."name" LIKE ? ESCAPE \'/\' OR "users"."name" LIKE ? ESCAPE \'/\'',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE $1 ESCAPE \'/\' OR "users"."name" LIKE $2 ESCAPE \'/\' OR "users"."name" LIKE $3 ESCAPE \'/\'',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`name` LIKE ? ESCAPE '/' OR `users`.`name` LIKE ? ESCAPE '/' OR `users`.`name` LIKE ? ESCAPE '/'",
      },
      ["50/%/_a//b%", "%x/_", "%/%%"],
    );
  });

  it("between", () => {
    expectSql(
      select(users.c.id).where(users.c.id.between(1, 10)),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."id" BETWEEN ? AND ?',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."id" BETWEEN $1 AND $2',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`id` BETWEEN ? AND ?",
      },
      [1, 10],
    );
  });

  it("arithmetic keeps precedence with parentheses; neg() is unary minus", () => {
    expectSql(
      select(users.c.id.add(1).mul(2).label("x"), users.c.id.neg().label("m")).where(
        users.c.id.sub(1).div(2).mod(3).eq(0),
      ),
      {
        sqlite: 'SELECT ("users"."id" + ?) * ? AS "x", -"users"."id" AS "m" FROM "users" WHERE ((("users"."id" - ?) / (? + 0.0)) % ?) = ?',
        postgresql: 'SELECT ("users"."id" + $1) * $2 AS "x", -"users"."id" AS "m" FROM "users" WHERE ((("users"."id" - $3) / CAST($4 AS NUMERIC)) % $5) = $6',
        mysql: "SELECT (`users`.`id` + ?) * ? AS `x`, -`users`.`id` AS `m` FROM `users` WHERE (((`users`.`id` - ?) / ?) % ?) = ?",
      },
      [1, 2, 1, 2, 3, 0],
    );
  });

  it("division is true division (SQLAlchemy 2.0): an integer divisor of an integer is made non-integer", () => {
    expectSql(
      select(users.c.id.div(users.c.managerId).label("a"), posts.c.score.div("2").label("b")).where(posts.c.authorId.eq(users.c.id)),
      {
        sqlite: 'SELECT "users"."id" / ("users"."manager_id" + 0.0) AS "a", "posts"."score" / ? AS "b" FROM "users", "posts" WHERE "posts"."author_id" = "users"."id"',
        postgresql: 'SELECT "users"."id" / CAST("users"."manager_id" AS NUMERIC) AS "a", "posts"."score" / $1 AS "b" FROM "users", "posts" WHERE "posts"."author_id" = "users"."id"',
        mysql: "SELECT `users`.`id` / `users`.`manager_id` AS `a`, `posts`.`score` / ? AS `b` FROM `users`, `posts` WHERE `posts`.`author_id` = `users`.`id`",
      },
      ["2"],
    );
  });

  it("concat: || (a chain needs no parentheses), concat() on MySQL", () => {
    expectSql(
      select(users.c.name.concat(" <").concat(users.c.email).concat(">").label("who")),
      {
        sqlite: 'SELECT "users"."name" || ? || "users"."email" || ? AS "who" FROM "users"',
        postgresql: 'SELECT "users"."name" || $1 || "users"."email" || $2 AS "who" FROM "users"',
        mysql: "SELECT concat(concat(concat(`users`.`name`, ?), `users`.`email`), ?) AS `who` FROM `users`",
      },
      [" <", ">"],
    );
  });

  it("and / or / not: a nested group is always parenthesised", () => {
    expectSql(
      select(users.c.id).where(
        and(users.c.active.eq(true), or(users.c.id.eq(1), and(users.c.id.gt(5), users.c.id.lt(9))), not(users.c.email.isNull())),
      ),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."active" = ? AND ("users"."id" = ? OR ("users"."id" > ? AND "users"."id" < ?)) AND NOT ("users"."email" IS NULL)',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."active" = $1 AND ("users"."id" = $2 OR ("users"."id" > $3 AND "users"."id" < $4)) AND NOT ("users"."email" IS NULL)',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`active` = ? AND (`users`.`id` = ? OR (`users`.`id` > ? AND `users`.`id` < ?)) AND NOT (`users`.`email` IS NULL)",
      },
      [true, 1, 5, 9],
    );
  });
});
