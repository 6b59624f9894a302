import { expect, it } from "vitest";
import { select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { GraphBase, Post, Tag } from "../../../fixtures/uow-models/graph.ts";
import { loaded, rawRows, resetGraph, shapes, summary } from "./uow-support.ts";

describeEachSessionKind("unit of work: many-to-many through secondary", (db) => {
  const ctx = useSessionDatabase(db, "uow_many_to_many", GraphBase.metadata);

  it("inserts one association row per link, whichever side recorded it", async () => {
    await resetGraph(ctx);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const post = new Post({ id: 1, title: "p" });
    const red = new Tag({ id: 1, name: "red" });
    const blue = new Tag({ id: 2, name: "blue" });
    loaded(post.tags).push(red, blue);
    expect(loaded(red.posts)).toEqual([post]); // backPopulates: both sides record the link
    session.add(post);
    const { statements } = await recorder.during(() => session.flush());
    expect(summary(statements)).toEqual(["INSERT posts", "INSERT tags", "INSERT post_tags", "INSERT post_tags"]);
    expect(shapes(statements).slice(2)).toEqual([
      'INSERT INTO "post_tags" ("post_id", "tag_id") VALUES (?, ?)',
      'INSERT INTO "post_tags" ("post_id", "tag_id") VALUES (?, ?)',
    ]);
    expect(statements.slice(2).map((s) => s.params)).toEqual([
      [1, 1],
      [1, 2],
    ]);
    await session.commit();
  });

  it("deletes the association row of a removed link, and all of a deleted object's rows", async () => {
    await resetGraph(ctx);
    {
      await using setup = ctx.openSession();
      const post = new Post({ id: 1, title: "p" });
      loaded(post.tags).push(new Tag({ id: 1, name: "red" }), new Tag({ id: 2, name: "blue" }), new Tag({ id: 3, name: "green" }));
      setup.add(post);
      await setup.commit();
    }
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const post = (await session.get(Post, 1)) as Post;
    const tags = await post.awaitableAttrs.tags;
    const red = tags.find((t) => t.name === "red") as Tag;
    tags.splice(tags.indexOf(red), 1);
    const { statements } = await recorder.during(() => session.flush());
    expect(shapes(statements)).toEqual(['DELETE FROM "post_tags" WHERE "post_tags"."post_id" = ? AND "post_tags"."tag_id" = ?']);
    expect(statements[0]?.params).toEqual([1, 1]);

    // Deleting a tag whose posts are not loaded: they are loaded to find its association rows.
    const green = (await session.scalars(select(Tag).where(Tag.name.eq("green")))).one();
    recorder.clear();
    await session.delete(green);
    const second = await recorder.during(() => session.flush());
    expect(summary(second.statements)).toEqual(["SELECT posts", "DELETE post_tags", "DELETE tags"]);
    await session.commit();
    const rows = await rawRows(ctx.engine, "SELECT post_id, tag_id FROM post_tags");
    expect(rows.map((r) => r.map(Number))).toEqual([[1, 2]]);
  });
});
