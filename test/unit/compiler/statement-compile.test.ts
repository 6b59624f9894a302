import { describe, expect, it } from "vitest";
import {
  ArgumentError,
  BooleanType,
  DateTime,
  Integer,
  LargeBinary,
  Json,
  StringType,
  bindparam,
  delete_,
  insert,
  literal,
  select,
  text,
  union,
  update,
} from "../../../src/index.ts";
import { renderLiteral } from "../../../src/core/compiler/literal-renderer.ts";
import { dialects } from "./compile-for.ts";
import { users } from "./fixture.ts";

const byId = select(users.c.id, users.c.name).where(users.c.name.eq("ann"), users.c.id.gt(5)).limit(3);

describe("statement.compile() and String(statement)", () => {
  it("without a dialect: generic SQL with :param_n placeholders, the values in order", () => {
    const compiled = byId.compile();
    expect(compiled.sql).toBe(
      'SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."name" = :param_1 AND "users"."id" > :param_2 LIMIT :param_3',
    );
    expect(compiled.params).toEqual(["ann", 5, 3]);
    expect(String(compiled)).toBe(compiled.sql);
    expect(String(byId)).toBe(compiled.sql);
    expect(`${byId}`).toBe(compiled.sql);
  });

  it("named parameters keep their names (bindparam, text)", () => {
    const stmt = update(users).values({ name: "x" }).where(users.c.id.eq(bindparam("id", Integer)));
    expect(String(stmt)).toBe('UPDATE "users" SET "name"=:param_1 WHERE "users"."id" = :id');
    expect(stmt.compile().params).toEqual(["x", undefined]);
    expect(String(text("SELECT * FROM t WHERE a = :a AND b = ':b'"))).toBe("SELECT * FROM t WHERE a = :a AND b = ':b'");
  });

  it("every statement kind has compile() and toString()", () => {
    expect(String(insert(users).values({ name: "ann", email: "a@x" }))).toBe(
      'INSERT INTO "users" ("name", "email", "active") VALUES (:param_1, :param_2, :param_3)',
    );
    expect(String(delete_(users).where(users.c.id.eq(2)))).toBe('DELETE FROM "users" WHERE "users"."id" = :param_1');
    expect(String(union(select(users.c.id), select(users.c.id).where(users.c.id.eq(2))))).toBe(
      'SELECT "users"."id" FROM "users" UNION SELECT "users"."id" FROM "users" WHERE "users"."id" = :param_1',
    );
  });

  it("with a dialect (by name or object): exactly the SQL the engine executes, from the same cache", () => {
    const expected = {
      sqlite: 'SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."name" = ? AND "users"."id" > ? LIMIT ?',
      postgresql: 'SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."name" = $1 AND "users"."id" > $2 LIMIT $3',
      mysql: "SELECT `users`.`id`, `users`.`name` FROM `users` WHERE `users`.`name` = ? AND `users`.`id` > ? LIMIT ?",
    };
    for (const name of ["sqlite", "postgresql", "mysql"] as const) {
      expect(byId.compile({ dialect: name }).sql).toBe(expected[name]);
      const compiled = byId.compile({ dialect: dialects[name] });
      expect(compiled.sql).toBe(expected[name]);
      expect(compiled.params).toEqual(["ann", 5, 3]);
      expect(compiled.sql).toBe(dialects[name].compiler.compile(byId.node).compiled.sql);
    }
  });

  it("a dialect that is not one is refused", () => {
    expect(() => byId.compile({ dialect: { name: "sqlite" } })).toThrow(ArgumentError);
  });
});

