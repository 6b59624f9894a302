import { describe, expectTypeOf, it } from "vitest";
import { aliased, select, selectinload } from "../../src/index.ts";
import { Node, Organization, Post, User } from "../fixtures/loading-models/blog.ts";
import { type Row, typeOnly, value } from "./support.ts";

/**
 * An outer join can leave the joined entity without a row: the ORM select types it `| null`
 * (the loader gives null when its key columns are all NULL). Inner joins and Core selects keep
 * their row types.
 */
describe("types: outer-joined entities", () => {
  it("outerjoin to a class or a relationship makes that entity nullable; join does not", () => {
    const byClass = select(User, Organization).outerjoin(Organization);
    expectTypeOf<Row<typeof byClass>>().toEqualTypeOf<[User, Organization | null]>();
    const byRelationship = select(User, Organization).outerjoin(User.organization);
    expectTypeOf<Row<typeof byRelationship>>().toEqualTypeOf<[User, Organization | null]>();
    const collection = select(User, Post).outerjoin(User.posts);
    expectTypeOf<Row<typeof collection>>().toEqualTypeOf<[User, Post | null]>();
    const inner = select(User, Organization).join(User.organization);
    expectTypeOf<Row<typeof inner>>().toEqualTypeOf<[User, Organization]>();
    typeOnly(() => {
      const [, org] = value<Row<typeof byClass>>();
      // @ts-expect-error the organization may be missing: check for null first
      void org.name;
      void org?.name;
    });
  });

  it("the root entity and entities the join does not reach keep their type", () => {
    const chain = select(User, Organization, Post).outerjoin(User.posts).join(User.organization);
    expectTypeOf<Row<typeof chain>>().toEqualTypeOf<[User, Organization, Post | null]>();
    const only = select(User).outerjoin(User.organization);
    expectTypeOf<Row<typeof only>>().toEqualTypeOf<[User]>();
  });

  it("an alias target makes the aliased place nullable, not the class's own", () => {
    const Parent = aliased(Node, { name: "parent" });
    const byAlias = select(Node, Parent).outerjoin(Parent, Node.parentId.eq(Parent.id));
    expectTypeOf<Row<typeof byAlias>>().toEqualTypeOf<[Node, Node | null]>();
    const selfReferential = select(Node, Parent).outerjoin(Node.parent.ofType(Parent));
    expectTypeOf<Row<typeof selfReferential>>().toEqualTypeOf<[Node, Node | null]>();
  });

  it("a full outer join makes every entity nullable; column values are left as they are", () => {
    const full = select(User, Organization, User.name).outerjoin(Organization, undefined, { full: true });
    expectTypeOf<Row<typeof full>>().toEqualTypeOf<[User | null, Organization | null, string]>();
  });

  it("later steps keep the nullable place; options still type the entity when it is there", () => {
    const stmt = select(User, Organization)
      .outerjoin(User.organization)
      .where(User.id.gt(1))
      .options(selectinload(Organization.users));
    type R = Row<typeof stmt>;
    typeOnly(() => {
      const org = value<R>()[1];
      void org?.users.length;
      // @ts-expect-error still nullable after options
      void org.users;
    });
  });
});
