import { describe, expectTypeOf, it } from "vitest";
import { ForeignKey, Integer, type NotLoaded, StringType, declarativeBase, mappedColumn, relationship, select } from "../../src/index.ts";
import type { WriteOnlyCollection } from "../../src/orm/strategies/write-only-collection.ts";
import { type First, type Unloaded, typeOnly } from "./support.ts";

const StrategyBase = declarativeBase();

/** Every strategy spelled with one type argument: the type comes from `lazy`. */
class Author extends StrategyBase.model("strategy_authors", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(30), { nullable: false }),
  books: relationship<Book[]>("Book", { lazy: "selectin", backPopulates: "author" }),
  joinedBooks: relationship<Book[]>("Book", { lazy: "joined", viewonly: true }),
  subqueryBooks: relationship<Book[]>("Book", { lazy: "subquery", viewonly: true }),
  immediateBooks: relationship<Book[]>("Book", { lazy: "immediate", viewonly: true }),
  lazyBooks: relationship<Book[]>("Book", { lazy: "select", viewonly: true }),
  defaultBooks: relationship<Book[]>("Book", { viewonly: true }),
  raisedBooks: relationship<Book[]>("Book", { lazy: "raise", viewonly: true }),
  sqlRaisedBooks: relationship<Book[]>("Book", { lazy: "raise_on_sql", viewonly: true }),
  noBooks: relationship<Book[]>("Book", { lazy: "noload", viewonly: true }),
  writtenBooks: relationship<Book[]>("Book", { lazy: "write_only", viewonly: true }),
  explicitBooks: relationship<Book[], "selectin">("Book", { lazy: "selectin", viewonly: true }),
}) {}

class Book extends StrategyBase.model("strategy_books", {
  id: mappedColumn(Integer, { primaryKey: true }),
  authorId: mappedColumn(Integer, ForeignKey("strategy_authors.id"), { name: "author_id" }),
  author: relationship<Author | null>("Author", { lazy: "joined", backPopulates: "books" }),
  lazyAuthor: relationship<Author | null>("Author", { viewonly: true }),
}) {}

StrategyBase.register(Author, Book);

/** A relationship's strategy inferred from its options: `lazy` alone types it. */
describe("types: the relationship's strategy from its options", () => {
  it("eager strategies are typed loaded with one type argument", () => {
    expectTypeOf<Author["books"]>().toEqualTypeOf<Book[]>();
    expectTypeOf<Author["joinedBooks"]>().toEqualTypeOf<Book[]>();
    expectTypeOf<Author["subqueryBooks"]>().toEqualTypeOf<Book[]>();
    expectTypeOf<Author["immediateBooks"]>().toEqualTypeOf<Book[]>();
    expectTypeOf<Author["explicitBooks"]>().toEqualTypeOf<Book[]>();
    expectTypeOf<Book["author"]>().toEqualTypeOf<Author | null>();
  });

  it("lazy strategies (and no lazy) are typed unloaded; write_only is a WriteOnlyCollection", () => {
    expectTypeOf<Author["lazyBooks"]>().toEqualTypeOf<Book[] | Unloaded<Book[], "lazyBooks">>();
    expectTypeOf<Author["defaultBooks"]>().toEqualTypeOf<Book[] | Unloaded<Book[], "defaultBooks">>();
    expectTypeOf<Author["raisedBooks"]>().toEqualTypeOf<Book[] | Unloaded<Book[], "raisedBooks">>();
    expectTypeOf<Author["sqlRaisedBooks"]>().toEqualTypeOf<Book[] | Unloaded<Book[], "sqlRaisedBooks">>();
    expectTypeOf<Author["noBooks"]>().toEqualTypeOf<Book[] | Unloaded<Book[], "noBooks">>();
    expectTypeOf<Book["lazyAuthor"]>().toEqualTypeOf<Author | null | Unloaded<Author | null, "lazyAuthor">>();
    expectTypeOf<Author["writtenBooks"]>().toEqualTypeOf<WriteOnlyCollection<Book & object>>();
  });

  it("the class attribute records the strategy", () => {
    expectTypeOf<(typeof Author.books)["__lazy"]>().toEqualTypeOf<"selectin">();
    expectTypeOf<(typeof Author.defaultBooks)["__lazy"]>().toEqualTypeOf<"select">();
    expectTypeOf<(typeof Book.author)["__lazy"]>().toEqualTypeOf<"joined">();
  });

  it("a select's rows keep the configured eager types", () => {
    const stmt = select(Author);
    expectTypeOf<First<typeof stmt>["books"][number]["author"]>().toEqualTypeOf<Author | null>();
  });

  it("a second type argument must agree with lazy", () => {
    typeOnly(() => {
      // @ts-expect-error "joined" declared, "selectin" configured
      relationship<Book[], "joined">("Book", { lazy: "selectin" });
      // @ts-expect-error "selectin" declared, no lazy (the default "select") configured
      relationship<Book[], "selectin">("Book", {});
      // @ts-expect-error "selectin" declared, no options
      relationship<Book[], "selectin">("Book");
      // @ts-expect-error not a strategy
      relationship<Book[]>("Book", { lazy: "eager" });
      relationship<Book[], "joined">("Book", { lazy: "joined" });
      relationship<Book[]>("Book");
    });
  });
});
