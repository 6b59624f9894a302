import { describe, expectTypeOf, it } from "vitest";
import type { Readable, ReadableRow } from "../../src/orm/mapping/readable.ts";
import { Organization, Post, User } from "../fixtures/loading-models/blog.ts";
import { typeOnly, value } from "./support.ts";

/**
 * The synchronous Session's result types: a read of an unloaded relationship or deferred column
 * loads it, so no attribute is `NotLoaded` and every read compiles, down the object graph.
 */
describe("types: Readable (the synchronous Session's objects)", () => {
  it("relationships and deferred columns are their plain types", () => {
    expectTypeOf<Readable<User>["posts"]>().toEqualTypeOf<Readable<Post>[]>();
    expectTypeOf<Readable<User>["organization"]>().toEqualTypeOf<Readable<Organization> | null>();
    expectTypeOf<Readable<User>["bio"]>().toEqualTypeOf<string | null>();
    expectTypeOf<Readable<User>["name"]>().toEqualTypeOf<User["name"]>();
  });

  it("reads through the graph compile; a readable object is still its model", () => {
    typeOnly(() => {
      const user = value<Readable<User>>();
      void user.posts.length;
      void user.posts.map((p) => p.author?.organization?.name);
      void user.organization?.users[0]?.posts;
      const asModel: User = user;
      void asModel;
      // @ts-expect-error a plain User's unloaded collection still does not compile
      void value<User>().posts.length;
    });
  });

  it("rows: entities readable, columns unchanged", () => {
    expectTypeOf<ReadableRow<[User, string, number | null]>>().toEqualTypeOf<[Readable<User>, string, number | null]>();
    expectTypeOf<ReadableRow<[Organization | null]>>().toEqualTypeOf<[Readable<Organization> | null]>();
  });
});
