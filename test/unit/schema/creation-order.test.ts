import { describe, expect, it } from "vitest";
import { Column, ForeignKey, Integer, MetaData, Table } from "../../../src/index.ts";

describe("MetaData.creationOrder", () => {
  it("places each table as soon as its parents are placed, scanning in declaration order", () => {
    const md = new MetaData();
    new Table("posts", md, { id: Column(Integer, { primaryKey: true }), userId: Column(Integer, ForeignKey("users.id")) });
    new Table("users", md, { id: Column(Integer, { primaryKey: true }), orgId: Column(Integer, ForeignKey("organizations.id")) });
    new Table("organizations", md, { id: Column(Integer, { primaryKey: true }) });
    new Table("tags", md, { id: Column(Integer, { primaryKey: true }) });
    const order = md.creationOrder();
    expect(order.tables.map((t) => t.name)).toEqual(["organizations", "users", "posts", "tags"]);
    expect(order.deferredForeignKeys.size).toBe(0);
  });

  it("defers only the foreign keys inside a cycle, not those of tables that merely reference it", () => {
    const md = new MetaData();
    const books = new Table("books", md, { id: Column(Integer, { primaryKey: true }), authorId: Column(Integer, ForeignKey("authors.id")) });
    const authors = new Table("authors", md, { id: Column(Integer, { primaryKey: true }), bestBookId: Column(Integer, ForeignKey("books.id")) });
    const reviews = new Table("reviews", md, { id: Column(Integer, { primaryKey: true }), bookId: Column(Integer, ForeignKey("books.id")) });
    const order = md.creationOrder();
    expect([...order.deferredForeignKeys].sort((a, b) => a.columns[0]!.localeCompare(b.columns[0]!))).toEqual([
      books.foreignKeys[0],
      authors.foreignKeys[0],
    ]);
    expect(order.deferredForeignKeys.has(reviews.foreignKeys[0]!)).toBe(false);
    expect(order.tables.indexOf(reviews)).toBeGreaterThan(order.tables.indexOf(books));
  });

  it("keeps a self-referential foreign key inline", () => {
    const md = new MetaData();
    const nodes = new Table("nodes", md, { id: Column(Integer, { primaryKey: true }), parentId: Column(Integer, ForeignKey("nodes.id")) });
    expect(md.creationOrder()).toEqual({ tables: [nodes], deferredForeignKeys: new Set() });
  });
});
