import { describe, expect, it } from "vitest";
import { ArgumentError, NotSupportedFeatureError } from "../../../src/shared/errors.ts";
import { MysqlDialect } from "../../../src/core/dialects/mysql/index.ts";
import { delete_ } from "../../../src/core/sql/delete.ts";
import { exists } from "../../../src/core/sql/elements.ts";
import { excluded, insert } from "../../../src/core/sql/insert.ts";
import { select } from "../../../src/core/sql/select.ts";
import { update } from "../../../src/core/sql/update.ts";
import { compileFor, expectSql } from "./compile-for.ts";
import { organizations, posts, users } from "./fixture.ts";

describe("insert", () => {
  it("a single row; a client-side default fills the column the row leaves out", () => {
    expectSql(
      insert(users).values({ name: "ann", email: "a@x" }),
      {
        sqlite: 'INSERT INTO "users" ("name", "email", "active") VALUES (?, ?, ?)',
        postgresql: 'INSERT INTO "users" ("name", "email", "active") VALUES ($1, $2, $3)',
        mysql: "INSERT INTO `users` (`name`, `email`, `active`) VALUES (?, ?, ?)",
      },
      ["ann", "a@x", true],
    );
  });

  it("several rows in one VALUES", () => {
    expectSql(
      insert(organizations).values([{ name: "a" }, { name: "b" }, { name: "c" }]),
      {
        sqlite: 'INSERT INTO "organizations" ("name") VALUES (?), (?), (?)',
        postgresql: 'INSERT INTO "organizations" ("name") VALUES ($1), ($2), ($3)',
        mysql: "INSERT INTO `organizations` (`name`) VALUES (?), (?), (?)",
      },
      ["a", "b", "c"],
    );
  });

  it("null is bound like any other value", () => {
    expectSql(
      insert(posts).values({ title: "t", body: null }),
      {
        sqlite: 'INSERT INTO "posts" ("title", "body") VALUES (?, ?)',
        postgresql: 'INSERT INTO "posts" ("title", "body") VALUES ($1, $2)',
        mysql: "INSERT INTO `posts` (`title`, `body`) VALUES (?, ?)",
      },
      ["t", null],
    );
  });

  it("fromSelect", () => {
    expectSql(
      insert(organizations).fromSelect(["name"], select(users.c.name).where(users.c.id.gt(1))),
      {
        sqlite: 'INSERT INTO "organizations" ("name") SELECT "users"."name" FROM "users" WHERE "users"."id" > ?',
        postgresql: 'INSERT INTO "organizations" ("name") SELECT "users"."name" FROM "users" WHERE "users"."id" > $1',
        mysql: "INSERT INTO `organizations` (`name`) SELECT `users`.`name` FROM `users` WHERE `users`.`id` > ?",
      },
      [1],
    );
  });

  it("returning (MariaDB has INSERT … RETURNING)", () => {
    expectSql(
      insert(organizations).values({ name: "a" }).returning(organizations.c.id, organizations.c.name.label("n")),
      {
        sqlite: 'INSERT INTO "organizations" ("name") VALUES (?) RETURNING "organizations"."id", "organizations"."name" AS "n"',
        postgresql: 'INSERT INTO "organizations" ("name") VALUES ($1) RETURNING "organizations"."id", "organizations"."name" AS "n"',
        mysql: "INSERT INTO `organizations` (`name`) VALUES (?) RETURNING `organizations`.`id`, `organizations`.`name` AS `n`",
      },
      ["a"],
    );
  });

  it("an INSERT of nothing but defaults", () => {
    expectSql(insert(organizations).returning(organizations.c.id), {
      sqlite: 'INSERT INTO "organizations" DEFAULT VALUES RETURNING "organizations"."id"',
      postgresql: 'INSERT INTO "organizations" DEFAULT VALUES RETURNING "organizations"."id"',
      mysql: "INSERT INTO `organizations` () VALUES () RETURNING `organizations`.`id`",
    });
  });

  it("onConflictDoNothing (PostgreSQL, SQLite)", () => {
    const stmt = insert(organizations).values({ id: 1, name: "a" }).onConflictDoNothing({ indexElements: ["id"] });
    expect(compileFor("sqlite", stmt)).toEqual({
      sql: 'INSERT INTO "organizations" ("id", "name") VALUES (?, ?) ON CONFLICT ("id") DO NOTHING',
      params: [1, "a"],
    });
    expect(compileFor("postgresql", stmt)).toEqual({
      sql: 'INSERT INTO "organizations" ("id", "name") VALUES ($1, $2) ON CONFLICT ("id") DO NOTHING',
      params: [1, "a"],
    });
    expect(compileFor("postgresql", insert(organizations).values({ name: "a" }).onConflictDoNothing()).sql).toBe(
      'INSERT INTO "organizations" ("name") VALUES ($1) ON CONFLICT DO NOTHING',
    );
    expect(() => compileFor("mysql", stmt)).toThrow(NotSupportedFeatureError);
  });

  it("onConflictDoUpdate with excluded() and WHERE (PostgreSQL, SQLite)", () => {
    const stmt = insert(organizations)
      .values({ id: 1, name: "a" })
      .onConflictDoUpdate({
        indexElements: ["id"],
        set: { name: excluded(organizations.c.name) },
        where: organizations.c.name.ne("keep"),
      });
    expect(compileFor("sqlite", stmt)).toEqual({
      sql: 'INSERT INTO "organizations" ("id", "name") VALUES (?, ?) ON CONFLICT ("id") DO UPDATE SET "name" = excluded."name" WHERE "organizations"."name" <> ?',
      params: [1, "a", "keep"],
    });
    expect(compileFor("postgresql", stmt)).toEqual({
      sql: 'INSERT INTO "organizations" ("id", "name") VALUES ($1, $2) ON CONFLICT ("id") DO UPDATE SET "name" = excluded."name" WHERE "organizations"."name" <> $3',
      params: [1, "a", "keep"],
    });
    expect(() => compileFor("mysql", stmt)).toThrow(NotSupportedFeatureError);
  });

  it("onDuplicateKeyUpdate (MySQL): excluded() is VALUES(col); PostgreSQL and SQLite raise", () => {
    const stmt = insert(organizations).values({ id: 1, name: "a" }).onDuplicateKeyUpdate({ name: excluded(organizations.c.name) });
    expect(compileFor("mysql", stmt)).toEqual({
      sql: "INSERT INTO `organizations` (`id`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`)",
      params: [1, "a"],
    });
    expect(compileFor("mysql", insert(organizations).values({ id: 1, name: "a" }).onDuplicateKeyUpdate({ name: "b" }))).toEqual({
      sql: "INSERT INTO `organizations` (`id`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `name` = ?",
      params: [1, "a", "b"],
    });
    expect(() => compileFor("sqlite", stmt)).toThrow(NotSupportedFeatureError);
    expect(() => compileFor("postgresql", stmt)).toThrow(NotSupportedFeatureError);
  });

  it("an unknown column is an ArgumentError", () => {
    expect(() => insert(users).values({ nope: 1 } as never)).toThrow(ArgumentError);
  });
});

