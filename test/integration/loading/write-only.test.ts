import { beforeAll, expect, it } from "vitest";
import { InvalidRequestError, joinedload, raiseload, select, selectinload } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { Board, ConfiguredBase, Message } from "../../fixtures/loading-models/configured.ts";
import { seedConfigured, shapes, summary } from "./loading-support.ts";

const MESSAGES = 'SELECT "messages"."id", "messages"."body", "messages"."board_id" FROM "messages"';

/** `Board.messages` is `lazy: "write_only"`: never loaded implicitly; add/remove and an explicit query. */
describeEachSessionKind("loading: write_only collections", (db) => {
  const ctx = useSessionDatabase(db, "loading_write_only", ConfiguredBase.metadata);
  beforeAll(() => seedConfigured(ctx));

  it("loading the parent loads nothing of the collection, and it cannot be iterated", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: board, statements } = await recorder.during(async () => (await session.scalars(select(Board))).one());
    expect(summary(statements)).toEqual(["SELECT boards"]);
    recorder.clear();
    const messages = board.messages as unknown as Iterable<Message>;
    expect(() => [...messages]).toThrow(TypeError);
    expect(recorder.statements).toEqual([]);
  });

  it("select() is the explicit query: the parent's criteria and the relationship's order", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const board = (await session.get(Board, 1)) as Board;
    const { value: messages, statements } = await recorder.during(async () => (await session.scalars(board.messages.select())).all());
    expect(shapes(statements)).toEqual([`${MESSAGES} WHERE "messages"."board_id" = ? ORDER BY "messages"."id" ASC`]);
    expect(statements[0]?.params).toEqual([1]);
    expect(messages.map((m) => m.body)).toEqual(["hello"]);
  });

  it("add() and remove() are written by the next flush, without loading the collection", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const board = (await session.get(Board, 1)) as Board;
    const hello = (await session.get(Message, 1)) as Message;
    recorder.clear();
    board.messages.add(new Message({ id: 2, body: "second" }));
    board.messages.remove(hello);
    const { statements } = await recorder.during(() => session.flush());
    expect(summary(statements).sort()).toEqual(["INSERT messages", "UPDATE messages"]);
    expect(shapes(statements).find((s) => s.startsWith("UPDATE"))).toBe('UPDATE "messages" SET "board_id"=? WHERE "messages"."id" = ?');
    expect(summary(statements).some((s) => s.startsWith("SELECT"))).toBe(false);
    const messages = (await session.scalars(board.messages.select())).all();
    expect(messages.map((m) => m.body)).toEqual(["second"]);
    await session.rollback();
  });

  it("an eager option on a write-only relationship is refused, with SQLAlchemy's error; a wildcard leaves it be", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const refused = "'Board.messages' does not support object population - eager loading cannot be applied.";
    for (const option of [selectinload(Board.messages), joinedload(Board.messages)]) {
      recorder.clear();
      await expect(async () => session.scalars(select(Board).options(option))).rejects.toThrow(InvalidRequestError);
      await expect(async () => session.scalars(select(Board).options(option))).rejects.toThrow(refused);
      expect(recorder.statements).toEqual([]);
    }
    const board = (await session.scalars(select(Board).options(raiseload("*")))).one();
    const { statements } = await recorder.during(async () => (await session.scalars(board.messages.select())).all());
    expect(statements).toHaveLength(1);
  });
});
