import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasNamedTypeCatalog } from "../../src/core/compiler/base-ddl-compiler.ts";
import type { Dialect } from "../../src/core/dialects/dialect.ts";
import { MysqlDialect } from "../../src/core/dialects/mysql/mysql-dialect.ts";
import { PostgresqlDialect } from "../../src/core/dialects/postgresql/postgresql-dialect.ts";
import { SqliteDialect } from "../../src/core/dialects/sqlite/sqlite-dialect.ts";
import { createTables, type DdlExecutor, dropTables, tableExists } from "../../src/core/engine/ddl-operations.ts";
import { runAsync } from "../../src/shared/io.ts";
import { CheckConstraint, Column, ForeignKey, MetaData, Table } from "../../src/core/schema/index.ts";
import { literalColumn } from "../../src/core/sql/elements.ts";
import { ColumnRef } from "../../src/core/sql/from-clause.ts";
import { func } from "../../src/core/sql/functions.ts";
import { BigInteger, DateTime, DateType, Enum, Integer, Json, Numeric, SmallInteger, StringType, Text, Time } from "../../src/core/types/index.ts";
import { type TestDatabase, testDatabases } from "../support/databases.ts";

/** A raw client behind the DDL executor interface; no engine involved. */
interface RawDatabase extends DdlExecutor {
  execute(sql: string, params: unknown[]): Promise<{ readonly rows: readonly (readonly unknown[])[] }>;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

async function openRaw(db: TestDatabase): Promise<RawDatabase> {
  switch (db.name) {
    case "sqlite": {
      const { default: Database } = await import("better-sqlite3");
      const conn = new Database(":memory:");
      conn.pragma("foreign_keys = ON");
      return {
        dialect: new SqliteDialect(),
        async execute(sql, params) {
          const statement = conn.prepare(sql);
          if (statement.reader) return { rows: statement.raw().all(...params) as unknown[][] };
          statement.run(...params);
          return { rows: [] };
        },
        async close() {
          conn.close();
        },
      };
    }
    case "pglite": {
      const { PGlite } = await import("@electric-sql/pglite");
      const conn = new PGlite();
      await conn.waitReady;
      return {
        dialect: new PostgresqlDialect(),
        async execute(sql, params) {
          const result = await conn.query<unknown[]>(sql, params, { rowMode: "array" });
          return { rows: result.rows };
        },
        async close() {
          await conn.close();
        },
      };
    }
    case "postgresql": {
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      return {
        dialect: new PostgresqlDialect(),
        async execute(sql, params) {
          const result = await client.query<unknown[]>({ text: sql, values: params, rowMode: "array" });
          return { rows: result.rows };
        },
        async close() {
          await client.end();
        },
      };
    }
    case "mysql": {
      const mysql = await import("mysql2/promise");
      const conn = await mysql.createConnection(db.url);
      return {
        dialect: new MysqlDialect(),
        async execute(sql, params) {
          const [rows] = await conn.query({ sql, rowsAsArray: true }, params);
          return { rows: Array.isArray(rows) ? (rows as unknown[][]) : [] };
        },
        async close() {
          await conn.end();
        },
      };
    }
  }
}

/** authors ⇄ books (a cycle), reviews → books; an enum, a CHECK, an index and server defaults. */
function librarySchema(prefix: string) {
  const metadata = new MetaData();
  const price = new ColumnRef("price", "price", Integer, undefined);
  const authors = new Table(`${prefix}authors`, metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(StringType(100), { nullable: false, serverDefault: "O'Brien \\ 'quoted' \\'" }),
    shout: Column(StringType(20), { serverDefault: func.upper("it's") }),
    favoriteBookId: Column(BigInteger, ForeignKey(`${prefix}books.id`), { name: "favorite_book_id" }),
  });
  const books = new Table(
    `${prefix}books`,
    metadata,
    {
      id: Column(BigInteger, { primaryKey: true }),
      authorId: Column(Integer, ForeignKey(`${prefix}authors.id`, { ondelete: "CASCADE" }), { name: "author_id" }),
      title: Column(StringType(200), { nullable: false, index: true }),
      status: Column(Enum(["draft", "it's out"], { name: `${prefix}status` }), { nullable: false, serverDefault: "draft" }),
      price: Column(Integer, { nullable: false, serverDefault: 0 }),
    },
    new CheckConstraint(price.ge(0), { name: `${prefix}ck_price` }),
  );
  const reviews = new Table(`${prefix}reviews`, metadata, {
    id: Column(Integer, { primaryKey: true }),
    bookId: Column(BigInteger, ForeignKey(`${prefix}books.id`), { name: "book_id", nullable: false }),
    body: Column(Text),
    rating: Column(SmallInteger, { serverDefault: 3 }),
    createdAt: Column(DateTime(), { name: "created_at", serverDefault: literalColumn("CURRENT_TIMESTAMP") }),
  });
  return { metadata, authors, books, reviews };
}

