import { describe, expectTypeOf, it } from "vitest";
import { type Loaded, type NotLoaded, select, selectinload } from "../../src/index.ts";
import { Organization, Post, User } from "../fixtures/loading-models/blog.ts";
import { type First, type Unloaded, type UnloadedColumn, typeOnly, value } from "./support.ts";

/**
 * What an unloaded attribute lets one do. Every use that needs the value fails with a message
 * naming the fix; TypeScript cannot stop a use that needs no member of the value (comparing it with
 * null, truthiness, passing it where `unknown` is taken, destructuring it out): those compile, and
 * the run-time `MissingGreenlet` (raised by the read itself) still catches them.
 */
describe("types: unloaded attributes", () => {
  it("the type carries the fix in its message", () => {
    expectTypeOf<User["posts"]>().toEqualTypeOf<Post[] | Unloaded<Post[], "posts">>();
    expectTypeOf<Unloaded<Post[], "posts">>().toEqualTypeOf<
      NotLoaded<Post[], "posts is not loaded: add selectinload(Model.posts) or joinedload(Model.posts) to the query's options, or read await obj.awaitableAttrs.posts">
    >();
    expectTypeOf<User["bio"]>().toEqualTypeOf<string | null | UnloadedColumn<string | null, "bio">>();
  });

  it("a loaded attribute is the plain target type", () => {
    const stmt = select(User).options(selectinload(User.posts), selectinload(User.organization));
    expectTypeOf<First<typeof stmt>["posts"]>().toEqualTypeOf<Post[]>();
    expectTypeOf<First<typeof stmt>["organization"]>().toEqualTypeOf<Organization | null>();
    expectTypeOf<Loaded<User, "posts">["posts"]>().toEqualTypeOf<Post[]>();
  });

  it("every use that needs the value does not compile", () => {
    typeOnly(() => {
      const user = value<User>();
      // @ts-expect-error a member of the collection
      void user.posts.length;
      // @ts-expect-error a method of the collection
      user.posts.map((p) => p.title);
      // @ts-expect-error iterating it
      for (const post of user.posts) void post;
      // @ts-expect-error spreading it
      void [...user.posts];
      // @ts-expect-error indexing it
      void user.posts[0];
      // @ts-expect-error a member of the reference, even behind ?.
      void user.organization?.name;
      // @ts-expect-error assigning it where the loaded type is expected
      const posts: Post[] = user.posts;
      void posts;
      // @ts-expect-error passing it as the loaded type
      ((organization: Organization | null) => organization)(user.organization);
      // @ts-expect-error a deferred column's member
      void user.bio?.length;
      // @ts-expect-error a deferred column as its type
      const bio: string | null = user.bio;
      void bio;
      // @ts-expect-error a user not typed loaded where a loaded one is expected
      ((loaded: Loaded<User, "posts">) => loaded)(user);
    });
  });

  it("what TypeScript cannot catch compiles (MissingGreenlet catches it at run time)", () => {
    typeOnly(() => {
      const user = value<User>();
      // Comparisons with null / undefined: TypeScript allows them for every type.
      void (user.organization === null);
      // Truthiness.
      if (user.organization) void 0;
      // Passing it where any value is taken.
      console.log(user.organization);
      JSON.stringify(user.posts);
      // Destructuring it out (using the variable then fails as above).
      const { posts } = user;
      // @ts-expect-error … but using it does not compile
      void posts.length;
    });
  });

  it("writing a loaded value into an unloaded relationship compiles (assignment replaces it)", () => {
    typeOnly(() => {
      const user = value<User>();
      user.posts = [value<Post>()];
      user.organization = null;
    });
  });
});
