import { describe, expectTypeOf, it } from "vitest";
import { Load, type NotLoaded, defer, loadOnly, select, selectinload, undefer } from "../../src/index.ts";
import { Organization, Post, User } from "../fixtures/loading-models/blog.ts";
import { type First, type Row, type Unloaded, type UnloadedColumn, typeOnly, value } from "./support.ts";

/**
 * Column loading in the types: a column declared `deferred: true` is typed as maybe not loaded,
 * `undefer()` and `loadOnly()` type it loaded, `defer()` types a column not loaded.
 */
describe("types: deferred columns and column options", () => {
  it("a declared-deferred column is maybe not loaded; the others are plain", () => {
    expectTypeOf<User["bio"]>().toEqualTypeOf<string | null | UnloadedColumn<string | null, "bio">>();
    expectTypeOf<User["name"]>().toEqualTypeOf<string>();
    const stmt = select(User);
    expectTypeOf<First<typeof stmt>["bio"]>().toEqualTypeOf<string | null | UnloadedColumn<string | null, "bio">>();
    typeOnly(() => {
      // @ts-expect-error bio is deferred: not loaded by select(User)
      void value<First<typeof stmt>>().bio?.length;
    });
  });

  it("undefer and loadOnly type it loaded", () => {
    const undeferred = select(User).options(undefer(User.bio));
    expectTypeOf<First<typeof undeferred>["bio"]>().toEqualTypeOf<string | null>();
    const only = select(User).options(loadOnly(User.name, User.bio));
    expectTypeOf<First<typeof only>["bio"]>().toEqualTypeOf<string | null>();
    const bound = select(User).options(Load(User).undefer(User.bio));
    expectTypeOf<First<typeof bound>["bio"]>().toEqualTypeOf<string | null>();
    const readBio = (user: First<typeof undeferred>): number => user.bio?.length ?? 0;
    void readBio;
  });

  it("loadOnly types the columns it leaves out as not loaded, but the primary key", () => {
    const only = select(User).options(loadOnly(User.name));
    type U = First<typeof only>;
    expectTypeOf<U["name"]>().toEqualTypeOf<string>();
    expectTypeOf<U["id"]>().toEqualTypeOf<number>();
    expectTypeOf<U["email"]>().toEqualTypeOf<UnloadedColumn<string | null, "email">>();
    expectTypeOf<U["organizationId"]>().toEqualTypeOf<UnloadedColumn<number | null, "organizationId">>();
    expectTypeOf<U["bio"]>().toEqualTypeOf<UnloadedColumn<string | null, "bio">>();
    // relationships are not columns: loadOnly leaves them as they were
    expectTypeOf<U["posts"]>().toEqualTypeOf<Post[] | Unloaded<Post[], "posts">>();
    const raised = select(User).options(loadOnly(User.email, { raiseload: true }));
    expectTypeOf<First<typeof raised>["name"]>().toEqualTypeOf<UnloadedColumn<string, "name">>();
    const chained = select(User).options(selectinload(User.posts).loadOnly(Post.title));
    expectTypeOf<First<typeof chained>["posts"][number]["userId"]>().toEqualTypeOf<UnloadedColumn<number | null, "userId">>();
    expectTypeOf<First<typeof chained>["posts"][number]["title"]>().toEqualTypeOf<string>();
    expectTypeOf<First<typeof chained>["email"]>().toEqualTypeOf<string | null>();
    typeOnly(() => {
      // @ts-expect-error email was left out by loadOnly(User.name)
      void value<U>().email?.length;
    });
  });

  it("defer types a column not loaded, with or without raiseload", () => {
    const deferred = select(User).options(defer(User.email));
    expectTypeOf<First<typeof deferred>["email"]>().toEqualTypeOf<UnloadedColumn<string | null, "email">>();
    expectTypeOf<First<typeof deferred>["name"]>().toEqualTypeOf<string>();
    const raised = select(User).options(defer(User.name, User.email, { raiseload: true }));
    expectTypeOf<First<typeof raised>["name"]>().toEqualTypeOf<UnloadedColumn<string, "name">>();
    expectTypeOf<First<typeof raised>["email"]>().toEqualTypeOf<UnloadedColumn<string | null, "email">>();
    typeOnly(() => {
      // @ts-expect-error deferred by the option
      void value<First<typeof raised>>().name.length;
    });
    // undefer beside defer of the same column: loaded (as at run time, the later option wins here)
    const both = select(User).options(defer(User.email, User.bio, { raiseload: true }), undefer(User.bio));
    expectTypeOf<First<typeof both>["bio"]>().toEqualTypeOf<string | null>();
    expectTypeOf<First<typeof both>["email"]>().toEqualTypeOf<UnloadedColumn<string | null, "email">>();
  });

  it("column options at the end of a chain apply to its target", () => {
    const stmt = select(Post).options(selectinload(Post.author).undefer(User.bio));
    expectTypeOf<NonNullable<First<typeof stmt>["author"]>["bio"]>().toEqualTypeOf<string | null>();
    const deferred = select(User).options(selectinload(User.posts).defer(Post.title));
    expectTypeOf<First<typeof deferred>["posts"][number]["title"]>().toEqualTypeOf<UnloadedColumn<string, "title">>();
    expectTypeOf<First<typeof deferred>["bio"]>().toEqualTypeOf<string | null | UnloadedColumn<string | null, "bio">>();
    const bound = select(User).options(Load(User).defer(User.email));
    expectTypeOf<First<typeof bound>["email"]>().toEqualTypeOf<UnloadedColumn<string | null, "email">>();
  });

  it("awaitableAttrs gives the column's loaded type", () => {
    typeOnly(async () => {
      const bio: string | null = await value<User>().awaitableAttrs.bio;
      void bio;
    });
  });

  it("a column option types only its own class's entity in a multi-entity row, and must name an entity of the statement", () => {
    const deferred = select(User, Organization).options(defer(User.name));
    expectTypeOf<Row<typeof deferred>[0]["name"]>().toEqualTypeOf<UnloadedColumn<string, "name">>();
    expectTypeOf<Row<typeof deferred>[1]["name"]>().toEqualTypeOf<string>();
    const only = select(User, Organization).options(loadOnly(User.email));
    expectTypeOf<Row<typeof only>[0]["name"]>().toEqualTypeOf<UnloadedColumn<string, "name">>();
    expectTypeOf<Row<typeof only>[1]["name"]>().toEqualTypeOf<string>();
    const undeferred = select(User, Organization).options(undefer(User.bio));
    expectTypeOf<Row<typeof undeferred>[0]["bio"]>().toEqualTypeOf<string | null>();
    typeOnly(() => {
      // @ts-expect-error User.name is not a column of the statement's entity (Organization)
      select(Organization).options(defer(User.name));
      // @ts-expect-error nor undefer's
      select(Organization).options(undefer(User.bio));
    });
  });
});
