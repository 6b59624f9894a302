import { describe, expect, expectTypeOf, it } from "vitest";
import { ArgumentError, type EntitySelect, type Select, select } from "../../../src/index.ts";
import { Organization, Post, User } from "../../fixtures/loading-models/blog.ts";

/**
 * Issue 9: `join()` / `outerjoin()` / `joinFrom()` take mapped classes and relationship attributes,
 * typed, and a join leaves the row type as it was. The `@ts-expect-error` lines are assertions
 * (`npm run typecheck` fails if they compile).
 */
describe("join targets: types", () => {
  it("column selects join by relationship, by class, by class with ON, and outer; rows keep their type", () => {
    const byRelationship = select(Post.title, User.name).join(Post.author);
    const byClass = select(Post.title, User.name).join(User);
    const withOn = select(Post.title, User.name).join(Post, Post.userId.eq(User.id));
    const outer = select(Post.title, User.name).outerjoin(User.posts).outerjoin(Organization, undefined, { full: false });
    const from = select(Post.title, User.name).joinFrom(Post, User);
    type Row = { title: string; name: string };
    expectTypeOf(byRelationship).toEqualTypeOf<Select<Row>>();
    expectTypeOf(byClass).toEqualTypeOf<Select<Row>>();
    expectTypeOf(withOn).toEqualTypeOf<Select<Row>>();
    expectTypeOf(outer).toEqualTypeOf<Select<Row>>();
    expectTypeOf(from).toEqualTypeOf<Select<Row>>();
  });

  it("entity selects keep their tuple rows across the same forms", () => {
    const users = select(User).join(Post).outerjoin(User.organization).join(Post, Post.userId.eq(User.id));
    expectTypeOf(users).toEqualTypeOf<EntitySelect<[User], [false]>>();
  });

  it("misuse does not compile, and throws if forced", () => {
    // @ts-expect-error a string is not a join target (SQL text must be text())
    expect(() => select(Post.title).join("users")).toThrow(ArgumentError);
    // @ts-expect-error a column is not a join target
    expect(() => select(Post.title).join(User.name)).toThrow(ArgumentError);
    class Unmapped {}
    // @ts-expect-error an unmapped class is not a join target
    expect(() => select(Post.title).join(Unmapped)).toThrow(/unmapped class Unmapped/);
    // @ts-expect-error the ON clause is a boolean expression, not a string
    expect(() => select(Post.title).join(User, "posts.user_id = users.id")).toThrow(ArgumentError);
    // A relationship names a join, not a FROM item: joinFrom's left side refuses it at run time.
    expect(() => select(Post.title).joinFrom(Post.author, User)).toThrow(/relationship names a join/);
  });
});
