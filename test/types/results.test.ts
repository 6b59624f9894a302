import { describe, expectTypeOf, it } from "vitest";
import { type AsyncSession, type Loaded, joinedload, select, selectinload } from "../../src/index.ts";
import { Organization, Post, Tag, User } from "../fixtures/loading-models/blog.ts";
import { type Unloaded, typeOnly, value } from "./support.ts";

/** The loaded types reach every way of reading a statement's results. */
describe("types: results of a statement with options", () => {
  const stmt = select(User).options(selectinload(User.posts).selectinload(Post.tags), joinedload(User.organization));
  type LoadedUser = Loaded<User, "posts" | "posts.tags" | "organization">;

  it("execute(), scalars(), scalar()", () => {
    typeOnly(async () => {
      const session = value<AsyncSession>();
      const rows = (await session.execute(stmt)).all();
      expectTypeOf(rows[0]![0].posts[0]!.tags).toEqualTypeOf<Tag[]>();
      const users = (await session.scalars(stmt)).all();
      expectTypeOf(users[0]!.organization).toEqualTypeOf<Organization | null>();
      const viaResult = (await session.execute(stmt)).scalars().unique().all();
      expectTypeOf(viaResult[0]!.posts).toEqualTypeOf<Loaded<Post, "tags">[]>();
      const first = (await session.scalars(stmt)).first();
      expectTypeOf(first?.posts).toEqualTypeOf<Loaded<Post, "tags">[] | undefined>();
      const one = (await session.scalars(stmt)).one();
      expectTypeOf(one.posts[0]!.tags).toEqualTypeOf<Tag[]>();
      const scalar = await session.scalar(stmt);
      expectTypeOf(scalar?.organization).toEqualTypeOf<Organization | null | undefined>();
      const assignable: LoadedUser = one;
      void assignable;
    });
  });

  it("stream() and streamScalars()", () => {
    typeOnly(async () => {
      const session = value<AsyncSession>();
      for await (const user of await session.streamScalars(stmt)) {
        expectTypeOf(user.posts).toEqualTypeOf<Loaded<Post, "tags">[]>();
      }
      for await (const [user] of await session.stream(stmt)) {
        expectTypeOf(user.organization).toEqualTypeOf<Organization | null>();
      }
    });
  });

  it("a statement refined after options keeps them; the same select without options does not", () => {
    typeOnly(async () => {
      const session = value<AsyncSession>();
      const refined = stmt.where(User.id.eq(1)).orderBy(User.name).limit(5);
      const users = (await session.scalars(refined)).all();
      expectTypeOf(users[0]!.posts).toEqualTypeOf<Loaded<Post, "tags">[]>();
      const plain = (await session.scalars(select(User).where(User.id.eq(1)))).all();
      expectTypeOf(plain[0]!.posts).toEqualTypeOf<Post[] | Unloaded<Post[], "posts">>();
      // @ts-expect-error a plain user is not a loaded one
      const wrong: LoadedUser = plain[0]!;
      void wrong;
    });
  });
});
