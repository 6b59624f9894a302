import { expect, it } from "vitest";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Album, Book, CascadeBase, FileEntry, Folder, Shelf, Track, TrackNote } from "../../../fixtures/uow-models/cascades.ts";
import { countRows, loaded, shapes, summary } from "./uow-support.ts";

describeEachSessionKind("unit of work: cascades", (db) => {
  const ctx = useSessionDatabase(db, "uow_cascades", CascadeBase.metadata);

  async function seedAlbum(): Promise<void> {
    await ctx.reset();
    await using session = ctx.openSession();
    const album = new Album({ id: 1, title: "A" });
    const t1 = new Track({ id: 10, title: "t1", album });
    new Track({ id: 11, title: "t2", album });
    loaded(t1.notes).push(new TrackNote({ id: 100, body: "n1" }), new TrackNote({ id: 101, body: "n2" }));
    session.add(album); // save-update reaches tracks and notes
    await session.commit();
  }

  it("save-update: add() of the parent inserts everything reachable", async () => {
    await ctx.reset();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const album = new Album({ id: 1, title: "A" });
    const track = new Track({ id: 10, title: "t1", album });
    loaded(track.notes).push(new TrackNote({ id: 100, body: "n1" }));
    session.add(album);
    expect(session.new.length).toBe(3);
    const { statements } = await recorder.during(() => session.flush());
    expect(summary(statements)).toEqual(["INSERT albums", "INSERT tracks", "INSERT track_notes"]);
    expect(statements.map((s) => s.params)).toEqual([
      [1, "A"],
      [10, "t1", 1],
      [100, "n1", 10],
    ]);
    await session.commit();
  });

  it("delete: delete() loads the graph it cascades to; the flush deletes children first", async () => {
    await seedAlbum();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const album = (await session.get(Album, 1)) as Album;
    recorder.clear();
    await session.delete(album);
    // At delete() time: the album's tracks, then each track's notes.
    expect(summary(recorder.statements)).toEqual(["SELECT tracks", "SELECT track_notes", "SELECT track_notes"]);
    const { statements } = await recorder.during(() => session.flush());
    expect(summary(statements)).toEqual([
      "DELETE track_notes",
      "DELETE track_notes",
      "DELETE tracks",
      "DELETE tracks",
      "DELETE albums",
    ]);
    expect(shapes(statements).at(-1)).toBe('DELETE FROM "albums" WHERE "albums"."id" = ?');
    await session.commit();
    for (const table of ["albums", "tracks", "track_notes"]) expect(await countRows(ctx.engine, table)).toBe(0);
  });

  it("delete-orphan: a child removed from the collection is deleted, its own cascade first", async () => {
    await seedAlbum();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const album = (await session.get(Album, 1)) as Album;
    const tracks = await album.awaitableAttrs.tracks;
    const t1 = tracks.find((t) => t.title === "t1") as Track;
    recorder.clear();
    tracks.splice(tracks.indexOf(t1), 1);
    expect(t1.album).toBeNull(); // backPopulates, in memory
    const { statements } = await recorder.during(() => session.flush());
    // The orphan's notes are loaded and deleted before it; no UPDATE sets its album_id to NULL.
    expect(summary(statements)).toEqual(["SELECT track_notes", "DELETE track_notes", "DELETE track_notes", "DELETE tracks"]);
    expect(statements.at(-1)?.params).toEqual([10]);
    await session.commit();
    expect(await countRows(ctx.engine, "tracks")).toBe(1);
    expect(await countRows(ctx.engine, "track_notes")).toBe(0);
  });

  it("passiveDeletes: unloaded children are left to the database's ON DELETE CASCADE", async () => {
    await ctx.reset();
    {
      await using setup = ctx.openSession();
      const folder = new Folder({ id: 1, name: "docs" });
      loaded(folder.files).push(new FileEntry({ id: 1, name: "a" }), new FileEntry({ id: 2, name: "b" }));
      setup.add(folder);
      await setup.commit();
    }
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const folder = (await session.get(Folder, 1)) as Folder;
    recorder.clear();
    await session.delete(folder);
    await session.flush();
    expect(shapes(recorder.statements)).toEqual(['DELETE FROM "folders" WHERE "folders"."id" = ?']);
    await session.commit();
    expect(await countRows(ctx.engine, "file_entries")).toBe(0);
  });

  it("expunge: expunging the parent expunges what it cascades to", async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    const shelf = new Shelf({ id: 1, label: "s" });
    const book = new Book({ id: 1, title: "b" });
    loaded(shelf.books).push(book);
    session.add(shelf);
    expect(session.contains(book)).toBe(true);
    session.expunge(shelf);
    expect([session.contains(shelf), session.contains(book)]).toEqual([false, false]);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect((await recorder.during(() => session.flush())).statements).toEqual([]);
  });
});
