/**
 * postUpdate (SQLAlchemy's post_update): rows that reference each other are INSERTed, then the
 * postUpdate foreign key is written by an UPDATE; deleting both clears it first.
 */
import { beforeEach, expect, it } from "vitest";
import { CycleBase, Essay, Writer } from "../../../fixtures/uow-models/write-path.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { rawRows, summary } from "./uow-support.ts";

describeEachSessionKind("postUpdate", (db) => {
  const ctx = useSessionDatabase(db, "uow_post_update", CycleBase.metadata);

  beforeEach(async () => {
    await ctx.engine.begin((conn) => conn.execDriverSql("UPDATE wp_writers SET favorite_id = NULL").then(() => undefined));
    await ctx.reset();
  });

  /** Writer 1 whose favorite is essay 7, which she wrote. */
  const seedWriterWithFavorite = async () => {
    await using setup = ctx.openSession();
    const writer = new Writer({ id: 1, name: "w" });
    writer.favorite = new Essay({ id: 7, title: "e", writer });
    setup.add(writer);
    await setup.commit();
  };

  const rows = async (sql: string) => (await rawRows(ctx.engine, sql)).map((r) => r.map((v) => (v === null ? null : Number(v))));

  it("a writer and her favorite essay (which names her): INSERT, INSERT, then UPDATE of favorite_id", async () => {
    await using session = ctx.openSession();
    const writer = new Writer({ id: 1, name: "w" });
    const essay = new Essay({ id: 7, title: "e" });
    essay.writer = writer;
    writer.favorite = essay;
    session.add(writer);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const { statements } = await recorder.during(() => session.commit());
    recorder.stop();
    expect(summary(statements)).toEqual(["INSERT wp_writers", "INSERT wp_essays", "UPDATE wp_writers"]);
    expect(await rows("SELECT id, favorite_id FROM wp_writers")).toEqual([[1, 7]]);
    expect(await rows("SELECT id, writer_id FROM wp_essays")).toEqual([[7, 1]]);
  });

  it("deleting both: favorite_id is cleared by an UPDATE, then the essay and the writer are DELETEd", async () => {
    await seedWriterWithFavorite();
    await using session = ctx.openSession();
    const writer = (await session.get(Writer, 1)) as Writer;
    const essay = (await session.get(Essay, 7)) as Essay;
    await writer.awaitableAttrs.favorite;
    await essay.awaitableAttrs.writer;
    await session.delete(writer);
    await session.delete(essay);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const { statements } = await recorder.during(() => session.commit());
    recorder.stop();
    expect(summary(statements).filter((s) => !s.startsWith("SELECT"))).toEqual(["UPDATE wp_writers", "DELETE wp_essays", "DELETE wp_writers"]);
    expect(await rows("SELECT id FROM wp_writers")).toEqual([]);
    expect(await rows("SELECT id FROM wp_essays")).toEqual([]);
  });

  it("changing the favorite later is one UPDATE after the saves", async () => {
    await seedWriterWithFavorite();
    await using session = ctx.openSession();
    const writer = (await session.get(Writer, 1)) as Writer;
    writer.favorite = new Essay({ id: 8, title: "f", writer });
    await session.commit();
    expect(await rows("SELECT id, favorite_id FROM wp_writers")).toEqual([[1, 8]]);
  });
});
