import { describe, expectTypeOf, it } from "vitest";
import { Load, type NotLoaded, defaultload, joinedload, lazyload, noload, raiseload, select, selectinload } from "../../src/index.ts";
import { Organization, Post, Tag, User } from "../fixtures/loading-models/blog.ts";
import * as configured from "../fixtures/loading-models/configured.ts";
import { type First, type Row, type Unloaded, typeOnly, value } from "./support.ts";

/**
 * Options that do not load (`raiseload`, `lazyload`, `noload`, and their `"*"` wildcards) type the
 * relationships they name as not loaded, including relationships declared eager.
 */
describe("types: non-loading options and wildcards", () => {
  it("raiseload, lazyload and noload make a lazy relationship only NotLoaded", () => {
    const raised = select(User).options(raiseload(User.organization));
    expectTypeOf<First<typeof raised>["organization"]>().toEqualTypeOf<Unloaded<Organization | null, "organization">>();
    const sqlOnly = select(User).options(raiseload(User.organization, { sqlOnly: true }));
    expectTypeOf<First<typeof sqlOnly>["organization"]>().toEqualTypeOf<Unloaded<Organization | null, "organization">>();
    const lazy = select(User).options(lazyload(User.posts));
    expectTypeOf<First<typeof lazy>["posts"]>().toEqualTypeOf<Unloaded<Post[], "posts">>();
    const none = select(User).options(noload(User.posts));
    expectTypeOf<First<typeof none>["posts"]>().toEqualTypeOf<Unloaded<Post[], "posts">>();
    typeOnly(() => {
      // @ts-expect-error raiseload: reading it raises
      void value<First<typeof raised>>().organization?.name;
      // @ts-expect-error noload: not loaded
      void value<First<typeof none>>().posts.length;
    });
  });

  it("they unload relationships declared eager", () => {
    const plain = select(configured.User);
    expectTypeOf<First<typeof plain>["posts"]>().toEqualTypeOf<configured.Post[]>();
    expectTypeOf<First<typeof plain>["organization"]>().toEqualTypeOf<configured.Organization | null>();
    const raised = select(configured.User).options(raiseload(configured.User.posts));
    expectTypeOf<First<typeof raised>["posts"]>().toEqualTypeOf<Unloaded<configured.Post[], "posts">>();
    expectTypeOf<First<typeof raised>["organization"]>().toEqualTypeOf<configured.Organization | null>();
    const lazy = select(configured.User).options(lazyload(configured.User.organization));
    expectTypeOf<First<typeof lazy>["organization"]>().toEqualTypeOf<Unloaded<configured.Organization | null, "organization">>();
    const none = select(configured.Organization).options(noload(configured.Organization.users));
    expectTypeOf<First<typeof none>["users"]>().toEqualTypeOf<Unloaded<configured.User[], "users">>();
    typeOnly(() => {
      // @ts-expect-error the selectin collection was raiseloaded
      void value<First<typeof raised>>().posts.length;
      // @ts-expect-error the joined reference was made lazy
      void value<First<typeof lazy>>().organization?.name;
    });
  });

  it("a wildcard unloads every relationship of its level, eager ones too; columns are untouched", () => {
    const raised = select(configured.User).options(raiseload("*"));
    type U = First<typeof raised>;
    expectTypeOf<U["posts"]>().toEqualTypeOf<Unloaded<configured.Post[], "posts">>();
    expectTypeOf<U["organization"]>().toEqualTypeOf<Unloaded<configured.Organization | null, "organization">>();
    expectTypeOf<U["name"]>().toEqualTypeOf<string>();
    expectTypeOf<U["organizationId"]>().toEqualTypeOf<number | null>();
    const lazy = select(User).options(lazyload("*"));
    expectTypeOf<First<typeof lazy>["posts"]>().toEqualTypeOf<Unloaded<Post[], "posts">>();
    expectTypeOf<First<typeof lazy>["email"]>().toEqualTypeOf<string | null>();
    const none = select(Organization).options(noload("*"));
    expectTypeOf<First<typeof none>["users"]>().toEqualTypeOf<Unloaded<User[], "users">>();
    expectTypeOf<First<typeof none>["name"]>().toEqualTypeOf<string>();
  });

  it("a named loading option wins over a wildcard", () => {
    const stmt = select(User).options(selectinload(User.posts), raiseload("*"));
    expectTypeOf<First<typeof stmt>["posts"]>().toEqualTypeOf<Post[]>();
    expectTypeOf<First<typeof stmt>["organization"]>().toEqualTypeOf<Unloaded<Organization | null, "organization">>();
    const configuredStmt = select(configured.User).options(joinedload(configured.User.organization), lazyload("*"));
    expectTypeOf<First<typeof configuredStmt>["organization"]>().toEqualTypeOf<configured.Organization | null>();
    expectTypeOf<First<typeof configuredStmt>["posts"]>().toEqualTypeOf<Unloaded<configured.Post[], "posts">>();
  });

  it("a wildcard at the end of a chain unloads the level below", () => {
    const stmt = select(User).options(selectinload(User.posts).raiseload("*"));
    type P = First<typeof stmt>["posts"][number];
    expectTypeOf<P["tags"]>().toEqualTypeOf<Unloaded<Tag[], "tags">>();
    expectTypeOf<P["author"]>().toEqualTypeOf<Unloaded<User | null, "author">>();
    expectTypeOf<First<typeof stmt>["organization"]>().toEqualTypeOf<Organization | null | Unloaded<Organization | null, "organization">>();
    const named = select(User).options(selectinload(User.posts).lazyload(Post.tags));
    expectTypeOf<First<typeof named>["posts"][number]["tags"]>().toEqualTypeOf<Unloaded<Tag[], "tags">>();
    const viaDefault = select(configured.Organization).options(defaultload(configured.Organization.users).raiseload(configured.User.posts));
    type Users = First<typeof viaDefault>["users"];
    expectTypeOf<Users[number]["posts"]>().toEqualTypeOf<Unloaded<configured.Post[], "posts">>();
    expectTypeOf<Users[number]["organization"]>().toEqualTypeOf<configured.Organization | null>();
  });

  it("Load(Entity).raiseload('*') unloads only that entity's relationships", () => {
    const stmt = select(configured.User, configured.Organization)
      .join(configured.User.organization)
      .options(Load(configured.User).raiseload("*"));
    type R = Row<typeof stmt>;
    expectTypeOf<R[0]["posts"]>().toEqualTypeOf<Unloaded<configured.Post[], "posts">>();
    expectTypeOf<R[1]["users"]>().toEqualTypeOf<configured.User[]>();
    const plainWildcard = select(configured.User, configured.Organization).join(configured.User.organization).options(raiseload("*"));
    expectTypeOf<Row<typeof plainWildcard>[1]["users"]>().toEqualTypeOf<Unloaded<configured.User[], "users">>();
  });

  it("non-loading chain steps must start from the previous target too", () => {
    typeOnly(() => {
      // @ts-expect-error Organization.users after User.posts
      selectinload(User.posts).raiseload(Organization.users);
      // @ts-expect-error lazyload after User.organization
      joinedload(User.organization).lazyload(Post.tags);
      // @ts-expect-error noload on a statement of tags
      select(Tag).options(noload(User.posts));
      // @ts-expect-error raiseload of another entity's relationship
      select(Post).options(raiseload(User.organization));
      // @ts-expect-error wildcards are the only strings
      raiseload("posts");
      // @ts-expect-error and loading options do not take them
      selectinload("*");
    });
  });
});
