import { describe, expect, it } from "vitest";
import { PostgresqlDialect } from "../../../src/core/dialects/postgresql/postgresql-dialect.ts";
import { prepareStatement } from "../../../src/core/engine/prepared-statement.ts";
import { Column, MetaData, Table } from "../../../src/core/schema/index.ts";
import { all_, any_ } from "../../../src/core/sql/elements.ts";
import { select } from "../../../src/core/sql/select.ts";
import { ARRAY, Integer, Json, StringType } from "../../../src/core/types/index.ts";
import { formatPostgresArray, parsePostgresArray } from "../../../src/core/types/postgres-array-text.ts";
import { ArgumentError, NotSupportedFeatureError } from "../../../src/shared/errors.ts";
import { mysqlDdl, postgresqlDdl, sqliteDdl } from "../ddl/ddl-dialects.ts";

const posts = new Table("posts", new MetaData(), {
  id: Column(Integer, { primaryKey: true }),
  tags: Column(ARRAY(StringType(20))),
  grid: Column(ARRAY(Integer, { dimensions: 2 })),
  meta: Column(Json<unknown>()),
});

describe("PostgreSQL ARRAY", () => {
  it("DDL: item type with [] per dimension; other databases refuse it, naming the column", () => {
    expect(postgresqlDdl().createTable(posts, new Set())[0]).toContain(`  "tags" VARCHAR(20)[],\n  "grid" INTEGER[][],\n`);
    expect(() => sqliteDdl().createTable(posts, new Set())).toThrow(NotSupportedFeatureError);
    expect(() => mysqlDdl().createTable(posts, new Set())).toThrow(/posts\.tags is an ARRAY/);
  });

  it("operators: @> (contains), <@ (containedBy), && (overlap), [i] (getItem), = ANY / > ALL; arrays bound as array literals", () => {
    const statement = select(posts.c.id, posts.c.tags.getItem(1).label("first"))
      .where(posts.c.tags.contains(["sql", 'a "quoted", one']))
      .where(posts.c.tags.containedBy(["sql", "orm", "x"]))
      .where(posts.c.tags.overlap(["orm"]))
      .where(posts.c.tags.getItem(2).eq(any_(posts.c.tags)))
      .where(posts.c.id.gt(all_(posts.c.grid)));
    const { sql, params } = prepareStatement(new PostgresqlDialect(), statement.node);
    expect(sql).toBe(
      'SELECT "posts"."id", "posts"."tags"[$1] AS "first" FROM "posts" WHERE "posts"."tags" @> $2 AND "posts"."tags" <@ $3 ' +
        'AND "posts"."tags" && $4 AND "posts"."tags"[$5] = ANY ("posts"."tags") AND "posts"."id" > ALL ("posts"."grid")',
    );
    expect(params).toEqual([1, '{"sql","a \\"quoted\\", one"}', '{"sql","orm","x"}', '{"orm"}', 2]);
    expect(posts.c.grid.getItem(1).type.kind).toBe("array");
  });

  it("misuse: array operators on a non-ARRAY column, contains() with a non-string on a non-ARRAY", () => {
    expect(() => posts.c.meta.overlap([1] as never)).toThrow(ArgumentError);
    expect(() => posts.c.id.getItem(1)).toThrow(/ARRAY/);
    expect(() => any_(posts.c.id)).toThrow(/ARRAY/);
    expect(() => posts.c.id.contains(3 as never)).toThrow(ArgumentError);
  });

  it("array text: quoting, NULL, nesting, explicit bounds", () => {
    expect(formatPostgresArray([["a", null], ["b\\", "c"]], String)).toBe('{{"a",NULL},{"b\\\\","c"}}');
    expect(parsePostgresArray('{{"a",NULL},{"b\\\\","c,d"}}', (s) => s)).toEqual([["a", null], ["b\\", "c,d"]]);
    expect(parsePostgresArray("[0:1]={1,2}", Number)).toEqual([1, 2]);
    expect(parsePostgresArray("{}", Number)).toEqual([]);
    expect(parsePostgresArray('{"NULL",NULL}', (s) => s)).toEqual(["NULL", null]);
  });
});