describe("update", () => {
  it("SET … WHERE", () => {
    expectSql(
      update(users).where(users.c.id.eq(5)).values({ name: "bo", email: null }),
      {
        sqlite: 'UPDATE "users" SET "name"=?, "email"=? WHERE "users"."id" = ?',
        postgresql: 'UPDATE "users" SET "name"=$1, "email"=$2 WHERE "users"."id" = $3',
        mysql: "UPDATE `users` SET `name`=?, `email`=? WHERE `users`.`id` = ?",
      },
      ["bo", null, 5],
    );
  });

  it("SET from an expression of the row", () => {
    expectSql(
      update(users).values({ managerId: users.c.id.add(1) }),
      {
        sqlite: 'UPDATE "users" SET "manager_id"="users"."id" + ?',
        postgresql: 'UPDATE "users" SET "manager_id"="users"."id" + $1',
        mysql: "UPDATE `users` SET `manager_id`=`users`.`id` + ?",
      },
      [1],
    );
  });

  it("returning where the database has UPDATE … RETURNING; MariaDB raises", () => {
    const stmt = update(users).where(users.c.id.eq(5)).values({ name: "bo" }).returning(users.c.id, users.c.name);
    expect(compileFor("sqlite", stmt)).toEqual({
      sql: 'UPDATE "users" SET "name"=? WHERE "users"."id" = ? RETURNING "users"."id", "users"."name"',
      params: ["bo", 5],
    });
    expect(compileFor("postgresql", stmt)).toEqual({
      sql: 'UPDATE "users" SET "name"=$1 WHERE "users"."id" = $2 RETURNING "users"."id", "users"."name"',
      params: ["bo", 5],
    });
    expect(() => compileFor("mysql", stmt)).toThrow(NotSupportedFeatureError);
  });

  it("correlated subqueries in SET and WHERE refer to the updated table", () => {
    const orgName = select(organizations.c.name).where(organizations.c.id.eq(users.c.organizationId)).scalarSubquery();
    expectSql(
      update(users)
        .values({ email: orgName })
        .where(exists(select(posts.c.id).where(posts.c.authorId.eq(users.c.id), posts.c.title.eq("t")))),
      {
        sqlite: 'UPDATE "users" SET "email"=(SELECT "organizations"."name" FROM "organizations" WHERE "organizations"."id" = "users"."organization_id") WHERE EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."author_id" = "users"."id" AND "posts"."title" = ?)',
        postgresql: 'UPDATE "users" SET "email"=(SELECT "organizations"."name" FROM "organizations" WHERE "organizations"."id" = "users"."organization_id") WHERE EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."author_id" = "users"."id" AND "posts"."title" = $1)',
        mysql: "UPDATE `users` SET `email`=(SELECT `organizations`.`name` FROM `organizations` WHERE `organizations`.`id` = `users`.`organization_id`) WHERE EXISTS (SELECT `posts`.`id` FROM `posts` WHERE `posts`.`author_id` = `users`.`id` AND `posts`.`title` = ?)",
      },
      ["t"],
    );
  });

  it("a plain string as WHERE is an ArgumentError", () => {
    expect(() => update(users).where("id = 1" as never)).toThrow(ArgumentError);
  });
});

