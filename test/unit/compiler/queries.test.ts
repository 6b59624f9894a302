import { describe, expect, it } from "vitest";
import { ArgumentError, NotSupportedFeatureError } from "../../../src/shared/errors.ts";
import { alias } from "../../../src/core/sql/alias.ts";
import { exists, literal } from "../../../src/core/sql/elements.ts";
import { func } from "../../../src/core/sql/functions.ts";
import { except, select, union, unionAll } from "../../../src/core/sql/select.ts";
import { compileFor, expectSql } from "./compile-for.ts";
import { organizations, posts, users } from "./fixture.ts";

describe("aliases, subqueries and CTEs", () => {
  it("an alias joins a table to itself", () => {
    const manager = alias(users, "manager");
    expectSql(select(users.c.name, manager.c.name.label("boss")).join(manager, users.c.managerId.eq(manager.c.id)), {
      sqlite: 'SELECT "users"."name", "manager"."name" AS "boss" FROM "users" JOIN "users" AS "manager" ON "users"."manager_id" = "manager"."id"',
      postgresql: 'SELECT "users"."name", "manager"."name" AS "boss" FROM "users" JOIN "users" AS "manager" ON "users"."manager_id" = "manager"."id"',
      mysql: "SELECT `users`.`name`, `manager`.`name` AS `boss` FROM `users` JOIN `users` AS `manager` ON `users`.`manager_id` = `manager`.`id`",
    });
  });

  it("exists() correlates to the enclosing query", () => {
    expectSql(
      select(users.c.id).where(exists(select(posts.c.id).where(posts.c.authorId.eq(users.c.id), posts.c.title.eq("t")))),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."author_id" = "users"."id" AND "posts"."title" = ?)',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."author_id" = "users"."id" AND "posts"."title" = $1)',
        mysql: "SELECT `users`.`id` FROM `users` WHERE EXISTS (SELECT `posts`.`id` FROM `posts` WHERE `posts`.`author_id` = `users`.`id` AND `posts`.`title` = ?)",
      },
      ["t"],
    );
  });

  it("a scalar subquery in the select list", () => {
    const postCount = select(func.count()).selectFrom(posts).where(posts.c.authorId.eq(users.c.id)).scalarSubquery();
    expectSql(select(users.c.name, postCount.label("n")), {
      sqlite: 'SELECT "users"."name", (SELECT count(*) AS "count" FROM "posts" WHERE "posts"."author_id" = "users"."id") AS "n" FROM "users"',
      postgresql: 'SELECT "users"."name", (SELECT count(*) AS "count" FROM "posts" WHERE "posts"."author_id" = "users"."id") AS "n" FROM "users"',
      mysql: "SELECT `users`.`name`, (SELECT count(*) AS `count` FROM `posts` WHERE `posts`.`author_id` = `users`.`id`) AS `n` FROM `users`",
    });
  });

  it("subquery() is a FROM item with its own columns", () => {
    const counts = select(posts.c.authorId, func.count().label("n")).groupBy(posts.c.authorId).subquery("counts");
    expectSql(
      select(users.c.name, counts.c.n).join(counts, users.c.id.eq(counts.c.authorId)).where(counts.c.n.gt(2)),
      {
        sqlite: 'SELECT "users"."name", "counts"."n" FROM "users" JOIN (SELECT "posts"."author_id", count(*) AS "n" FROM "posts" GROUP BY "posts"."author_id") AS "counts" ON "users"."id" = "counts"."author_id" WHERE "counts"."n" > ?',
        postgresql: 'SELECT "users"."name", "counts"."n" FROM "users" JOIN (SELECT "posts"."author_id", count(*) AS "n" FROM "posts" GROUP BY "posts"."author_id") AS "counts" ON "users"."id" = "counts"."author_id" WHERE "counts"."n" > $1',
        mysql: "SELECT `users`.`name`, `counts`.`n` FROM `users` JOIN (SELECT `posts`.`author_id`, count(*) AS `n` FROM `posts` GROUP BY `posts`.`author_id`) AS `counts` ON `users`.`id` = `counts`.`author_id` WHERE `counts`.`n` > ?",
      },
      [2],
    );
  });

  it("a CTE is rendered once in WITH, and its parameters come first", () => {
    const top = select(posts.c.authorId).where(posts.c.score.gt("1.5")).cte("top");
    expectSql(
      select(users.c.name).where(users.c.name.ne("x"), users.c.id.in(select(top.c.authorId))),
      {
        sqlite: 'WITH "top" AS (SELECT "posts"."author_id" FROM "posts" WHERE "posts"."score" > ?) SELECT "users"."name" FROM "users" WHERE "users"."name" <> ? AND "users"."id" IN (SELECT "top"."author_id" FROM "top")',
        postgresql: 'WITH "top" AS (SELECT "posts"."author_id" FROM "posts" WHERE "posts"."score" > $1) SELECT "users"."name" FROM "users" WHERE "users"."name" <> $2 AND "users"."id" IN (SELECT "top"."author_id" FROM "top")',
        mysql: "WITH `top` AS (SELECT `posts`.`author_id` FROM `posts` WHERE `posts`.`score` > ?) SELECT `users`.`name` FROM `users` WHERE `users`.`name` <> ? AND `users`.`id` IN (SELECT `top`.`author_id` FROM `top`)",
      },
      ["1.5", "x"],
    );
  });

  it("a recursive CTE", () => {
    const anchor = select(users.c.id, users.c.managerId).where(users.c.id.eq(1)).cte("chain", { recursive: true });
    const chain = anchor.unionAll(select(users.c.id, users.c.managerId).join(anchor, users.c.managerId.eq(anchor.c.id)));
    expectSql(
      select(chain.c.id).selectFrom(chain),
      {
        sqlite: 'WITH RECURSIVE "chain" AS (SELECT "users"."id", "users"."manager_id" FROM "users" WHERE "users"."id" = ? UNION ALL SELECT "users"."id", "users"."manager_id" FROM "users" JOIN "chain" ON "users"."manager_id" = "chain"."id") SELECT "chain"."id" FROM "chain"',
        postgresql: 'WITH RECURSIVE "chain" AS (SELECT "users"."id", "users"."manager_id" FROM "users" WHERE "users"."id" = $1 UNION ALL SELECT "users"."id", "users"."manager_id" FROM "users" JOIN "chain" ON "users"."manager_id" = "chain"."id") SELECT "chain"."id" FROM "chain"',
        mysql: "WITH RECURSIVE `chain` AS (SELECT `users`.`id`, `users`.`manager_id` FROM `users` WHERE `users`.`id` = ? UNION ALL SELECT `users`.`id`, `users`.`manager_id` FROM `users` JOIN `chain` ON `users`.`manager_id` = `chain`.`id`) SELECT `chain`.`id` FROM `chain`",
      },
      [1],
    );
  });

  it("a recursive CTE counting from a literal (PostgreSQL types the anchor's value)", () => {
    const start = select(literal(1).label("n")).cte("cnt", { recursive: true });
    const cnt = start.unionAll(select(start.c.n.add(1)).where(start.c.n.lt(5)));
    expectSql(
      select(cnt.c.n).selectFrom(cnt),
      {
        sqlite: 'WITH RECURSIVE "cnt" AS (SELECT ? AS "n" UNION ALL SELECT "cnt"."n" + ? AS "anon_1" FROM "cnt" WHERE "cnt"."n" < ?) SELECT "cnt"."n" FROM "cnt"',
        postgresql: 'WITH RECURSIVE "cnt" AS (SELECT $1::BIGINT AS "n" UNION ALL SELECT "cnt"."n" + $2 AS "anon_1" FROM "cnt" WHERE "cnt"."n" < $3) SELECT "cnt"."n" FROM "cnt"',
        mysql: "WITH RECURSIVE `cnt` AS (SELECT ? AS `n` UNION ALL SELECT `cnt`.`n` + ? AS `anon_1` FROM `cnt` WHERE `cnt`.`n` < ?) SELECT `cnt`.`n` FROM `cnt`",
      },
      [1, 1, 5],
    );
  });
});

