// A plain JavaScript application, as a user writes it after `npm install tsalchemy better-sqlite3`:
// no TypeScript, no loader, Node.js alone.
import assert from "node:assert/strict";
import {
  AsyncSession, ForeignKey, Integer, MissingGreenlet, StringType, createAsyncEngine, declarativeBase,
  mappedColumn, relationship, select, selectinload,
} from "tsalchemy";

const Base = declarativeBase();
class Author extends Base.model("authors", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(50), { nullable: false }),
  books: relationship("Book", { backPopulates: "author" }),
}) {}
class Book extends Base.model("books", {
  id: mappedColumn(Integer, { primaryKey: true }),
  title: mappedColumn(StringType(100), { nullable: false }),
  authorId: mappedColumn(Integer, ForeignKey("authors.id"), { name: "author_id" }),
  author: relationship("Author", { backPopulates: "books" }),
}) {}

const statements = [];
const engine = createAsyncEngine("sqlite://:memory:");
engine.onStatement((sql) => statements.push(sql));
await engine.begin((conn) => Base.metadata.createAll(conn));

const session = new AsyncSession(engine);
try {
  session.add(new Author({ name: "Le Guin", books: [new Book({ title: "The Dispossessed" }), new Book({ title: "Lathe of Heaven" })] }));
  await session.commit();

  const authors = await session.scalars(select(Author).options(selectinload(Author.books)));
  const [author] = authors.all();
  assert.equal(author.books.length, 2);

  session.expunge(author);
  const book = await session.get(Book, 1);
  assert.throws(() => book.author.books, MissingGreenlet);
} finally {
  await session.close();
  await engine.dispose();
}
assert.ok(statements.some((sql) => sql.startsWith("SELECT")));
console.log(`app.mjs: ok (${statements.length} statements)`);