describe("literalBinds", () => {
  const hostile = select(literal("it's").label("a"), literal("back\\slash'; DROP TABLE users; --").label("b"));

  it("writes values as each dialect's literals; with literalBinds there are no parameters", () => {
    const compiled = byId.compile({ literalBinds: true });
    expect(compiled.sql).toBe(`SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."name" = 'ann' AND "users"."id" > 5 LIMIT 3`);
    expect(compiled.params).toEqual([]);
    expect(byId.compile({ dialect: "mysql", literalBinds: true }).sql).toBe(
      "SELECT `users`.`id`, `users`.`name` FROM `users` WHERE `users`.`name` = 'ann' AND `users`.`id` > 5 LIMIT 3",
    );
  });

  it("quotes are doubled; backslashes are doubled only where they escape (MySQL)", () => {
    expect(hostile.compile({ dialect: "sqlite", literalBinds: true }).sql).toBe(
      `SELECT 'it''s' AS "a", 'back\\slash''; DROP TABLE users; --' AS "b"`,
    );
    expect(hostile.compile({ dialect: "postgresql", literalBinds: true }).sql).toBe(
      `SELECT 'it''s'::TEXT AS "a", 'back\\slash''; DROP TABLE users; --'::TEXT AS "b"`,
    );
    expect(hostile.compile({ dialect: "mysql", literalBinds: true }).sql).toBe(
      "SELECT 'it''s' AS `a`, 'back\\\\slash''; DROP TABLE users; --' AS `b`",
    );
  });

  it("a string ending in a backslash cannot escape its closing quote on MySQL", () => {
    const sql = select(literal("x\\").label("a")).compile({ dialect: "mysql", literalBinds: true }).sql;
    expect(sql).toBe("SELECT 'x\\\\' AS `a`");
  });

  it("values go through the dialect's bind processing first: booleans, dates, JSON", () => {
    const stmt = select(
      literal(true, BooleanType).label("t"),
      literal(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), DateTime()).label("d"),
      literal({ a: "b'" }, Json()).label("j"),
    );
    expect(stmt.compile({ dialect: "sqlite", literalBinds: true }).sql).toBe(
      `SELECT 1 AS "t", '2024-01-02 03:04:05.000' AS "d", '{"a":"b''"}' AS "j"`,
    );
    expect(stmt.compile({ dialect: "postgresql", literalBinds: true }).sql).toBe(
      `SELECT true::BOOLEAN AS "t", '2024-01-02T03:04:05.000Z'::TIMESTAMP WITHOUT TIME ZONE AS "d", '{"a":"b''"}'::JSON AS "j"`,
    );
  });

  it("negative numbers are parenthesised (so `- -1` never becomes a `--` comment); NULL is NULL", () => {
    const stmt = select(users.c.id).where(users.c.id.eq(-1), users.c.email.isNull());
    expect(stmt.compile({ literalBinds: true }).sql).toBe(`SELECT "users"."id" FROM "users" WHERE "users"."id" = (-1) AND "users"."email" IS NULL`);
  });

  it("refuses what it cannot write safely: bytes, objects, NUL, NaN, a parameter without a value", () => {
    const refuse = (stmt: { compile(o: object): unknown }) => expect(() => stmt.compile({ literalBinds: true })).toThrow(ArgumentError);
    refuse(select(literal(new Uint8Array([1, 2]), LargeBinary).label("b")));
    refuse(select(literal("a\u0000b").label("n")));
    refuse(select(users.c.id).where(users.c.id.eq(bindparam("id", Integer))));
    expect(() => select(literal("a\u0000b").label("n")).compile({ dialect: "mysql", literalBinds: true })).toThrow(/NUL/);
    expect(() => renderLiteral({ a: 1 }, Json(), { backslashEscapes: false })).toThrow(/Don't know how to render literal SQL value/);
    expect(() => renderLiteral(Number.NaN, Integer, { backslashEscapes: false })).toThrow(ArgumentError);
    expect(() => renderLiteral(new Uint8Array(2), LargeBinary, { backslashEscapes: false })).toThrow("<2 bytes>");
  });

  it("numeric text of a numeric type is written bare (PostgreSQL and MySQL bind BIGINT as text)", () => {
    expect(renderLiteral("9007199254740993", Integer, { backslashEscapes: false })).toBe("9007199254740993");
    expect(renderLiteral("12", StringType(), { backslashEscapes: false })).toBe("'12'");
  });

  it("never touches the execution path: the dialect's cached compilation keeps its placeholders", () => {
    const stmt = select(users.c.id).where(users.c.name.eq("zed-literal"));
    stmt.compile({ dialect: "sqlite", literalBinds: true });
    expect(dialects.sqlite.compiler.compile(stmt.node).compiled.sql).toBe('SELECT "users"."id" FROM "users" WHERE "users"."name" = ?');
  });
});

describe("ORM select compile()", () => {
  it("shows the statement the ORM executes, joinedload's eager join included", async () => {
    const { defineSeedModels } = await import("../../../examples/seed-models.ts");
    const { joinedload, select: ormSelect } = await import("../../../src/index.ts");
    const { User } = defineSeedModels();
    const plain = ormSelect(User).where(User.id.eq(1));
    expect(String(plain)).toMatch(/^SELECT "users"\."id", .* FROM "users" WHERE "users"\."id" = :param_1$/);
    const eager = plain.options(joinedload(User.organization));
    expect(String(eager)).toMatch(/ LEFT OUTER JOIN "organizations" AS "organizations_1" ON /);
    expect(eager.compile({ dialect: "sqlite" }).sql).toContain("LEFT OUTER JOIN");
  });
});