describe("compound selects", () => {
  it("union with ORDER BY / LIMIT on the whole: ORDER BY names result columns", () => {
    expectSql(
      union(select(users.c.id).where(users.c.id.eq(1)), select(posts.c.id)).orderBy(users.c.id.desc()).limit(5),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."id" = ? UNION SELECT "posts"."id" FROM "posts" ORDER BY "id" DESC LIMIT ?',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."id" = $1 UNION SELECT "posts"."id" FROM "posts" ORDER BY "id" DESC LIMIT $2',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`id` = ? UNION SELECT `posts`.`id` FROM `posts` ORDER BY `id` DESC LIMIT ?",
      },
      [1, 5],
    );
  });

  it("a compound ORDER BY on a labelled column uses the label", () => {
    expectSql(select(users.c.id.label("x")).union(select(posts.c.id)).orderBy(users.c.id), {
      sqlite: 'SELECT "users"."id" AS "x" FROM "users" UNION SELECT "posts"."id" FROM "posts" ORDER BY "x"',
      postgresql: 'SELECT "users"."id" AS "x" FROM "users" UNION SELECT "posts"."id" FROM "posts" ORDER BY "x"',
      mysql: "SELECT `users`.`id` AS `x` FROM `users` UNION SELECT `posts`.`id` FROM `posts` ORDER BY `x`",
    });
  });

  it("unionAll with a member that has its own ORDER BY / LIMIT: SQLite wraps it in SELECT * FROM (…)", () => {
    expectSql(
      unionAll(select(users.c.id).orderBy(users.c.id).limit(1), select(posts.c.id)),
      {
        sqlite: 'SELECT * FROM (SELECT "users"."id" FROM "users" ORDER BY "users"."id" LIMIT ?) UNION ALL SELECT "posts"."id" FROM "posts"',
        postgresql: '(SELECT "users"."id" FROM "users" ORDER BY "users"."id" LIMIT $1) UNION ALL SELECT "posts"."id" FROM "posts"',
        mysql: "(SELECT `users`.`id` FROM `users` ORDER BY `users`.`id` LIMIT ?) UNION ALL SELECT `posts`.`id` FROM `posts`",
      },
      [1],
    );
  });

  it("except and intersect, nested", () => {
    expectSql(union(select(users.c.id), except(select(posts.c.id), select(posts.c.authorId.label("id")))), {
      sqlite: 'SELECT "users"."id" FROM "users" UNION SELECT * FROM (SELECT "posts"."id" FROM "posts" EXCEPT SELECT "posts"."author_id" AS "id" FROM "posts")',
      postgresql: 'SELECT "users"."id" FROM "users" UNION (SELECT "posts"."id" FROM "posts" EXCEPT SELECT "posts"."author_id" AS "id" FROM "posts")',
      mysql: "SELECT `users`.`id` FROM `users` UNION (SELECT `posts`.`id` FROM `posts` EXCEPT SELECT `posts`.`author_id` AS `id` FROM `posts`)",
    });
    expectSql(select(users.c.id).intersect(select(posts.c.authorId)), {
      sqlite: 'SELECT "users"."id" FROM "users" INTERSECT SELECT "posts"."author_id" FROM "posts"',
      postgresql: 'SELECT "users"."id" FROM "users" INTERSECT SELECT "posts"."author_id" FROM "posts"',
      mysql: "SELECT `users`.`id` FROM `users` INTERSECT SELECT `posts`.`author_id` FROM `posts`",
    });
    expectSql(select(users.c.id).except(select(posts.c.authorId)), {
      sqlite: 'SELECT "users"."id" FROM "users" EXCEPT SELECT "posts"."author_id" FROM "posts"',
      postgresql: 'SELECT "users"."id" FROM "users" EXCEPT SELECT "posts"."author_id" FROM "posts"',
      mysql: "SELECT `users`.`id` FROM `users` EXCEPT SELECT `posts`.`author_id` FROM `posts`",
    });
  });
});

