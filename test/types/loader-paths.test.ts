import { describe, expectTypeOf, it } from "vitest";
import {
  Load,
  aliased,
  type Loaded,
  type NotLoaded,
  containsEager,
  defaultload,
  immediateload,
  joinedload,
  select,
  selectinload,
  subqueryload,
} from "../../src/index.ts";
import { Node, Organization, Post, Tag, User } from "../fixtures/loading-models/blog.ts";
import { type First, type Row, type Unloaded, typeOnly, value } from "./support.ts";

/**
 * Loader options typed as a path tree rooted at their entity: every level of a chain is typed, a
 * step must start from the previous step's target, and an option must belong to an entity of the
 * statement.
 */
describe("types: loader option paths", () => {
  it("a first step types its relationship as loaded, as the plain target type", () => {
    const stmt = select(User).options(selectinload(User.posts));
    expectTypeOf<First<typeof stmt>["posts"]>().toEqualTypeOf<Post[]>();
    const joined = select(User).options(joinedload(User.organization));
    expectTypeOf<First<typeof joined>["organization"]>().toEqualTypeOf<Organization | null>();
    const subquery = select(User).options(subqueryload(User.posts));
    expectTypeOf<First<typeof subquery>["posts"]>().toEqualTypeOf<Post[]>();
    const immediate = select(User).options(immediateload(User.organization));
    expectTypeOf<First<typeof immediate>["organization"]>().toEqualTypeOf<Organization | null>();
    const eager = select(User).join(User.organization).options(containsEager(User.organization));
    expectTypeOf<First<typeof eager>["organization"]>().toEqualTypeOf<Organization | null>();
  });

  it("relationships no option names stay unloaded; columns keep their types", () => {
    const stmt = select(User).options(selectinload(User.posts));
    expectTypeOf<First<typeof stmt>["organization"]>().toEqualTypeOf<Organization | null | Unloaded<Organization | null, "organization">>();
    expectTypeOf<First<typeof stmt>["name"]>().toEqualTypeOf<string>();
    expectTypeOf<First<typeof stmt>["email"]>().toEqualTypeOf<string | null>();
    expectTypeOf<First<typeof stmt>["posts"][number]["tags"]>().toEqualTypeOf<Tag[] | Unloaded<Tag[], "tags">>();
    typeOnly(() => {
      const user = value<First<typeof stmt>>();
      // @ts-expect-error organization is not loaded by selectinload(User.posts)
      void user.organization.name;
      // @ts-expect-error the posts' tags are not loaded
      void user.posts[0]?.tags.length;
    });
  });

  it("a two-level chain types both levels", () => {
    const stmt = select(User).options(selectinload(User.posts).selectinload(Post.tags));
    expectTypeOf<First<typeof stmt>["posts"][number]["tags"]>().toEqualTypeOf<Tag[]>();
    typeOnly(() => {
      const user = value<First<typeof stmt>>();
      const names: string[] = user.posts.flatMap((p) => p.tags.map((t) => t.name));
      void names;
      // @ts-expect-error Post.author is not on the path
      void user.posts[0]?.author.name;
    });
  });

  it("three- and four-level chains type every level", () => {
    const three = select(Organization).options(selectinload(Organization.users).selectinload(User.posts).joinedload(Post.tags));
    expectTypeOf<First<typeof three>["users"][number]["posts"][number]["tags"]>().toEqualTypeOf<Tag[]>();
    const four = select(Organization).options(
      selectinload(Organization.users).selectinload(User.posts).selectinload(Post.tags).selectinload(Tag.posts),
    );
    type Deep = First<typeof four>["users"][number]["posts"][number]["tags"][number]["posts"];
    expectTypeOf<Deep>().toEqualTypeOf<Post[]>();
    // Below the fourth level, nothing is loaded.
    expectTypeOf<Deep[number]["tags"]>().toEqualTypeOf<Tag[] | Unloaded<Tag[], "tags">>();
    typeOnly(() => {
      const org = value<First<typeof four>>();
      const title: string | undefined = org.users[0]?.posts[0]?.tags[0]?.posts[0]?.title;
      void title;
    });
  });

  it("a chain through a nullable scalar keeps null", () => {
    const stmt = select(Post).options(joinedload(Post.author).selectinload(User.organization));
    type Author = First<typeof stmt>["author"];
    expectTypeOf<Author>().toEqualTypeOf<Loaded<User, "organization"> | null>();
    expectTypeOf<NonNullable<Author>["organization"]>().toEqualTypeOf<Organization | null>();
  });

  it("several options on one statement add up; two branches from one relationship both load", () => {
    const stmt = select(User).options(selectinload(User.posts).selectinload(Post.tags), joinedload(User.organization));
    expectTypeOf<First<typeof stmt>["organization"]>().toEqualTypeOf<Organization | null>();
    expectTypeOf<First<typeof stmt>["posts"][number]["tags"]>().toEqualTypeOf<Tag[]>();
    const branches = select(User).options(selectinload(User.posts).selectinload(Post.tags), selectinload(User.posts).joinedload(Post.author));
    expectTypeOf<First<typeof branches>["posts"][number]["tags"]>().toEqualTypeOf<Tag[]>();
    expectTypeOf<First<typeof branches>["posts"][number]["author"]>().toEqualTypeOf<User | null>();
    const chained = select(User).options(selectinload(User.posts)).options(joinedload(User.organization));
    expectTypeOf<First<typeof chained>["posts"]>().toEqualTypeOf<Post[]>();
    expectTypeOf<First<typeof chained>["organization"]>().toEqualTypeOf<Organization | null>();
  });

  it("defaultload descends without loading its own step", () => {
    const stmt = select(User).options(defaultload(User.posts).selectinload(Post.tags));
    type Posts = First<typeof stmt>["posts"];
    typeOnly(() => {
      // @ts-expect-error defaultload does not load posts (their configured strategy is lazy)
      void value<Posts>().length;
    });
    expectTypeOf<Exclude<Posts, NotLoaded<unknown>>[number]["tags"]>().toEqualTypeOf<Tag[]>();
  });

  it("a chain step must start from the previous step's target", () => {
    typeOnly(() => {
      // @ts-expect-error Organization.users does not start from Post
      selectinload(User.posts).selectinload(Organization.users);
      // @ts-expect-error User.posts does not start from Organization
      joinedload(User.organization).joinedload(User.posts);
      // @ts-expect-error Tag.posts does not start from User
      selectinload(Organization.users).selectinload(Post.tags).selectinload(Tag.posts);
      // @ts-expect-error a containsEager step too
      containsEager(User.posts).containsEager(Organization.users);
      // @ts-expect-error a defaultload step too
      defaultload(User.posts).defaultload(User.posts);
      // The right steps compile.
      selectinload(User.posts).selectinload(Post.tags).selectinload(Tag.posts).joinedload(Post.author);
      defaultload(User.posts).containsEager(Post.author);
    });
  });

  it("an option must belong to an entity of the statement", () => {
    typeOnly(() => {
      // @ts-expect-error Post.author belongs to Post, which select(Tag) does not select
      select(Tag).options(selectinload(Post.author));
      // @ts-expect-error Organization.users on a select of users
      select(User).options(selectinload(Organization.users));
      // @ts-expect-error a chain is rooted at its first step's class
      select(Post).options(selectinload(User.posts).selectinload(Post.tags));
      // @ts-expect-error Load(User) on a statement without User
      select(Organization).options(Load(User).selectinload(User.posts));
      // @ts-expect-error Tag's attributes (id, name, posts) are a subset of User's: still not User
      select(User).options(selectinload(Tag.posts));
      // @ts-expect-error and not a chain step from User either
      joinedload(Post.author).selectinload(Tag.posts);
      select(Post).options(selectinload(Post.tags).selectinload(Tag.posts));
    });
  });

  it("in rows of several entities an option types only its own entity", () => {
    const stmt = select(User, Post).join(User.posts).options(selectinload(User.organization), selectinload(Post.tags));
    type R = Row<typeof stmt>;
    expectTypeOf<R[0]["organization"]>().toEqualTypeOf<Organization | null>();
    expectTypeOf<R[0]["posts"]>().toEqualTypeOf<Post[] | Unloaded<Post[], "posts">>();
    expectTypeOf<R[1]["tags"]>().toEqualTypeOf<Tag[]>();
    expectTypeOf<R[1]["author"]>().toEqualTypeOf<User | null | Unloaded<User | null, "author">>();
    const withColumn = select(User, Post.title).join(User.posts).options(selectinload(User.posts));
    expectTypeOf<Row<typeof withColumn>[1]>().toEqualTypeOf<string>();
    expectTypeOf<Row<typeof withColumn>[0]["posts"]>().toEqualTypeOf<Post[]>();
  });

  it("an aliased entity of the row is not reached by options rooted at its class (as at run time)", () => {
    const Author = aliased(User, { name: "author" });
    const stmt = select(Post, Author).join(Author, Post.author).options(selectinload(Post.tags));
    type R = Row<typeof stmt>;
    expectTypeOf<R[0]["tags"]>().toEqualTypeOf<Tag[]>();
    expectTypeOf<R[1]["posts"]>().toEqualTypeOf<Post[] | Unloaded<Post[], "posts">>();
    const both = select(User, aliased(User)).options(selectinload(User.posts));
    expectTypeOf<Row<typeof both>[0]["posts"]>().toEqualTypeOf<Post[]>();
    expectTypeOf<Row<typeof both>[1]["posts"]>().toEqualTypeOf<Post[] | Unloaded<Post[], "posts">>();
    typeOnly(() => {
      // @ts-expect-error the statement's only user is an alias, which options rooted at User do not reach
      select(Post, Author).options(selectinload(User.posts));
    });
  });

  it("Load(Entity) roots its chain at the entity and types only it", () => {
    const stmt = select(User, Organization).join(User.organization).options(Load(User).selectinload(User.posts).selectinload(Post.tags));
    type R = Row<typeof stmt>;
    expectTypeOf<R[0]["posts"][number]["tags"]>().toEqualTypeOf<Tag[]>();
    expectTypeOf<R[1]["users"]>().toEqualTypeOf<User[] | Unloaded<User[], "users">>();
    const joined = select(Post).options(Load(Post).joinedload(Post.author).joinedload(User.organization));
    expectTypeOf<NonNullable<First<typeof joined>["author"]>["organization"]>().toEqualTypeOf<Organization | null>();
    typeOnly(() => {
      // @ts-expect-error Load(User)'s first step must be one of User's relationships
      Load(User).selectinload(Post.tags);
      // @ts-expect-error and its chain continues from the target
      Load(User).selectinload(User.posts).selectinload(User.posts);
    });
  });

  it("a self-referential chain types each level", () => {
    const stmt = select(Node).options(selectinload(Node.children).selectinload(Node.children).joinedload(Node.parent));
    type Children = First<typeof stmt>["children"];
    expectTypeOf<Children[number]["children"][number]["parent"]>().toEqualTypeOf<Node | null>();
    expectTypeOf<Children[number]["parent"]>().toEqualTypeOf<Node | null | Unloaded<Node | null, "parent">>();
  });

  it("criteria on a step (and()) keep the path typed", () => {
    const stmt = select(User).options(selectinload(User.posts.and(Post.title.ne("x"))).selectinload(Post.tags));
    expectTypeOf<First<typeof stmt>["posts"][number]["tags"]>().toEqualTypeOf<Tag[]>();
  });

  it("Loaded<> spells the same types for function parameters", () => {
    const stmt = select(User).options(selectinload(User.posts).selectinload(Post.tags));
    const titles = (user: Loaded<User, "posts.tags">): string[] => user.posts.flatMap((p) => p.tags.map((t) => t.name));
    typeOnly(() => {
      titles(value<First<typeof stmt>>());
      // @ts-expect-error a user whose posts' tags were not loaded
      titles(value<First<ReturnType<typeof select<[typeof User]>>>>());
      // @ts-expect-error only posts loaded
      titles(value<Loaded<User, "posts">>());
    });
    // A loaded user is still a User.
    expectTypeOf<First<typeof stmt>>().toExtend<User>();
    expectTypeOf<Loaded<User, "posts">["posts"]>().toEqualTypeOf<Post[]>();
    expectTypeOf<Loaded<User, "posts.tags" | "organization">["organization"]>().toEqualTypeOf<Organization | null>();
    expectTypeOf<Loaded<User, never>>().toEqualTypeOf<User>();
  });
});
