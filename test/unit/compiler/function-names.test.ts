import { describe, expect, it } from "vitest";
import { MysqlDialect } from "../../../src/core/dialects/mysql/index.ts";
import { PostgresqlDialect } from "../../../src/core/dialects/postgresql/index.ts";
import { SqliteDialect } from "../../../src/core/dialects/sqlite/index.ts";
import { ArgumentError, Column, Integer, MetaData, Table, func, literalColumn, select } from "../../../src/index.ts";

const dialects = [new SqliteDialect(), new PostgresqlDialect(), new MysqlDialect()];
const sqlOf = (dialect: (typeof dialects)[number], stmt: { node: never } | { readonly node: unknown }) =>
  dialect.compiler.compile((stmt as { node: never }).node).compiled.sql;

describe("function names and identifiers are never SQL of their own", () => {
  it("a function name that is not a plain identifier is quoted, so it cannot read another table", () => {
    const leak = "(SELECT secret FROM t) AS leak, lower";
    // Before: SELECT (SELECT secret FROM t) AS leak, lower(?) AS "f"
    expect(sqlOf(dialects[0]!, select(func[leak]!(literalColumn("1")).label("f")))).toBe(`SELECT "${leak}"(1) AS "f"`);
    expect(sqlOf(dialects[1]!, select(func[leak]!(literalColumn("1")).label("f")))).toBe(`SELECT "${leak}"(1) AS "f"`);
    expect(sqlOf(dialects[2]!, select(func[leak]!(literalColumn("1")).label("f")))).toBe(`SELECT \`${leak}\`(1) AS \`f\``);
  });

  it("plain names stay bare (the database's case rules apply); reserved words and other characters are quoted", () => {
    const postgresql = dialects[1]!;
    const render = (name: string) => sqlOf(postgresql, select(func[name]!(literalColumn("1")).label("f"))).replace(' AS "f"', "");
    expect(render("lower")).toBe("SELECT lower(1)");
    expect(render("myFunc")).toBe("SELECT myFunc(1)");
    expect(render("json_extract")).toBe("SELECT json_extract(1)");
    expect(render("select")).toBe('SELECT "select"(1)');
    // Reserved, but called like functions (MySQL LEFT/RIGHT/INSERT, PostgreSQL ANY/ARRAY): bare.
    for (const name of ["left", "right", "insert", "values", "any", "array", "exists"]) expect(render(name)).toBe(`SELECT ${name}(1)`);
    expect(render("Ünïcødé")).toBe('SELECT "Ünïcødé"(1)');
    expect(render("a'b")).toBe(`SELECT "a'b"(1)`);
    expect(render("dot.s")).toBe('SELECT "dot.s"(1)');
    expect(sqlOf(postgresql, select(func.count().label("f")))).toBe('SELECT count(*) AS "f"');
  });

  it("a function name with a NUL or an identifier quote character is refused with ArgumentError when built", () => {
    for (const name of ["a\u0000b", `x" (1); DROP TABLE t; --`, "x` (1); DROP TABLE t; --", 'a""b']) {
      expect(() => func[name]!("x")).toThrow(ArgumentError);
    }
  });

  it("any identifier with a NUL character is refused with ArgumentError instead of reaching the server", () => {
    const metadata = new MetaData();
    const table = new Table("t\u0000x", metadata, { id: Column(Integer, { primaryKey: true }) });
    const column = new Table("t", new MetaData(), { id: Column(Integer, { primaryKey: true, name: "i\u0000d" }) });
    for (const dialect of dialects) {
      expect(() => sqlOf(dialect, select(table.c.id))).toThrow(ArgumentError);
      expect(() => sqlOf(dialect, select(column.c.id))).toThrow(ArgumentError);
      expect(() => sqlOf(dialect, select(column.c.id.label("a\u0000b")))).toThrow(ArgumentError);
    }
  });
});
