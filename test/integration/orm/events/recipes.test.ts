import { afterEach, expect, it } from "vitest";
import {
  AsyncSession,
  asyncSessionmaker,
  insert,
  listen,
  remove,
  select,
  selectinload,
  withLoaderCriteria,
  type AsyncConnection,
} from "../../../../src/index.ts";
import { describeEachDatabase } from "../../../support/databases.ts";
import { useIsolatedDatabase } from "../../../support/isolated-database.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { AuditEntry, Author, Base, Post } from "../../../fixtures/event-models/index.ts";
import { label } from "./events-support.ts";

/** SQL in one spelling for every dialect: MySQL's backquotes → double quotes, `$1` → `?`. */
function shape(sql: string): string {
  return sql.replace(/`/g, '"').replace(/\$\d+/g, "?");
}

const CREATED = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
const UPDATED = new Date(Date.UTC(2026, 0, 3, 4, 5, 6));

describeEachDatabase("events: recipes", (db) => {
  const ctx = useIsolatedDatabase(db, "events_recipes", Base.metadata);
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const stop of cleanup.splice(0)) stop();
  });

  it("created/updated timestamps: beforeInsert and beforeUpdate set columns the INSERT and UPDATE then write", async () => {
    await ctx.reset();
    const stampInsert = (_m: unknown, _c: AsyncConnection, author: Author) => {
      author.createdAt = CREATED;
      author.updatedAt = CREATED;
    };
    const stampUpdate = (_m: unknown, _c: AsyncConnection, author: Author) => {
      author.updatedAt = UPDATED;
    };
    listen(Author, "beforeInsert", stampInsert);
    listen(Author, "beforeUpdate", stampUpdate);
    cleanup.push(() => remove(Author, "beforeInsert", stampInsert), () => remove(Author, "beforeUpdate", stampUpdate));

    await using session = new AsyncSession(ctx.engine, { expireOnCommit: false });
    const recorder = new StatementRecorder(ctx.engine);
    const ann = new Author({ name: "ann" });
    session.add(ann);
    await session.commit();
    const inserted = shape(recorder.sql[0] as string);
    expect(inserted.startsWith('INSERT INTO "authors" ("name", "tenant_id", "created_at", "updated_at") VALUES (?, ?, ?, ?)')).toBe(true);
    recorder.clear();
    ann.name = "anne";
    await session.commit();
    expect(recorder.sql.map(shape)).toEqual(['UPDATE "authors" SET "name"=?, "updated_at"=? WHERE "authors"."id" = ?']);
    expect(recorder.statements[0]?.params.slice(0, 1)).toEqual(["anne"]);

    await using check = new AsyncSession(ctx.engine);
    const loaded = (await check.get(Author, ann.id)) as Author;
    expect([loaded.createdAt?.getTime(), loaded.updatedAt?.getTime()]).toEqual([CREATED.getTime(), UPDATED.getTime()]);
  });

  it("soft delete: doOrmExecute adds withLoaderCriteria to every ORM select, reaching eager and lazy loads", async () => {
    await ctx.reset();
    await ctx.engine.begin(async (conn) => {
      await conn.execute(insert(Author), [{ id: 101, name: "ann" }]);
      await conn.execute(insert(Post), [
        { id: 101, title: "live", authorId: 101, deletedAt: null },
        { id: 102, title: "gone", authorId: 101, deletedAt: CREATED },
      ]);
    });
    const Session = asyncSessionmaker(ctx.engine);
    listen(Session, "doOrmExecute", (state) => {
      const statement = state.ormSelect;
      if (statement !== undefined) state.statement = statement.options(withLoaderCriteria(Post, (p) => p.deletedAt.isNull(), { includeAliases: true }));
    });
    // One session at a time: SQLite's pool has one connection.
    const session = Session();
    const recorder = new StatementRecorder(ctx.engine);
    expect((await session.scalars(select(Post))).all().map((p) => p.title)).toEqual(["live"]);
    expect(shape(recorder.sql[0] as string)).toMatch(/WHERE "posts"\."deleted_at" IS NULL$/);
    recorder.clear();
    const [author] = (await session.scalars(select(Author).options(selectinload(Author.posts)))).all();
    expect(author?.posts.map((p) => p.title)).toEqual(["live"]);
    expect(recorder.sql).toHaveLength(2);
    expect(shape(recorder.sql[1] as string)).toMatch(/"posts"\."deleted_at" IS NULL/);
    recorder.clear();
    // get() goes through doOrmExecute too: the soft-deleted row is not found.
    expect(await session.get(Post, 102)).toBeNull();
    expect(shape(recorder.sql[0] as string)).toMatch(/WHERE "posts"\."id" = \? AND "posts"\."deleted_at" IS NULL$/);
    await session.close();
    recorder.clear();
    await using other = Session();
    const lazyAuthor = (await other.scalars(select(Author))).one();
    expect((await lazyAuthor.awaitableAttrs.posts).map((p) => p.title)).toEqual(["live"]);
    expect(shape(recorder.sql[1] as string)).toMatch(/"posts"\."deleted_at" IS NULL/);
  });

  it("per-tenant filtering: a tenant's sessionmaker filters every select and stamps new objects", async () => {
    await ctx.reset();
    await ctx.engine.begin(async (conn) => {
      await conn.execute(insert(Author), [{ id: 101, name: "ann", tenantId: 1 }, { id: 102, name: "bob", tenantId: 2 }]);
    });
    function tenantSessionmaker(tenantId: number) {
      const Session = asyncSessionmaker(ctx.engine, { expireOnCommit: false });
      listen(Session, "doOrmExecute", (state) => {
        const statement = state.ormSelect;
        if (statement === undefined) return;
        state.statement = statement.options(
          withLoaderCriteria(Author, (a) => a.tenantId.eq(tenantId)),
          withLoaderCriteria(Post, (p) => p.tenantId.eq(tenantId)),
        );
      });
      listen(Session, "transientToPending", (_session, instance) => {
        if (instance instanceof Author || instance instanceof Post) instance.tenantId = tenantId;
      });
      return Session;
    }
    // One session at a time: SQLite's pool has one connection.
    const tenant2 = tenantSessionmaker(2)();
    expect((await tenant2.scalars(select(Author).orderBy(Author.id))).all().map((a) => a.name)).toEqual(["bob"]);
    const cid = new Author({ name: "cid" });
    tenant2.add(cid);
    await tenant2.commit();
    expect(cid.tenantId).toBe(2);
    expect((await tenant2.scalars(select(Author).orderBy(Author.name))).all().map((a) => a.name)).toEqual(["bob", "cid"]);
    await tenant2.close();
    await using tenant1 = tenantSessionmaker(1)();
    expect((await tenant1.scalars(select(Author).orderBy(Author.id))).all().map((a) => a.name)).toEqual(["ann"]);
  });

  it("audit log: beforeFlush adds audit objects to the same flush; afterFlush writes with the flush's connection", async () => {
    await ctx.reset();
    const Session = asyncSessionmaker(ctx.engine, { expireOnCommit: false });
    listen(Session, "beforeFlush", (session) => {
      for (const object of session.new) if (!(object instanceof AuditEntry)) session.add(new AuditEntry({ action: "insert", entity: label(object) }));
      for (const object of session.dirty) session.add(new AuditEntry({ action: "update", entity: label(object) }));
    });
    listen(Session, "afterFlush", async (session, flush) => {
      const deleted = session.deleted.map((object) => ({ action: "delete", entity: label(object) }));
      if (deleted.length > 0) await (await flush.connection()).execute(insert(AuditEntry), deleted);
    });
    await using session = Session();
    const recorder = new StatementRecorder(ctx.engine);
    const ann = new Author({ name: "ann" });
    session.add(ann);
    await session.commit();
    ann.name = "anne";
    await session.commit();
    await session.delete(ann);
    await session.commit();
    // The audit objects added in beforeFlush are INSERTed by the same flush (in its table order, before
    // UPDATEs); the deletes' audit rows after the DELETE, by afterFlush on the flush's connection.
    expect(recorder.sql.map((sql) => /^(\w+) (?:.*? FROM |INTO |FROM )?"(\w+)"/.exec(shape(sql))?.slice(1).join(" "))).toEqual([
      "INSERT audit_entries",
      "INSERT authors",
      "INSERT audit_entries",
      "UPDATE authors",
      "SELECT posts",
      "DELETE authors",
      "INSERT audit_entries",
    ]);
    const log = (await session.execute(select(AuditEntry.action, AuditEntry.entity).orderBy(AuditEntry.id))).all().map((r) => `${r.action} ${r.entity}`);
    expect(log).toEqual(["insert Author(ann)", "update Author(anne)", "delete Author(anne)"]);
  });
});
