import { describe, expect, it } from "vitest";
import type { DdlCompiler } from "../../../src/core/compiler/ddl-compiler.ts";
import type { DialectCapabilities } from "../../../src/core/dialects/dialect.ts";
import { createTables, type DdlExecutor, dropTables } from "../../../src/core/engine/ddl-operations.ts";
import { runAsync } from "../../../src/shared/io.ts";
import { Column, ForeignKey, MetaData, Table } from "../../../src/core/schema/index.ts";
import { Enum, Integer, StringType } from "../../../src/core/types/index.ts";
import {
  mysqlCapabilities,
  mysqlDdl,
  postgresqlCapabilities,
  postgresqlDdl,
  sqliteCapabilities,
  sqliteDdl,
} from "./ddl-dialects.ts";

/** authors ⇄ books reference each other; books also reference publishers (a plain parent). */
function library() {
  const metadata = new MetaData();
  const authors = new Table("authors", metadata, {
    id: Column(Integer, { primaryKey: true }),
    favoriteBookId: Column(Integer, ForeignKey("books.id"), { name: "favorite_book_id" }),
  });
  const books = new Table("books", metadata, {
    id: Column(Integer, { primaryKey: true }),
    authorId: Column(Integer, ForeignKey("authors.id", { ondelete: "CASCADE" }), { name: "author_id" }),
    publisherId: Column(Integer, ForeignKey("publishers.id"), { name: "publisher_id" }),
    status: Column(Enum(["draft", "out"])),
  });
  const publishers = new Table("publishers", metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(StringType(200)),
  });
  return { metadata, authors, books, publishers };
}

const EXISTS = "-- table exists?";

/** A pretend database: records every statement and answers existence queries from what it was told to create. */
class RecordingDatabase implements DdlExecutor {
  readonly statements: string[] = [];
  readonly tables = new Set<string>();
  readonly types = new Set<string>();