describe("joins", () => {
  it("join infers ON from the one foreign key between the tables", () => {
    expectSql(select(users.c.name, organizations.c.name).join(organizations), {
      sqlite: 'SELECT "users"."name", "organizations"."name" AS "name_1" FROM "users" JOIN "organizations" ON "users"."organization_id" = "organizations"."id"',
      postgresql: 'SELECT "users"."name", "organizations"."name" AS "name_1" FROM "users" JOIN "organizations" ON "users"."organization_id" = "organizations"."id"',
      mysql: "SELECT `users`.`name`, `organizations`.`name` AS `name_1` FROM `users` JOIN `organizations` ON `users`.`organization_id` = `organizations`.`id`",
    });
  });

  it("outerjoin, in the other direction of the foreign key", () => {
    expectSql(select(organizations.c.name, users.c.name.label("member")).outerjoin(users), {
      sqlite: 'SELECT "organizations"."name", "users"."name" AS "member" FROM "organizations" LEFT OUTER JOIN "users" ON "users"."organization_id" = "organizations"."id"',
      postgresql: 'SELECT "organizations"."name", "users"."name" AS "member" FROM "organizations" LEFT OUTER JOIN "users" ON "users"."organization_id" = "organizations"."id"',
      mysql: "SELECT `organizations`.`name`, `users`.`name` AS `member` FROM `organizations` LEFT OUTER JOIN `users` ON `users`.`organization_id` = `organizations`.`id`",
    });
  });

  it("a chain of joins with explicit ON", () => {
    expectSql(
      select(posts.c.title, users.c.name, organizations.c.name.label("org"))
        .join(users, posts.c.authorId.eq(users.c.id))
        .join(organizations),
      {
        sqlite: 'SELECT "posts"."title", "users"."name", "organizations"."name" AS "org" FROM "posts" JOIN "users" ON "posts"."author_id" = "users"."id" JOIN "organizations" ON "users"."organization_id" = "organizations"."id"',
        postgresql: 'SELECT "posts"."title", "users"."name", "organizations"."name" AS "org" FROM "posts" JOIN "users" ON "posts"."author_id" = "users"."id" JOIN "organizations" ON "users"."organization_id" = "organizations"."id"',
        mysql: "SELECT `posts`.`title`, `users`.`name`, `organizations`.`name` AS `org` FROM `posts` JOIN `users` ON `posts`.`author_id` = `users`.`id` JOIN `organizations` ON `users`.`organization_id` = `organizations`.`id`",
      },
    );
  });

  it("an ambiguous join (two foreign keys) or one with none is an ArgumentError", () => {
    expect(() => select(users.c.name).join(posts)).toThrow(ArgumentError);
    expect(() => select(users.c.name).join(posts)).toThrow(/more than one foreign key/);
    expect(() => select(posts.c.id).join(organizations)).toThrow(/Can't find any foreign key/);
  });

  it("FULL OUTER JOIN where the database has it; MySQL raises NotSupportedFeatureError", () => {
    const stmt = select(organizations.c.name, users.c.name.label("member")).outerjoin(users, undefined, { full: true });
    const full = '"organizations"."name", "users"."name" AS "member" FROM "organizations" FULL OUTER JOIN "users" ON "users"."organization_id" = "organizations"."id"';
    expect(compileFor("sqlite", stmt).sql).toBe(`SELECT ${full}`);
    expect(compileFor("postgresql", stmt).sql).toBe(`SELECT ${full}`);
    expect(() => compileFor("mysql", stmt)).toThrow(NotSupportedFeatureError);
  });
});

describe("ORDER BY, LIMIT, GROUP BY, DISTINCT", () => {
  it("asc / desc / nullsFirst / nullsLast; MySQL emulates NULLS FIRST/LAST with an IS NULL key", () => {
    expectSql(select(users.c.id).orderBy(users.c.name, users.c.name.asc(), users.c.email.desc().nullsFirst(), users.c.id.asc().nullsLast()), {
      sqlite: 'SELECT "users"."id" FROM "users" ORDER BY "users"."name", "users"."name" ASC, "users"."email" DESC NULLS FIRST, "users"."id" ASC NULLS LAST',
      postgresql: 'SELECT "users"."id" FROM "users" ORDER BY "users"."name", "users"."name" ASC, "users"."email" DESC NULLS FIRST, "users"."id" ASC NULLS LAST',
      mysql: "SELECT `users`.`id` FROM `users` ORDER BY `users`.`name`, `users`.`name` ASC, `users`.`email` IS NULL DESC, `users`.`email` DESC, `users`.`id` IS NULL ASC, `users`.`id` ASC",
    });
  });

  it("limit and offset are bound parameters", () => {
    expectSql(
      select(users.c.id).limit(10).offset(20),
      {
        sqlite: 'SELECT "users"."id" FROM "users" LIMIT ? OFFSET ?',
        postgresql: 'SELECT "users"."id" FROM "users" LIMIT $1 OFFSET $2',
        mysql: "SELECT `users`.`id` FROM `users` LIMIT ? OFFSET ?",
      },
      [10, 20],
    );
    expectSql(select(users.c.id).limit(0), { sqlite: 'SELECT "users"."id" FROM "users" LIMIT ?', postgresql: 'SELECT "users"."id" FROM "users" LIMIT $1', mysql: "SELECT `users`.`id` FROM `users` LIMIT ?" }, [0]);
  });

  it("offset without limit: LIMIT -1 on SQLite, MySQL's largest LIMIT", () => {
    expectSql(
      select(users.c.id).offset(20),
      {
        sqlite: 'SELECT "users"."id" FROM "users" LIMIT -1 OFFSET ?',
        postgresql: 'SELECT "users"."id" FROM "users" OFFSET $1',
        mysql: "SELECT `users`.`id` FROM `users` LIMIT 18446744073709551615 OFFSET ?",
      },
      [20],
    );
  });

  it("a negative or non-integer limit/offset is an ArgumentError", () => {
    expect(() => select(users.c.id).limit(-1)).toThrow(ArgumentError);
    expect(() => select(users.c.id).limit(1.5)).toThrow(ArgumentError);
    expect(() => select(users.c.id).offset(-3)).toThrow(ArgumentError);
    expect(() => select(users.c.id).offset(Number.NaN)).toThrow(ArgumentError);
    expect(() => select(users.c.id).limit("1" as unknown as number)).toThrow(ArgumentError);
    expect(() => union(select(users.c.id), select(posts.c.id)).limit(-1)).toThrow(ArgumentError);
  });

  it("groupBy, having, distinct", () => {
    expectSql(
      select(users.c.organizationId, func.count().label("n")).groupBy(users.c.organizationId).having(func.count().gt(1)).distinct(),
      {
        sqlite: 'SELECT DISTINCT "users"."organization_id", count(*) AS "n" FROM "users" GROUP BY "users"."organization_id" HAVING count(*) > ?',
        postgresql: 'SELECT DISTINCT "users"."organization_id", count(*) AS "n" FROM "users" GROUP BY "users"."organization_id" HAVING count(*) > $1',
        mysql: "SELECT DISTINCT `users`.`organization_id`, count(*) AS `n` FROM `users` GROUP BY `users`.`organization_id` HAVING count(*) > ?",
      },
      [1],
    );
  });
});

describe("FOR UPDATE", () => {
  it("renders on PostgreSQL and MySQL; SQLite has no row locks and leaves it out", () => {
    expectSql(
      select(users.c.id).where(users.c.id.eq(1)).forUpdate(),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."id" = ?',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."id" = $1 FOR UPDATE',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`id` = ? FOR UPDATE",
      },
      [1],
    );
  });

  it("read locks, OF, NOWAIT, SKIP LOCKED (MariaDB: LOCK IN SHARE MODE, no OF)", () => {
    expectSql(select(users.c.id).forUpdate({ read: true, nowait: true, of: [users] }), {
      sqlite: 'SELECT "users"."id" FROM "users"',
      postgresql: 'SELECT "users"."id" FROM "users" FOR SHARE OF "users" NOWAIT',
      mysql: "SELECT `users`.`id` FROM `users` LOCK IN SHARE MODE NOWAIT",
    });
    expectSql(select(users.c.id).forUpdate({ skipLocked: true }), {
      sqlite: 'SELECT "users"."id" FROM "users"',
      postgresql: 'SELECT "users"."id" FROM "users" FOR UPDATE SKIP LOCKED',
      mysql: "SELECT `users`.`id` FROM `users` FOR UPDATE SKIP LOCKED",
    });
  });
});

describe("SQL text is never accepted as a plain string", () => {
  it("where(), having(), select() and orderBy() reject strings with an ArgumentError pointing at text()", () => {
    const injected = "id = 1; DROP TABLE users; --" as unknown as never;
    expect(() => select(users.c.id).where(injected)).toThrow(ArgumentError);
    expect(() => select(users.c.id).where(injected)).toThrow(/text\(\)/);
    expect(() => select(users.c.id).having(injected)).toThrow(ArgumentError);
    expect(() => select(injected)).toThrow(ArgumentError);
    expect(() => select(users.c.id).orderBy(injected)).toThrow(ArgumentError);
  });

  it("values that look like SQL are bound, never spliced", () => {
    const payload = "'; DROP TABLE users; --";
    expectSql(
      select(users.c.id).where(users.c.name.eq(payload)),
      {
        sqlite: 'SELECT "users"."id" FROM "users" WHERE "users"."name" = ?',
        postgresql: 'SELECT "users"."id" FROM "users" WHERE "users"."name" = $1',
        mysql: "SELECT `users`.`id` FROM `users` WHERE `users`.`name` = ?",
      },
      [payload],
    );
  });
});
