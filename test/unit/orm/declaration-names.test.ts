import { describe, expect, it } from "vitest";
import { ArgumentError, ForeignKey, Integer, StringType, UnmappedError, declarativeBase, mappedColumn, relationship } from "../../../src/index.ts";
import { mapperOfClass } from "../../../src/orm/mapper/registry.ts";

/** Configures `cls`'s relationship `key` (what the first query or instance using it does) and returns the error, if any. */
function configureError(cls: unknown, key: string): unknown {
  try {
    void mapperOfClass(cls)?.relationship(key)?.join;
    return undefined;
  } catch (error) {
    return error;
  }
}

/**
 * Regression (issue 13): the attribute names a relationship spells as strings were not checked —
 * an `orderBy`, `remoteSide` or `foreignKeys` name that matched nothing was silently ignored. They
 * are checked when the relationship configures, with an ArgumentError naming option and name.
 */
describe("relationship declaration strings", () => {
  const Base = declarativeBase();
  class Shelf extends Base.model("dn_shelves", {
    id: mappedColumn(Integer, { primaryKey: true }),
    books: relationship<Book[]>("Book", { orderBy: ["-title", "id"], backPopulates: "shelf" }),
    misordered: relationship<Book[]>("Book", { orderBy: ["titel"], viewonly: true }),
    mislinked: relationship<Book[]>("Book", { backPopulates: "shelve", viewonly: true }),
    misnamedKeys: relationship<Book[]>("Book", { foreignKeys: ["shelf_idd"], viewonly: true }),
    unknownClass: relationship<Book[]>("Bok", { viewonly: true }),
  }) {}
  class Book extends Base.model("dn_books", {
    id: mappedColumn(Integer, { primaryKey: true }),
    title: mappedColumn(StringType(50), { nullable: false }),
    shelfId: mappedColumn(Integer, ForeignKey("dn_shelves.id"), { name: "shelf_id" }),
    shelf: relationship<Shelf | null>("Shelf", { backPopulates: "books" }),
    parentId: mappedColumn(Integer, ForeignKey("dn_books.id"), { name: "parent_id" }),
    parent: relationship<Book | null>("Book", { remoteSide: ["idd"] }),
  }) {}
  Base.register(Shelf, Book);

  it("well-spelled names configure (orderBy with a descending key, backPopulates both ways)", () => {
    expect(configureError(Shelf, "books")).toBeUndefined();
    expect(configureError(Book, "shelf")).toBeUndefined();
  });

  it("orderBy, backPopulates, remoteSide and foreignKeys names that match nothing are refused, naming the option and name", () => {
    const cases: [unknown, string, string][] = [
      [Shelf, "misordered", 'Shelf.misordered: orderBy names "titel", which is not a column of Book'],
      [Shelf, "mislinked", 'Shelf.mislinked: backPopulates names "shelve", which is not a relationship of Book'],
      [Shelf, "misnamedKeys", 'Shelf.misnamedKeys: foreignKeys names "shelf_idd", which is not a column of Shelf, Book'],
      [Book, "parent", 'Book.parent: remoteSide names "idd", which is not a column of Book'],
    ];
    for (const [cls, key, message] of cases) {
      const error = configureError(cls, key);
      expect(error).toBeInstanceOf(ArgumentError);
      expect((error as Error).message).toBe(message);
    }
  });

  it("a target class name that is not a registered model is refused with the registered names", () => {
    const error = configureError(Shelf, "unknownClass");
    expect(error).toBeInstanceOf(UnmappedError);
    expect((error as Error).message).toMatch(/^Shelf has a relationship to 'Bok', which is not a registered model \(registered: Shelf, Book\)/);
  });
});
