import { describe, expectTypeOf, it } from "vitest";
import {
  type AsyncConnection,
  type AsyncEngine,
  AsyncSession,
  type AsyncSessionmaker,
  type ConnectionEventMap,
  type EventMapOf,
  type FlushContext,
  type LoadEventContext,
  type Mapper,
  NO_VALUE,
  type OrmExecuteState,
  type Result,
  type SessionEventMap,
  listen,
  listensFor,
  remove,
} from "../../src/index.ts";
import { Author, Post } from "../fixtures/event-models/index.ts";
import { typeOnly, value } from "./support.ts";

/** `listen()` checks the event name against the target's kind, and the listener against the event. */
describe("types: event listeners", () => {
  it("each target kind has its event map", () => {
    expectTypeOf<EventMapOf<AsyncEngine>>().toEqualTypeOf<ConnectionEventMap>();
    expectTypeOf<EventMapOf<AsyncConnection>>().toEqualTypeOf<ConnectionEventMap>();
    expectTypeOf<EventMapOf<AsyncSession>>().toEqualTypeOf<SessionEventMap>();
    expectTypeOf<EventMapOf<AsyncSessionmaker>>().toEqualTypeOf<SessionEventMap>();
    expectTypeOf<EventMapOf<typeof AsyncSession>>().toEqualTypeOf<SessionEventMap>();
    expectTypeOf<Parameters<EventMapOf<typeof Author>["beforeInsert"]>>().toEqualTypeOf<[mapper: Mapper, connection: AsyncConnection, target: Author]>();
    expectTypeOf<Parameters<EventMapOf<typeof Author>["load"]>>().toEqualTypeOf<[target: Author, context: LoadEventContext<AsyncSession>]>();
    expectTypeOf<Parameters<EventMapOf<typeof Author.name>["set"]>[1]>().toEqualTypeOf<string>();
    expectTypeOf<Parameters<EventMapOf<typeof Author.posts>["append"]>[1]>().toEqualTypeOf<Post>();
    expectTypeOf<Parameters<EventMapOf<typeof Post.author>["set"]>[1]>().toEqualTypeOf<Author>();
  });

  it("listeners get typed arguments", () => {
    typeOnly(() => {
      const engine = value<AsyncEngine>();
      const session = value<AsyncSession>();
      listen(engine, "beforeExecute", (conn, sql, params) => {
        expectTypeOf(conn).toEqualTypeOf<AsyncConnection>();
        expectTypeOf(sql).toEqualTypeOf<string>();
        expectTypeOf(params).toEqualTypeOf<readonly unknown[]>();
      });
      listen(engine, "beforeExecute", (_conn, sql, params) => ({ sql: sql.toUpperCase(), params }), { retval: true });
      listen(engine, "handleError", (context) => expectTypeOf(context.error).toEqualTypeOf<unknown>());
      listen(session, "beforeFlush", async (s, flush, instances) => {
        expectTypeOf(s).toEqualTypeOf<AsyncSession>();
        expectTypeOf(flush).toEqualTypeOf<FlushContext>();
        expectTypeOf(instances).toEqualTypeOf<undefined>();
        expectTypeOf(await flush.connection()).toEqualTypeOf<AsyncConnection>();
      });
      listen(AsyncSession, "pendingToPersistent", (s, instance) => {
        expectTypeOf(s).toEqualTypeOf<AsyncSession>();
        expectTypeOf(instance).toEqualTypeOf<object>();
      });
      listen(session, "doOrmExecute", (state) => {
        expectTypeOf(state).toEqualTypeOf<OrmExecuteState>();
        expectTypeOf(state.isSelect).toEqualTypeOf<boolean>();
        return state.invokeStatement();
      });
      listen(Author, "beforeUpdate", (_mapper, _conn, author) => {
        expectTypeOf(author).toEqualTypeOf<Author>();
        author.updatedAt = new Date();
      });
      listen(Author, "refresh", (_author, _context, attrs) => expectTypeOf(attrs).toEqualTypeOf<readonly string[] | undefined>());
      listen(Author.name, "set", (target, value, old) => {
        expectTypeOf(target).toEqualTypeOf<object>();
        expectTypeOf(value).toEqualTypeOf<string>();
        expectTypeOf(old).toEqualTypeOf<string | typeof NO_VALUE>();
        return value.trim();
      }, { retval: true });
      listen(Author.posts, "remove", (_target, post) => expectTypeOf(post).toEqualTypeOf<Post>());
    });
  });

  it("listensFor(target, name)(fn) registers fn and returns it with its own type", () => {
    typeOnly(() => {
      const stamp = listensFor(Post, "beforeInsert")((_mapper: Mapper, _conn: AsyncConnection, post: Post) => {
        post.deletedAt = null;
      });
      expectTypeOf(stamp).toEqualTypeOf<(_mapper: Mapper, _conn: AsyncConnection, post: Post) => void>();
      remove(Post, "beforeInsert", stamp);
    });
  });

  it("misuse does not compile", () => {
    typeOnly(() => {
      const engine = value<AsyncEngine>();
      const session = value<AsyncSession>();
      // @ts-expect-error: a session event on an engine
      listen(engine, "beforeFlush", () => {});
      // @ts-expect-error: a misspelt event name
      listen(session, "beforeflush", () => {});
      // @ts-expect-error: an engine event on a model class
      listen(Author, "beforeExecute", () => {});
      // @ts-expect-error: a mapper event on an attribute
      listen(Author.name, "beforeInsert", () => {});
      // @ts-expect-error: the listener's target is an Author, not a Post
      listen(Author, "afterInsert", (_mapper: Mapper, _conn: AsyncConnection, _post: Post) => {});
      // @ts-expect-error: sql is a string
      listen(engine, "beforeExecute", (_conn, sql: number) => void sql);
      // @ts-expect-error: a name's value is a string, not a number
      listen(Author.name, "set", (_target, value: number) => value);
      // @ts-expect-error: beforeExecute returns a replacement statement or nothing
      listen(engine, "beforeExecute", () => 42, { retval: true });
      // @ts-expect-error: doOrmExecute returns a Result or nothing
      listen(session, "doOrmExecute", () => "cached");
      // @ts-expect-error: not an event target
      listen({}, "set", () => {});
      // @ts-expect-error: listensFor checks the event name too
      listensFor(session, "afterInsert");
      const result = value<Result<unknown>>();
      listen(session, "doOrmExecute", () => result);
      const authors = value<Result<[Author]>>();
      listen(session, "doOrmExecute", async () => authors);
    });
  });
});
