import { type AsyncEngine, AsyncSession } from "../../../../src/index.ts";
import { type StatementSource, StatementRecorder } from "../../../support/statements.ts";
import { shape } from "../../loading/loading-support.ts";
import { Author, AuthorKeyword, Keyword, Point, Post, Segment } from "../../../fixtures/attribute-models/library.ts";

/** Authors 1 (Ann Lee, 2 posts), 2 (Bob Marsh, 1 post), 3 (Cy Adams, none). */
export async function seedLibrary(engine: AsyncEngine): Promise<void> {
  await using session = new AsyncSession(engine);
  session.addAll([
    new Author({ id: 1, firstName: "Ann", lastName: "Lee", email: "ann@example.com" }),
    new Author({ id: 2, firstName: "Bob", lastName: "Marsh", email: null }),
    new Author({ id: 3, firstName: "Cy", lastName: "Adams", email: "cy@example.com" }),
  ]);
  await session.flush();
  session.addAll([
    new Post({ id: 1, title: "first", score: 5, authorId: 1 }),
    new Post({ id: 2, title: "second", score: 7, authorId: 1 }),
    new Post({ id: 3, title: "third", score: 1, authorId: 2 }),
    new Segment({ id: 1, start: new Point(0, 0), end: new Point(3, 4) }),
    new Segment({ id: 2, x1: 1, y1: 1, x2: 1, y2: 5 }),
    new Segment({ id: 3, start: new Point(3, 4), end: new Point(0, 0) }),
  ]);
  await session.flush();
  // Keywords and associations take their ids from the database (PostgreSQL's sequences stay in step).
  const [orm, sql] = [new Keyword({ word: "orm" }), new Keyword({ word: "sql" })];
  session.addAll([
    new AuthorKeyword({ authorId: 1, keyword: orm }),
    new AuthorKeyword({ authorId: 1, keyword: sql }),
    new AuthorKeyword({ authorId: 2, keyword: sql }),
    new Keyword({ word: "async" }),
  ]);
  await session.commit();
}

/** Runs `work`, returning its value and the SQL it ran (placeholders as `?`, quotes as `"`). */
export async function recorded<T>(engine: StatementSource, work: () => Promise<T>): Promise<{ value: T; sql: string[]; params: unknown[][] }> {
  const recorder = new StatementRecorder(engine);
  try {
    const { value, statements } = await recorder.during(work);
    return { value, sql: statements.map((s) => shape(s.sql)), params: statements.map((s) => [...s.params]) };
  } finally {
    recorder.stop();
  }
}

/** `Author.postCount`'s correlated subquery. */
export const POST_COUNT = '(SELECT count(*) AS "count" FROM "posts" WHERE "posts"."author_id" = "authors"."id")';

/** What `select(Author)` selects: its columns, then its column property. */
export const AUTHOR_COLUMNS = `"authors"."id", "authors"."first_name", "authors"."last_name", "authors"."email", ${POST_COUNT} AS "postCount"`;