/** Records the statements run through it, and passes them on. */
function recording(inner: DdlExecutor): DdlExecutor & { readonly statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    execute(sql, params) {
      statements.push(sql);
      return inner.execute(sql, params);
    },
  };
}

for (const database of testDatabases()) {
  describe(`createTables / dropTables [${database.name}]`, () => {
    let raw: RawDatabase;
    const prefix = `ddl_${randomBytes(4).toString("hex")}_`;
    const schema = librarySchema(prefix);
    const tables = [schema.authors, schema.books, schema.reviews];

    const q = (name: string) => raw.dialect.compiler.quote(name);
    /** The named types (PostgreSQL's ENUM) the dialect creates for these tables, and those that exist now. */
    const namedTypes = () => {
      const ddl = raw.dialect.ddlCompiler;
      return hasNamedTypeCatalog(ddl) ? tables.flatMap((t) => ddl.namedTypes(t)) : [];
    };
    const existingTypes = async () => {
      const found: string[] = [];
      for (const type of namedTypes()) {
        if ((await raw.execute(type.existsQuery.sql, [...type.existsQuery.params])).rows.length > 0) found.push(type.key);
      }
      return found;
    };
    const existing = async () => {
      const found: string[] = [];
      for (const table of tables) if (await runAsync(tableExists(raw, raw.dialect, table))) found.push(table.name);
      return found;
    };

    beforeAll(async () => {
      raw = await openRaw(database);
    });

    afterAll(async () => {
      if (raw === undefined) return;
      try {
        await raw.execute("ROLLBACK", []).catch(() => undefined);
        await raw.execute(raw.dialect.beginSql, []);
        await runAsync(dropTables(raw, raw.dialect, schema.metadata));
        await raw.execute("COMMIT", []);
      } finally {
        await raw.close();
      }
    });

    it("creates the tables (cycle included), and a second createTables is a no-op", async () => {
      await runAsync(createTables(raw, raw.dialect, schema.metadata));
      expect(await existing()).toEqual(tables.map((t) => t.name));
      expect(await existingTypes()).toEqual(namedTypes().map((t) => t.key));

      const again = recording(raw);
      await runAsync(createTables(again, raw.dialect, schema.metadata));
      expect(again.statements.filter((s) => /^\s*(CREATE|ALTER|DROP)/.test(s))).toEqual([]);
    });

    it("the server defaults, the enum, the CHECK and the foreign keys work as declared", async () => {
      const { authors, books, reviews } = schema;
      await raw.execute(`INSERT INTO ${q(authors.name)} (${q("favorite_book_id")}) VALUES (NULL)`, []);
      const [author] = (await raw.execute(`SELECT ${q("id")}, ${q("name")}, ${q("shout")} FROM ${q(authors.name)}`, [])).rows;
      expect(author?.slice(1)).toEqual(["O'Brien \\ 'quoted' \\'", "IT'S"]);
      const authorId = Number(author?.[0]);

      const insertBook = (id: number, status: string | undefined, price: number, authorRef = authorId) =>
        raw.execute(
          status === undefined
            ? `INSERT INTO ${q(books.name)} (${q("id")}, ${q("author_id")}, ${q("title")}, ${q("price")}) VALUES (${id}, ${authorRef}, 'T', ${price})`
            : `INSERT INTO ${q(books.name)} (${q("id")}, ${q("author_id")}, ${q("title")}, ${q("status")}, ${q("price")}) VALUES (${id}, ${authorRef}, 'T', '${status.replace(/'/g, "''")}', ${price})`,
          [],
        );
      await insertBook(1, undefined, 10);
      await insertBook(2, "it's out", 0);
      const statuses = (await raw.execute(`SELECT ${q("status")} FROM ${q(books.name)} ORDER BY ${q("id")}`, [])).rows.map((r) => r[0]);
      expect(statuses).toEqual(["draft", "it's out"]);
      await expect(insertBook(3, "bogus", 1)).rejects.toThrow();
      await expect(insertBook(4, "draft", -1)).rejects.toThrow();
      await expect(insertBook(5, "draft", 1, authorId + 100)).rejects.toThrow();

      // The cycle's other direction is enforced too.
      await expect(raw.execute(`UPDATE ${q(authors.name)} SET ${q("favorite_book_id")} = 99`, [])).rejects.toThrow();
      await raw.execute(`UPDATE ${q(authors.name)} SET ${q("favorite_book_id")} = 1`, []);

      await raw.execute(`INSERT INTO ${q(reviews.name)} (${q("book_id")}) VALUES (2)`, []);
      const [review] = (await raw.execute(`SELECT ${q("id")}, ${q("rating")}, ${q("created_at")} FROM ${q(reviews.name)}`, [])).rows;
      expect(Number(review?.[0])).toBeGreaterThan(0);
      expect(Number(review?.[1])).toBe(3);
      expect(review?.[2]).not.toBeNull();
    });

    it("drops every table (and the enum type), children first; a second dropTables is a no-op", async () => {
      // In one transaction, as a Connection runs it (autobegin): SQLite defers the cycle's checks to COMMIT.
      await raw.execute(raw.dialect.beginSql, []);
      await runAsync(dropTables(raw, raw.dialect, schema.metadata));
      await raw.execute("COMMIT", []);
      expect(await existing()).toEqual([]);
      expect(await existingTypes()).toEqual([]);

      const again = recording(raw);
      await runAsync(dropTables(again, raw.dialect, schema.metadata));
      expect(again.statements.filter((s) => /^\s*(CREATE|ALTER|DROP)/.test(s))).toEqual([]);
    });
  });
}

describe("SQLite column affinities keep values exact", () => {
  it("dates, times and datetimes stay ISO text; decimals, JSON and big integers stay exact", async () => {
    const { default: Database } = await import("better-sqlite3");
    const conn = new Database(":memory:");
    conn.defaultSafeIntegers(true);
    const table = new Table("affinity", new MetaData(), {
      day: Column(DateType),
      at: Column(DateTime()),
      clock: Column(Time),
      amount: Column(Numeric(30, 20)),
      doc: Column(Json()),
      big: Column(BigInteger),
    });
    try {
      for (const sql of new SqliteDialect().ddlCompiler.createTable(table, new Set())) conn.exec(sql);
      const values = ["2024-02-29", "2024-02-29 23:59:59.123", "23:59:59.123456", "1.10000000000000000001", "12345678901234567890123", 9007199254740993n];
      conn.prepare(`INSERT INTO "affinity" VALUES (?, ?, ?, ?, ?, ?)`).run(...values);
      const row = conn.prepare(`SELECT "day", "at", "clock", "amount", "doc", "big", typeof("amount"), typeof("doc") FROM "affinity"`).raw().get();
      expect(row).toEqual([...values, "text", "text"]);
    } finally {
      conn.close();
    }
  });
});