  async execute(sql: string, params: unknown[]): Promise<{ rows: unknown[][] }> {
    this.statements.push(params.length > 0 ? `${sql} ${JSON.stringify(params)}` : sql);
    if (sql === EXISTS) return { rows: this.tables.has(params[0] as string) ? [[1]] : [] };
    if (sql.includes("pg_type")) return { rows: this.types.has(params[0] as string) ? [[1]] : [] };
    const name = /^(CREATE|DROP) (TABLE|TYPE) [`"](\w+)[`"]/.exec(sql);
    if (name) {
      const set = name[2] === "TABLE" ? this.tables : this.types;
      if (name[1] === "CREATE") set.add(name[3] as string);
      else set.delete(name[3] as string);
    }
    return { rows: [] };
  }

  /** The DDL run, without the existence queries. */
  get ddl(): string[] {
    return this.statements.filter((s) => !s.startsWith(EXISTS) && !s.includes("pg_type")).map((s) => s.split("\n")[0] as string);
  }
}

function dialectOf(capabilities: DialectCapabilities, ddlCompiler: DdlCompiler) {
  return { capabilities, ddlCompiler, tableExistsQuery: (name: string, schema: string | undefined) => ({ sql: EXISTS, params: [name, schema ?? null] }) };
}

describe("creation order and foreign key cycles", () => {
  it("MetaData defers the two foreign keys of the cycle and orders the rest parents first", () => {
    const { metadata, authors, books, publishers } = library();
    const order = metadata.creationOrder();
    expect(order.tables).toEqual([authors, publishers, books]);
    expect([...order.deferredForeignKeys].map((fk) => fk.targets[0])).toEqual(["books.id", "authors.id"]);
  });

  it("PostgreSQL: enum type, tables without the cycle's foreign keys, then ALTER TABLE … ADD CONSTRAINT with generated names", async () => {
    const { metadata, authors } = library();
    const db = new RecordingDatabase();
    const dialect = dialectOf(postgresqlCapabilities, postgresqlDdl());
    await runAsync(createTables(db, dialect, metadata));
    expect(db.statements).toEqual([
      `${EXISTS} ["authors",null]`,
      `${EXISTS} ["publishers",null]`,
      `${EXISTS} ["books",null]`,
      `SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = $1 AND n.nspname = coalesce($2, current_schema()) ["books_status_enum",null]`,
      `CREATE TYPE "books_status_enum" AS ENUM ('draft', 'out')`,
      `CREATE TABLE "authors" (\n  "id" SERIAL NOT NULL,\n  "favorite_book_id" INTEGER,\n  PRIMARY KEY ("id")\n)`,
      `CREATE TABLE "publishers" (\n  "id" SERIAL NOT NULL,\n  "name" VARCHAR(200),\n  PRIMARY KEY ("id")\n)`,
      `CREATE TABLE "books" (
  "id" SERIAL NOT NULL,
  "author_id" INTEGER,
  "publisher_id" INTEGER,
  "status" "books_status_enum",
  PRIMARY KEY ("id"),
  FOREIGN KEY ("publisher_id") REFERENCES "publishers" ("id")
)`,
      `ALTER TABLE "authors" ADD CONSTRAINT "fk_authors_favorite_book_id_books" FOREIGN KEY ("favorite_book_id") REFERENCES "books" ("id")`,
      `ALTER TABLE "books" ADD CONSTRAINT "fk_books_author_id_authors" FOREIGN KEY ("author_id") REFERENCES "authors" ("id") ON DELETE CASCADE`,
    ]);

    db.statements.length = 0;
    await runAsync(createTables(db, dialect, metadata));
    expect(db.ddl).toEqual([]);

    db.statements.length = 0;
    await runAsync(dropTables(db, dialect, metadata));
    expect(db.ddl).toEqual([
      `ALTER TABLE "books" DROP CONSTRAINT "fk_books_author_id_authors"`,
      `ALTER TABLE "authors" DROP CONSTRAINT "fk_authors_favorite_book_id_books"`,
      `DROP TABLE "books"`,
      `DROP TABLE "publishers"`,
      `DROP TABLE "authors"`,
      `DROP TYPE "books_status_enum"`,
    ]);
    expect(db.tables.size + db.types.size).toBe(0);

    db.statements.length = 0;
    await runAsync(dropTables(db, dialect, [authors]));
    expect(db.ddl).toEqual([]);
  });

  it("MySQL: the same with DROP FOREIGN KEY, and the ENUM inline", async () => {
    const { metadata } = library();
    const db = new RecordingDatabase();
    const dialect = dialectOf(mysqlCapabilities, mysqlDdl());
    await runAsync(createTables(db, dialect, metadata));
    expect(db.ddl).toEqual([
      "CREATE TABLE `authors` (",
      "CREATE TABLE `publishers` (",
      "CREATE TABLE `books` (",
      "ALTER TABLE `authors` ADD CONSTRAINT `fk_authors_favorite_book_id_books` FOREIGN KEY (`favorite_book_id`) REFERENCES `books` (`id`)",
      "ALTER TABLE `books` ADD CONSTRAINT `fk_books_author_id_authors` FOREIGN KEY (`author_id`) REFERENCES `authors` (`id`) ON DELETE CASCADE",
    ]);
    db.statements.length = 0;
    await runAsync(dropTables(db, dialect, metadata));
    expect(db.ddl).toEqual([
      "ALTER TABLE `books` DROP FOREIGN KEY `fk_books_author_id_authors`",
      "ALTER TABLE `authors` DROP FOREIGN KEY `fk_authors_favorite_book_id_books`",
      "DROP TABLE `books`",
      "DROP TABLE `publishers`",
      "DROP TABLE `authors`",
    ]);
  });

  it("SQLite: no ALTER; the cycle's foreign keys stay inline, their checks are deferred to COMMIT for the drop", async () => {
    const { metadata, authors } = library();
    const db = new RecordingDatabase();
    const dialect = dialectOf(sqliteCapabilities, sqliteDdl());
    await runAsync(createTables(db, dialect, metadata));
    expect(db.statements.filter((s) => s.startsWith("CREATE"))).toEqual([
      `CREATE TABLE "authors" (\n  "id" INTEGER NOT NULL,\n  "favorite_book_id" INTEGER,\n  PRIMARY KEY ("id"),\n  CONSTRAINT "fk_authors_favorite_book_id_books" FOREIGN KEY ("favorite_book_id") REFERENCES "books" ("id")\n)`,
      `CREATE TABLE "publishers" (\n  "id" INTEGER NOT NULL,\n  "name" VARCHAR(200),\n  PRIMARY KEY ("id")\n)`,
      `CREATE TABLE "books" (
  "id" INTEGER NOT NULL,
  "author_id" INTEGER,
  "publisher_id" INTEGER,
  "status" VARCHAR(5) CHECK ("status" IN ('draft', 'out')),
  PRIMARY KEY ("id"),
  CONSTRAINT "fk_books_author_id_authors" FOREIGN KEY ("author_id") REFERENCES "authors" ("id") ON DELETE CASCADE,
  FOREIGN KEY ("publisher_id") REFERENCES "publishers" ("id")
)`,
    ]);
    expect(db.ddl.some((s) => s.startsWith("ALTER"))).toBe(false);
    db.statements.length = 0;
    await runAsync(dropTables(db, dialect, metadata));
    expect(db.ddl).toEqual([
      "PRAGMA defer_foreign_keys = ON",
      `DROP TABLE "books"`,
      `DROP TABLE "publishers"`,
      `DROP TABLE "authors"`,
    ]);
    expect(() => sqliteDdl().addForeignKey(authors, authors.foreignKeys[0]!)).toThrow(/ALTER TABLE/);
  });

  it("checkfirst: false runs every statement; a subset of tables is ordered within itself", async () => {
    const { books, publishers } = library();
    const db = new RecordingDatabase();
    await runAsync(createTables(db, dialectOf(postgresqlCapabilities, postgresqlDdl()), [books, publishers], { checkfirst: false }));
    expect(db.statements.map((s) => s.split("\n")[0])).toEqual([
      `CREATE TYPE "books_status_enum" AS ENUM ('draft', 'out')`,
      `CREATE TABLE "publishers" (`,
      `CREATE TABLE "books" (`,
    ]);
    expect(db.statements[2]).toContain(`FOREIGN KEY ("author_id") REFERENCES "authors" ("id") ON DELETE CASCADE`);
  });

  it("a shared enum type is dropped only with the last existing table using it", async () => {
    const metadata = new MetaData();
    const kind = Enum(["a", "b"], { name: "kind" });
    const one = new Table("one", metadata, { k: Column(kind) });
    new Table("two", metadata, { k: Column(kind) });
    const db = new RecordingDatabase();
    const dialect = dialectOf(postgresqlCapabilities, postgresqlDdl());
    await runAsync(createTables(db, dialect, metadata));
    expect(db.ddl.filter((s) => s.includes("TYPE"))).toEqual([`CREATE TYPE "kind" AS ENUM ('a', 'b')`]);
    db.statements.length = 0;
    await runAsync(dropTables(db, dialect, [one]));
    expect(db.ddl).toEqual([`DROP TABLE "one"`]);
    db.statements.length = 0;
    await runAsync(dropTables(db, dialect, metadata));
    expect(db.ddl).toEqual([`DROP TABLE "two"`, `DROP TYPE "kind"`]);
  });

  it("a foreign key outside any cycle is left unnamed, as in SQLAlchemy (the database names it)", () => {
    const metadata = new MetaData();
    new Table("parents", metadata, { id: Column(Integer, { primaryKey: true }) });
    const children = new Table("children", metadata, { parentId: Column(Integer, ForeignKey("parents.id")) });
    expect(postgresqlDdl().foreignKeyName(children, children.foreignKeys[0]!)).toBeUndefined();
  });

  it("generated constraint names (useAlter / cycles) stay within 63 characters, deterministically", () => {
    const metadata = new MetaData();
    const long = "a_really_quite_long_table_name_for_testing";
    new Table(long, metadata, { id: Column(Integer, { primaryKey: true }) });
    const t2 = new Table(`${long}_2`, metadata, {
      backId: Column(Integer, ForeignKey(`${long}.id`, { useAlter: true }), { name: "back_id" }),
    });
    const fk = t2.foreignKeys[0]!;
    const name = postgresqlDdl().foreignKeyName(t2, fk);
    expect(name).toMatch(/^fk_a_really_quite_long_table_name_for_testing_2_back_i_[0-9a-f]{8}$/);
    expect(name).toHaveLength(63);
    expect(mysqlDdl().foreignKeyName(t2, fk)).toBe(name);
  });
});
