import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Engine, InvalidRequestError, Session, createEngine, select, selectinload } from "../../../src/index.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, Post, User } from "../../fixtures/loading-models/blog.ts";
import { loaded, summary } from "./loading-support.ts";

/**
 * The synchronous Session's `stream()`: the same batches as AsyncSession's (the cursor and the
 * batch loading are one `Io` code path, docs/adr/0014) read with `for … of` over better-sqlite3's
 * iterator. Users 1–10, user n with n mod 3 posts.
 */
describe("loading: streaming with the synchronous Session (SQLite)", () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createEngine("sqlite://:memory:");
    LoadingBase.metadata.createAll(engine);
    using session = new Session(engine);
    session.addAll([1, 2, 3].map((id) => new Organization({ id, name: `org${id}` })));
    session.flush();
    for (let id = 1; id <= 10; id++) session.add(new User({ id, name: `user${id}`, email: null, bio: null, organizationId: id >= 9 ? null : (id % 3) + 1 }));
    session.flush();
    let postId = 0;
    for (let id = 1; id <= 10; id++) for (let k = 0; k < id % 3; k++) session.add(new Post({ id: ++postId, title: `p${id}.${k}`, userId: id }));
    session.commit();
  });
  afterAll(() => engine.dispose());

  it("streamScalars + selectinload, yieldPer 4: each batch's IN statement runs when the iteration reaches it", () => {
    using session = new Session(engine);
    const recorder = new StatementRecorder(engine);
    const statement = select(User).options(selectinload(User.posts)).orderBy(User.id).executionOptions({ yieldPer: 4 });
    const seen: { id: number; posts: number; statementsSoFar: number }[] = [];
    for (const user of session.streamScalars(statement)) seen.push({ id: user.id, posts: loaded(user.posts).length, statementsSoFar: recorder.statements.length });
    expect(seen.map((s) => s.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seen.map((s) => s.posts)).toEqual(seen.map((s) => s.id % 3));
    expect(seen.map((s) => s.statementsSoFar)).toEqual([2, 2, 2, 2, 3, 3, 3, 3, 4, 4]);
    expect(summary(recorder.statements)).toEqual(["SELECT users", "SELECT posts", "SELECT posts", "SELECT posts"]);
    expect(recorder.statements.slice(1).map((s) => s.params)).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
  });

  it("breaking out of the loop closes the cursor: the session runs its next statement", () => {
    using session = new Session(engine);
    const ids: number[] = [];
    for (const [user] of session.stream(select(User).orderBy(User.id).executionOptions({ yieldPer: 3 }))) {
      ids.push(user.id);
      if (ids.length === 2) break;
    }
    expect(ids).toEqual([1, 2]);
    expect(session.scalars(select(Organization).orderBy(Organization.id)).all().map((o) => o.name)).toEqual(["org1", "org2", "org3"]);
  });

  it("partitions, fetchmany, first and one read the same batches; unique() is refused with yieldPer", () => {
    using session = new Session(engine);
    const parts = [...session.streamScalars(select(User).orderBy(User.id).executionOptions({ yieldPer: 4 })).partitions()].map((p) => p.map((u) => u.id));
    expect(parts).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    const result = session.stream(select(User.name).orderBy(User.id));
    expect(result.fetchmany(2)).toEqual([{ name: "user1" }, { name: "user2" }].map((r) => expect.objectContaining(r)));
    expect(result.scalars().first()).toBe("user3");
    expect(session.stream(select(User).where(User.id.eq(7))).scalarOne().name).toBe("user7");
    using streamed = session.stream(select(User).executionOptions({ yieldPer: 2 }));
    expect(() => streamed.unique()).toThrow(InvalidRequestError);
  });

  it("a relationship of a streamed object loads on access, after the stream", () => {
    using session = new Session(engine);
    const users = [...session.streamScalars(select(User).where(User.id.le(2)).orderBy(User.id))];
    const recorder = new StatementRecorder(engine);
    expect(users.map((u) => u.organization?.name)).toEqual(["org2", "org3"]);
    expect(summary(recorder.statements)).toEqual(["SELECT organizations", "SELECT organizations"]);
  });
});
