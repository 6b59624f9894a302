import { describe, expectTypeOf, it } from "vitest";
import {
  type AsyncSession,
  Integer,
  type Loaded,
  StringType,
  declarativeBase,
  joinedload,
  mappedColumn,
  raiseload,
  selectinload,
} from "../../src/index.ts";
import { Organization, Post, Tag, User } from "../fixtures/loading-models/blog.ts";
import { type Unloaded, typeOnly, value } from "./support.ts";

const SessionTypesBase = declarativeBase();

/** A two-column primary key, and a string one. */
class Enrollment extends SessionTypesBase.model("session_types_enrollments", {
  courseId: mappedColumn(Integer, { primaryKey: true }),
  studentId: mappedColumn(Integer, { primaryKey: true }),
  grade: mappedColumn(StringType(2)),
}) {}

class Country extends SessionTypesBase.model("session_types_countries", {
  code: mappedColumn(StringType(2), { primaryKey: true }),
  name: mappedColumn(StringType(50), { nullable: false }),
}) {}

/** The session's signatures: `get()` keys and options, `refresh()` and `expire()` attribute names. */
describe("types: session signatures", () => {
  it("get() and getOne() type their options' loads", () => {
    typeOnly(async () => {
      const session = value<AsyncSession>();
      const user = await session.get(User, 1, { options: [selectinload(User.posts).selectinload(Post.tags)] });
      expectTypeOf(user).toEqualTypeOf<Loaded<User, "posts" | "posts.tags"> | null>();
      const tags: string[] | undefined = user?.posts.flatMap((p) => p.tags.map((t) => t.name));
      void tags;
      const one = await session.getOne(User, 1, { options: [joinedload(User.organization)] });
      expectTypeOf(one.organization).toEqualTypeOf<Organization | null>();
      const plain = await session.get(User, 1);
      expectTypeOf(plain).toEqualTypeOf<User | null>();
      const raised = await session.getOne(User, 1, { options: [raiseload(User.posts)] });
      expectTypeOf(raised.posts).toEqualTypeOf<Unloaded<Post[], "posts">>();
      // @ts-expect-error an option of another entity
      await session.get(User, 1, { options: [selectinload(Tag.posts)] });
    });
  });

  it("get() takes the primary key's type and shapes", () => {
    typeOnly(async () => {
      const session = value<AsyncSession>();
      await session.get(User, 1);
      await session.get(User, [1]);
      await session.get(User, { id: 1 });
      await session.get(Country, "fr");
      await session.get(Enrollment, { courseId: 1, studentId: 2 });
      await session.get(Enrollment, [1, 2]);
      // @ts-expect-error a string for an Integer key
      await session.get(User, "1");
      // @ts-expect-error null
      await session.get(User, null);
      // @ts-expect-error another attribute
      await session.get(User, { name: "ann" });
      // @ts-expect-error a number for a string key
      await session.get(Country, 33);
      // @ts-expect-error one value for a two-column key
      await session.get(Enrollment, 1);
      // @ts-expect-error half of the key
      await session.get(Enrollment, { courseId: 1 });
      // @ts-expect-error getOne too
      await session.getOne(User, "1");
    });
  });

  it("refresh() resolves to the object typed with the named relationships loaded", () => {
    typeOnly(async () => {
      const session = value<AsyncSession>();
      const user = value<User>();
      const refreshed = await session.refresh(user, ["organization"]);
      expectTypeOf(refreshed.organization).toEqualTypeOf<Organization | null>();
      expectTypeOf(refreshed.posts).toEqualTypeOf<Post[] | Unloaded<Post[], "posts">>();
      const both = await session.refresh(user, ["posts", "name", "bio"]);
      expectTypeOf(both.posts).toEqualTypeOf<Post[]>();
      expectTypeOf(both.bio).toEqualTypeOf<string | null>();
      const whole = await session.refresh(user);
      expectTypeOf(whole).toEqualTypeOf<User>();
      // @ts-expect-error not an attribute of User
      await session.refresh(user, ["nickname"]);
      // @ts-expect-error awaitableAttrs is not an attribute
      await session.refresh(user, ["awaitableAttrs"]);
    });
  });

  it("expire() takes attribute names of the object", () => {
    typeOnly(() => {
      const session = value<AsyncSession>();
      session.expire(value<User>(), ["name", "posts"]);
      session.expire(value<Organization>());
      // @ts-expect-error not an attribute of User
      session.expire(value<User>(), ["title"]);
      // @ts-expect-error an attribute of another class
      session.expire(value<Organization>(), ["posts"]);
    });
  });

  it("awaitableAttrs gives the loaded type of each attribute", () => {
    typeOnly(async () => {
      const user = value<User>();
      expectTypeOf(await user.awaitableAttrs.posts).toEqualTypeOf<Post[]>();
      expectTypeOf(await user.awaitableAttrs.organization).toEqualTypeOf<Organization | null>();
      expectTypeOf(await user.awaitableAttrs.bio).toEqualTypeOf<string | null>();
      expectTypeOf(await user.awaitableAttrs.name).toEqualTypeOf<string>();
      // @ts-expect-error no such attribute
      void user.awaitableAttrs.nickname;
    });
  });
});
