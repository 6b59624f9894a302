import { describe, expectTypeOf, it } from "vitest";
import { type AsyncSession, type Readable, type Session, type SyncSessionTransaction, joinedload, listen, select, selectinload } from "../../src/index.ts";
import { Organization, Post, User } from "../fixtures/loading-models/blog.ts";
import { typeOnly, value } from "./support.ts";

/**
 * The synchronous Session's signatures beside AsyncSession's: its results are `Readable` (a read
 * of an unloaded relationship loads it, so it compiles), its methods return values, not promises.
 * The same read under AsyncSession compiles only when an option loads the relationship.
 */
describe("types: the synchronous Session", () => {
  it("session.execute(select(User)).scalars().one().organization.name compiles under Session", () => {
    typeOnly(() => {
      const session = value<Session>();
      const user = session.execute(select(User)).scalars().one();
      expectTypeOf(user).toEqualTypeOf<Readable<User>>();
      void user.organization?.name;
      void user.posts.map((p) => p.tags.length);
      void session.scalars(select(User)).all()[0]?.organization?.users.length;
      void session.scalar(select(User))?.posts.length;
      expectTypeOf(session.execute(select(User.name, User)).all()).toEqualTypeOf<[string, Readable<User>][]>();
    });
  });

  it("under AsyncSession the same read does not compile without an option, and does with one", () => {
    typeOnly(async () => {
      const session = value<AsyncSession>();
      const user = (await session.execute(select(User))).scalars().one();
      // @ts-expect-error organization is NotLoaded: no option loaded it
      void user.organization?.name;
      // @ts-expect-error the collection too
      void user.posts.length;
      const loaded = (await session.execute(select(User).options(joinedload(User.organization), selectinload(User.posts)))).scalars().one();
      void loaded.organization?.name;
      void loaded.posts.length;
    });
  });

  it("get, getOne, refresh and merge return Readable objects, not promises", () => {
    typeOnly(() => {
      const session = value<Session>();
      expectTypeOf(session.get(User, 1)).toEqualTypeOf<Readable<User> | null>();
      expectTypeOf(session.getOne(Post, 1)).toEqualTypeOf<Readable<Post>>();
      expectTypeOf(session.refresh(value<User>())).toEqualTypeOf<Readable<User>>();
      expectTypeOf(session.merge(value<Organization>())).toEqualTypeOf<Readable<Organization>>();
      void session.getOne(User, 1).organization?.users.length;
      // @ts-expect-error refresh() takes attribute names of the model
      session.refresh(value<User>(), ["nope"]);
    });
  });

  it("flush, commit, rollback and close return void; begin() a synchronous transaction; begin(work) work's value", () => {
    typeOnly(() => {
      const session = value<Session>();
      expectTypeOf(session.flush()).toEqualTypeOf<void>();
      expectTypeOf(session.flush()).not.toEqualTypeOf<Promise<void>>();
      expectTypeOf(session.commit()).toEqualTypeOf<void>();
      expectTypeOf(session.rollback()).toEqualTypeOf<void>();
      expectTypeOf(session.close()).toEqualTypeOf<void>();
      expectTypeOf(session.begin()).toEqualTypeOf<SyncSessionTransaction>();
      expectTypeOf(session.beginNested()).toEqualTypeOf<SyncSessionTransaction>();
      expectTypeOf(session.begin(() => 42)).toEqualTypeOf<number>();
      expectTypeOf(session.runTransaction((s) => s.getOne(User, 1).name)).toEqualTypeOf<string>();
      expectTypeOf(value<AsyncSession>().flush()).toEqualTypeOf<Promise<void>>();
    });
  });

  it("listen() takes a synchronous Session, with the session events' listener types", () => {
    typeOnly(() => {
      const session = value<Session>();
      listen(session, "afterCommit", () => undefined);
      listen(session, "doOrmExecute", (state) => void state.statement);
      // @ts-expect-error not a session event
      listen(session, "beforeInsert", () => undefined);
    });
  });
});
