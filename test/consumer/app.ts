// A TypeScript application built with the strictest settings an application may use
// (tsconfig.nodenext.json: strict, exactOptionalPropertyTypes, no skipLibCheck), so tsalchemy's
// published declarations are checked too; then run as plain JavaScript from its output.
import assert from "node:assert/strict";
import {
  AsyncSession, ForeignKey, Integer, MissingGreenlet, StringType, createAsyncEngine, declarativeBase,
  joinedload, mappedColumn, relationship, select, type Loaded,
} from "tsalchemy";

const Base = declarativeBase();
class Author extends Base.model("authors", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(50), { nullable: false }),
  books: relationship<Book[]>("Book", { backPopulates: "author" }),
}) {}
class Book extends Base.model("books", {
  id: mappedColumn(Integer, { primaryKey: true }),
  title: mappedColumn(StringType(100), { nullable: false }),
  authorId: mappedColumn(Integer, ForeignKey("authors.id"), { name: "author_id" }),
  author: relationship<Author>("Author", { backPopulates: "books" }),
}) {}

async function titlesWithAuthors(session: AsyncSession): Promise<string[]> {
  const books = await session.scalars(select(Book).options(joinedload(Book.author)).orderBy(Book.id));
  const loaded: Loaded<Book, "author">[] = books.all();
  return loaded.map((book) => `${book.title} by ${book.author.name}`);
}

async function authorNameWithoutLoading(session: AsyncSession): Promise<string> {
  const book = (await session.scalars(select(Book))).first();
  assert.ok(book);
  // @ts-expect-error: the query did not load Book.author, so reading through it does not compile.
  return book.author.name;
}

const engine = createAsyncEngine("sqlite://:memory:");
try {
  await engine.begin((conn) => Base.metadata.createAll(conn));
  {
    await using session = new AsyncSession(engine);
    session.add(new Author({ name: "Le Guin", books: [new Book({ title: "The Dispossessed" })] }));
    await session.commit();
    assert.deepEqual(await titlesWithAuthors(session), ["The Dispossessed by Le Guin"]);
  }
  {
    await using session = new AsyncSession(engine);
    await assert.rejects(authorNameWithoutLoading(session), MissingGreenlet);
  }
} finally {
  await engine.dispose();
}
console.log("app.ts: ok");
