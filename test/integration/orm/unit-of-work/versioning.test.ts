import { expect, it } from "vitest";
import { PendingRollbackError, StaleDataError, select } from "../../../../src/index.ts";
import { describeEachSessionKind, errorOf, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Doc, LooseThing, Note, Rev, Thing, VersionedBase, tokenCalls } from "../../../fixtures/uow-models/versioned.ts";
import { rawRows, shapes } from "./uow-support.ts";

describeEachSessionKind("unit of work: optimistic locking (versionIdCol)", (db) => {
  const ctx = useSessionDatabase(db, "uow_versioning", VersionedBase.metadata);
  const things = async () => (await rawRows(ctx.engine, "SELECT id, name, version FROM things ORDER BY id")).map(([id, name, v]) => [Number(id), name, Number(v)]);

  /** A write committed on a connection of its own, as another process would. */
  async function writeElsewhere(sql: string): Promise<void> {
    const conn = await ctx.engine.connect();
    try {
      await conn.execDriverSql(sql);
      await conn.commit();
    } finally {
      await conn.close();
    }
  }

  async function seedThing(): Promise<void> {
    await ctx.reset();
    await using session = ctx.openSession();
    session.add(new Thing({ id: 1, name: "one" }));
    await session.commit();
  }

  it("an INSERT writes version 1; each UPDATE writes the next and matches the row only at the old one", async () => {
    await ctx.reset();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession({ expireOnCommit: false });
    const thing = new Thing({ id: 1, name: "one" });
    session.add(thing);
    let { statements } = await recorder.during(() => session.flush());
    expect(shapes(statements)).toEqual(['INSERT INTO "things" ("id", "name", "version") VALUES (?, ?, ?)']);
    expect(statements[0]?.params).toEqual([1, "one", 1]);
    expect(thing.version).toBe(1);

    thing.name = "two";
    ({ statements } = await recorder.during(() => session.flush()));
    expect(shapes(statements)).toEqual(['UPDATE "things" SET "name"=?, "version"=? WHERE "things"."id" = ? AND "things"."version" = ?']);
    expect(statements[0]?.params).toEqual(["two", 2, 1, 1]);
    thing.name = "three";
    ({ statements } = await recorder.during(() => session.flush()));
    expect(statements[0]?.params).toEqual(["three", 3, 1, 2]);
    expect(thing.version).toBe(3);
    await session.commit();
    expect(await things()).toEqual([[1, "three", 3]]);
  });

  it("a NULL version is matched with IS NULL even after a row with a version reused the UPDATE (no false StaleDataError)", async () => {
    await ctx.reset();
    await writeElsewhere("INSERT INTO loose_things (id, name, version) VALUES (1, 'a', 5), (2, 'b', NULL)");
    await using session = ctx.openSession();
    const rows = (await session.scalars(select(LooseThing).orderBy(LooseThing.id))).all();
    for (const row of rows) row.name = `${row.name}!`;
    await session.commit(); // row 1's UPDATE (version = ?) runs first, then row 2's (version IS NULL)
    const stored = await rawRows(ctx.engine, "SELECT id, name, version FROM loose_things ORDER BY id");
    expect(stored.map(([id, name, v]) => [Number(id), name, Number(v)])).toEqual([
      [1, "a!", 6],
      [2, "b!", 1],
    ]);
  });

  it("an object with no net change is not UPDATEd, and keeps its version", async () => {
    await seedThing();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const thing = (await session.get(Thing, 1)) as Thing;
    thing.name = "changed";
    thing.name = "one";
    expect((await recorder.during(() => session.commit())).statements).toEqual([]);
    expect(await things()).toEqual([[1, "one", 1]]);
  });

  it("two sessions change one row: the second commit raises StaleDataError naming the object and rolls back", async () => {
    await seedThing();
    await using first = ctx.openSession();
    await using second = ctx.openSession({ expireOnCommit: false });
    // The second session reads version 1 and lets its transaction go (one connection on SQLite).
    const stale = (await second.get(Thing, 1)) as Thing;
    await second.commit();
    const fresh = (await first.get(Thing, 1)) as Thing;
    fresh.name = "first";
    await first.commit();
    expect(await things()).toEqual([[1, "first", 2]]);

    const recorder = new StatementRecorder(ctx.sessionEngine);
    stale.name = "second";
    const error = await errorOf(() => second.commit());
    expect(error).toBeInstanceOf(StaleDataError);
    expect((error as Error).message).toBe("UPDATE statement on table 'things' expected to update 1 row(s); 0 were matched (Thing(id=1)).");
    expect(shapes(recorder.statements)).toEqual(['UPDATE "things" SET "name"=?, "version"=? WHERE "things"."id" = ? AND "things"."version" = ?']);
    expect(recorder.statements[0]?.params).toEqual(["second", 2, 1, 1]);
    expect(recorder.all.map((s) => s.sql)).toContain("ROLLBACK");
    await expect(async () => second.execute(select(Thing))).rejects.toBeInstanceOf(PendingRollbackError);
    await second.rollback();
    expect(await things()).toEqual([[1, "first", 2]]);
  });

  it("an object expired by commit reads its version before the UPDATE (as SQLAlchemy loads it)", async () => {
    await seedThing();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const thing = (await session.get(Thing, 1)) as Thing;
    await session.commit();
    thing.name = "renamed";
    const { statements } = await recorder.during(() => session.flush());
    expect(shapes(statements)).toEqual([
      'SELECT "things"."version" FROM "things" WHERE "things"."id" = ?',
      'UPDATE "things" SET "name"=?, "version"=? WHERE "things"."id" = ? AND "things"."version" = ?',
    ]);
    expect(statements[1]?.params).toEqual(["renamed", 2, 1, 1]);
    await session.commit();
    expect(await things()).toEqual([[1, "renamed", 2]]);
  });

  it("versioned rows changing the same column take one UPDATE each, never a multi-row UPDATE", async () => {
    await ctx.reset();
    await using session = ctx.openSession({ expireOnCommit: false });
    const all = [1, 2, 3].map((id) => new Thing({ id, name: `t${id}` }));
    session.addAll(all);
    await session.flush();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    for (const t of all) t.name = "same";
    const { statements } = await recorder.during(() => session.flush());
    expect(shapes(statements)).toEqual(Array(3).fill('UPDATE "things" SET "name"=?, "version"=? WHERE "things"."id" = ? AND "things"."version" = ?'));
    expect(statements.map((s) => s.params)).toEqual([1, 2, 3].map((id) => ["same", 2, id, 1]));
    await session.commit();
    expect(await things()).toEqual([1, 2, 3].map((id) => [id, "same", 2]));
  });

  it("a DELETE carries the version; a stale one raises StaleDataError and deletes nothing", async () => {
    await seedThing();
    await using session = ctx.openSession({ expireOnCommit: false });
    const thing = (await session.get(Thing, 1)) as Thing;
    await session.commit();
    // Someone else updates the row meanwhile.
    await writeElsewhere("UPDATE things SET name = 'other', version = 2 WHERE id = 1");

    const recorder = new StatementRecorder(ctx.sessionEngine);
    await session.delete(thing);
    const error = await errorOf(() => session.commit());
    expect(error).toBeInstanceOf(StaleDataError);
    expect((error as Error).message).toBe("DELETE statement on table 'things' expected to delete 1 row(s); 0 were matched (Thing(id=1)).");
    expect(shapes(recorder.statements)).toEqual(['DELETE FROM "things" WHERE "things"."id" = ? AND "things"."version" = ?']);
    expect(recorder.statements[0]?.params).toEqual([1, 1]);
    await session.rollback();
    expect(await things()).toEqual([[1, "other", 2]]);

    // At the version it holds, the DELETE matches.
    await using again = ctx.openSession();
    await again.delete((await again.get(Thing, 1)) as Thing);
    await again.commit();
    expect(await things()).toEqual([]);
  });

  it("a generator of the user's makes every version, from null for a new row", async () => {
    await ctx.reset();
    tokenCalls.length = 0;
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession({ expireOnCommit: false });
    const note = new Note({ id: 1, body: "draft" });
    session.add(note);
    await session.flush();
    note.body = "final";
    const { statements } = await recorder.during(() => session.flush());
    expect(shapes(statements)).toEqual(['UPDATE "notes" SET "body"=?, "token"=? WHERE "notes"."id" = ? AND "notes"."token" = ?']);
    expect(statements[0]?.params).toEqual(["final", "r2", 1, "r1"]);
    expect(tokenCalls).toEqual([null, "r1"]);
    await session.commit();
    expect(await rawRows(ctx.engine, "SELECT body, token FROM notes")).toEqual([["final", "r2"]]);
  });

  it.skipIf(db.name !== "postgresql" && db.name !== "pglite")(
    "PostgreSQL's xmin as a version the database makes: RETURNING reads it back, the next UPDATE matches it",
    async () => {
      await ctx.reset();
      const recorder = new StatementRecorder(ctx.sessionEngine);
      await using session = ctx.openSession({ expireOnCommit: false });
      const doc = new Doc({ id: 1, title: "a" });
      session.add(doc);
      let { statements } = await recorder.during(() => session.commit());
      expect(shapes(statements)).toEqual(['INSERT INTO "docs" ("id", "title") VALUES (?, ?) RETURNING "docs"."xmin"']);
      const inserted = doc.xmin;
      expect(inserted).toMatch(/^\d+$/);

      doc.title = "b";
      ({ statements } = await recorder.during(() => session.commit()));
      expect(shapes(statements)).toEqual(['UPDATE "docs" SET "title"=? WHERE "docs"."id" = ? AND "docs"."xmin" = ? RETURNING "docs"."xmin"']);
      expect(statements[0]?.params).toEqual(["b", 1, inserted]);
      expect(doc.xmin).not.toBe(inserted);
      expect(await rawRows(ctx.engine, "SELECT xmin::text, title FROM docs")).toEqual([[doc.xmin, "b"]]);

      // Another transaction writes the row: the object's xmin is stale now.
      await writeElsewhere("UPDATE docs SET title = 'c' WHERE id = 1");
      doc.title = "d";
      const error = await errorOf(() => session.commit());
      expect(error).toBeInstanceOf(StaleDataError);
      expect((error as Error).message).toContain("0 were matched (Doc(id=1))");
      await session.rollback();
      expect(await rawRows(ctx.engine, "SELECT title FROM docs")).toEqual([["c"]]);
    },
  );

  /** `rev = rev + 1` on each UPDATE, by a BEFORE UPDATE trigger (SQLite's triggers cannot assign NEW). */
  const revTrigger: Partial<Record<typeof db.name, string[]>> = {
    mysql: ["CREATE TRIGGER revs_bump BEFORE UPDATE ON revs FOR EACH ROW SET NEW.rev = OLD.rev + 1"],
    postgresql: [
      "CREATE OR REPLACE FUNCTION revs_bump() RETURNS trigger AS $$ BEGIN NEW.rev := OLD.rev + 1; RETURN NEW; END $$ LANGUAGE plpgsql",
      "CREATE TRIGGER revs_bump BEFORE UPDATE ON revs FOR EACH ROW EXECUTE FUNCTION revs_bump()",
    ],
  };
  revTrigger.pglite = revTrigger.postgresql;

  it.skipIf(revTrigger[db.name] === undefined)(
    "a version a trigger makes is read back after each write: RETURNING where the database has it, else a SELECT",
    async () => {
      await ctx.reset();
      for (const sql of revTrigger[db.name] ?? []) await writeElsewhere(sql);
      try {
        const recorder = new StatementRecorder(ctx.sessionEngine);
        await using session = ctx.openSession({ expireOnCommit: false });
        const rev = new Rev({ id: 1, title: "a" });
        session.add(rev);
        await session.flush();
        expect(rev.rev).toBe(1);
        rev.title = "b";
        const { statements } = await recorder.during(() => session.flush());
        if (ctx.engine.dialect.capabilities.updateReturning) {
          expect(shapes(statements)).toEqual(['UPDATE "revs" SET "title"=? WHERE "revs"."id" = ? AND "revs"."rev" = ? RETURNING "revs"."rev"']);
        } else {
          expect(shapes(statements)).toEqual([
            'UPDATE "revs" SET "title"=? WHERE "revs"."id" = ? AND "revs"."rev" = ?',
            'SELECT "revs"."rev" FROM "revs" WHERE "revs"."id" = ?',
          ]);
        }
        expect(statements[0]?.params).toEqual(["b", 1, 1]);
        expect(rev.rev).toBe(2);
        await session.commit();
        expect((await rawRows(ctx.engine, "SELECT title, rev FROM revs")).map(([title, r]) => [title, Number(r)])).toEqual([["b", 2]]);
      } finally {
        await writeElsewhere(db.name === "mysql" ? "DROP TRIGGER revs_bump" : "DROP TRIGGER revs_bump ON revs");
      }
    },
  );
});
