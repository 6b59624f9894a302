import { expect, it } from "vitest";
import { select } from "../../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { GraphBase, Organization, Post, User } from "../../../fixtures/uow-models/graph.ts";
import { loaded, rawRows, resetGraph, shapes, summary } from "./uow-support.ts";

describeEachSessionKind("unit of work: foreign keys from relationships, backPopulates", (db) => {
  const ctx = useSessionDatabase(db, "uow_fk_sync", GraphBase.metadata);

  it("keeps both sides in step in memory, with no SQL, on set, push, replace and remove", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const acme = new Organization({ name: "Acme" });
    const globex = new Organization({ name: "Globex" });
    const ann = new User({ name: "ann" });
    const bob = new User({ name: "bob" });

    ann.organization = acme; // many-to-one side
    expect(loaded(acme.users)).toEqual([ann]);
    loaded(acme.users).push(bob); // collection side
    expect(bob.organization).toBe(acme);
    ann.organization = globex; // replace: leaves the old collection, joins the new one
    expect(loaded(acme.users)).toEqual([bob]);
    expect(loaded(globex.users)).toEqual([ann]);
    const acmeUsers = loaded(acme.users);
    acmeUsers.splice(acmeUsers.indexOf(bob), 1);
    expect(bob.organization).toBeNull();
    globex.users = [ann, bob]; // assigning a whole collection
    expect(bob.organization).toBe(globex);
    ann.organization = null;
    expect(loaded(globex.users)).toEqual([bob]);
    // Foreign key columns wait for the flush.
    expect(bob.organizationId).toBeNull();
    expect(recorder.all).toEqual([]);
    recorder.stop();
  });

  it("copies keys into foreign keys at flush from either side of the relationship", async () => {
    await resetGraph(ctx);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession({ expireOnCommit: false });
    const org = new Organization({ name: "Acme" });
    const ann = new User({ name: "ann" });
    const bob = new User({ name: "bob" });
    ann.organization = org;
    loaded(org.users).push(bob);
    const post = new Post({ title: "hello" });
    loaded(bob.posts).push(post);
    session.add(org); // save-update cascades to the users and the post
    const { statements } = await recorder.during(() => session.flush());
    expect(summary(statements)).toEqual(["INSERT organizations", "INSERT users", "INSERT posts"]);
    expect([ann.organizationId, bob.organizationId, post.userId]).toEqual([org.id, org.id, bob.id]);
    await session.commit();
  });

  it("moves a persistent child: one UPDATE of its foreign key, loading neither collection", async () => {
    await resetGraph(ctx);
    {
      await using setup = ctx.openSession();
      setup.addAll([new Organization({ id: 1, name: "Acme" }), new Organization({ id: 2, name: "Globex" })]);
      await setup.flush();
      setup.add(new User({ id: 10, name: "ann", organizationId: 1 }));
      await setup.commit();
    }
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const [ann] = (await session.scalars(select(User))).all() as [User];
    const globex = (await session.get(Organization, 2)) as Organization;
    recorder.clear();
    ann.organization = globex; // globex.users is unloaded: it stays unloaded, no SQL
    expect(recorder.statements).toEqual([]);
    expect(ann.organizationId).toBe(1);
    const { statements } = await recorder.during(() => session.flush());
    expect(shapes(statements)).toEqual(['UPDATE "users" SET "organization_id"=? WHERE "users"."id" = ?']);
    expect(statements[0]?.params).toEqual([2, 10]);
    expect(ann.organizationId).toBe(2);

    // Removing it from a loaded collection sets the foreign key to NULL (the default cascade).
    const users = (await session.execute(select(User).where(User.organizationId.eq(2)))).scalars().all();
    expect(users).toEqual([ann]);
    ann.organization = null;
    const second = await recorder.during(() => session.flush());
    expect(shapes(second.statements)).toEqual(['UPDATE "users" SET "organization_id"=? WHERE "users"."id" = ?']);
    expect(second.statements[0]?.params).toEqual([null, 10]);
    await session.commit();
    const rows = await rawRows(ctx.engine, "SELECT id, organization_id FROM users");
    expect(rows.map(([id, org]) => [Number(id), org])).toEqual([[10, null]]);
  });

  it("deleting a parent without the delete cascade sets its children's foreign keys to NULL first", async () => {
    await resetGraph(ctx);
    {
      await using setup = ctx.openSession();
      setup.add(new Organization({ id: 1, name: "Acme" }));
      await setup.flush();
      setup.addAll([new User({ id: 10, name: "ann", organizationId: 1 }), new User({ id: 11, name: "bob", organizationId: 1 })]);
      await setup.commit();
    }
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const org = (await session.get(Organization, 1)) as Organization;
    recorder.clear();
    await session.delete(org);
    expect(recorder.statements).toEqual([]); // delete() itself runs no SQL for the default cascade
    const { statements } = await recorder.during(() => session.flush());
    const select = 'SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id" FROM "users" WHERE "users"."organization_id" = ?';
    const del = 'DELETE FROM "organizations" WHERE "organizations"."id" = ?';
    if (ctx.engine.dialect.name === "mysql") {
      // No UPDATE … FROM on MySQL/MariaDB: one UPDATE per child.
      expect(shapes(statements)).toEqual([select, 'UPDATE "users" SET "organization_id"=? WHERE "users"."id" = ?', 'UPDATE "users" SET "organization_id"=? WHERE "users"."id" = ?', del]);
      expect(statements.slice(1).map((s) => s.params)).toEqual([[null, 10], [null, 11], [1]]);
    } else {
      // Both children in one UPDATE from a list of values (batched-updates.test.ts has its shapes).
      expect(shapes(statements)[0]).toBe(select);
      expect(shapes(statements)[1]).toMatch(/^UPDATE "users" SET "organization_id" = "v"\."(organization_id|column2)" FROM (\(VALUES |unnest\()/);
      expect(shapes(statements)[2]).toBe(del);
      // PostgreSQL binds one array per column (keys, then the NULLed foreign keys).
      const postgres = ctx.engine.dialect.name === "postgresql";
      expect(statements.slice(1).map((s) => s.params)).toEqual([postgres ? ['{"10","11"}', "{NULL,NULL}"] : [10, null, 11, null], [1]]);
    }
    await session.commit();
    const rows = await rawRows(ctx.engine, "SELECT id, organization_id FROM users ORDER BY id");
    expect(rows.map(([id, org]) => [Number(id), org])).toEqual([
      [10, null],
      [11, null],
    ]);
  });
});