describe("delete", () => {
  it("WHERE and RETURNING (MariaDB has DELETE … RETURNING)", () => {
    expectSql(
      delete_(users).where(users.c.id.eq(5)).returning(users.c.id),
      {
        sqlite: 'DELETE FROM "users" WHERE "users"."id" = ? RETURNING "users"."id"',
        postgresql: 'DELETE FROM "users" WHERE "users"."id" = $1 RETURNING "users"."id"',
        mysql: "DELETE FROM `users` WHERE `users`.`id` = ? RETURNING `users`.`id`",
      },
      [5],
    );
  });

  it("a correlated subquery", () => {
    expectSql(
      delete_(users).where(exists(select(posts.c.id).where(posts.c.editorId.eq(users.c.id))), users.c.active.eq(false)),
      {
        sqlite: 'DELETE FROM "users" WHERE EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."editor_id" = "users"."id") AND "users"."active" = ?',
        postgresql: 'DELETE FROM "users" WHERE EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."editor_id" = "users"."id") AND "users"."active" = $1',
        mysql: "DELETE FROM `users` WHERE EXISTS (SELECT `posts`.`id` FROM `posts` WHERE `posts`.`editor_id` = `users`.`id`) AND `users`.`active` = ?",
      },
      [false],
    );
  });

  it("without WHERE", () => {
    expectSql(delete_(posts), { sqlite: 'DELETE FROM "posts"', postgresql: 'DELETE FROM "posts"', mysql: "DELETE FROM `posts`" });
  });

  it("MySQL 8 (no RETURNING at all) raises for INSERT/DELETE … RETURNING", () => {
    const mysql8 = new MysqlDialect({ variant: "mysql" });
    expect(() => compileFor(mysql8, delete_(users).returning(users.c.id))).toThrow(NotSupportedFeatureError);
    expect(() => compileFor(mysql8, insert(organizations).values({ name: "a" }).returning(organizations.c.id))).toThrow(
      NotSupportedFeatureError,
    );
    expect(compileFor(mysql8, select(users.c.id).forUpdate({ read: true, of: [users] })).sql).toBe(
      "SELECT `users`.`id` FROM `users` FOR SHARE OF `users`",
    );
  });
});
