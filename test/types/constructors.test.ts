import { describe, expectTypeOf, it } from "vitest";
import { Computed, ForeignKey, Identity, Integer, StringType, declarativeBase, mappedColumn, relationship } from "../../src/index.ts";
import { typeOnly } from "./support.ts";

const Base = declarativeBase();

class Team extends Base.model("ctor_teams", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(30), { nullable: false }),
  members: relationship<Member[]>("Member"),
}) {}

class Member extends Base.model("ctor_members", {
  id: mappedColumn(Integer, { primaryKey: true }),
  /** Required: NOT NULL, nothing fills it at INSERT. */
  name: mappedColumn(StringType(30), { nullable: false }),
  /** Required too. */
  email: mappedColumn(StringType(50), { nullable: false }),
  nickname: mappedColumn(StringType(30)),
  role: mappedColumn(StringType(10), { nullable: false, default: "member" }),
  status: mappedColumn(StringType(10), { nullable: false, serverDefault: "active" }),
  rowId: mappedColumn(Integer, { nullable: false, identity: new Identity() }),
  nameLength: mappedColumn(Integer, { nullable: false, computed: new Computed("length(name)") }),
  /** A NOT NULL foreign key: the `team` relationship fills it at flush, so it is optional. */
  teamId: mappedColumn(Integer, ForeignKey("ctor_teams.id"), { nullable: false }),
  team: relationship<Team>("Team"),
}) {}

class Versioned extends Base.model(
  "ctor_versioned",
  {
    id: mappedColumn(Integer, { primaryKey: true }),
    version: mappedColumn(Integer, { nullable: false }),
    title: mappedColumn(StringType(30), { nullable: false }),
  },
  { versionIdCol: "version" },
) {}

class Loose extends Base.model("ctor_loose", {
  id: mappedColumn(Integer, { primaryKey: true }),
  note: mappedColumn(StringType(30)),
}) {}

/**
 * The constructor requires the columns the INSERT cannot do without (NOT NULL, no default, no
 * generator, no foreign key a relationship fills, not the version counter) and takes the rest.
 */
describe("types: the model constructor", () => {
  it("requires NOT NULL columns without a default; the others are optional", () => {
    typeOnly(() => {
      new Member({ name: "ann", email: "ann@example.com" });
      new Member({ name: "ann", email: "ann@example.com", nickname: null, role: "admin", teamId: 1, id: 3 });
      new Member({ name: "ann", email: "ann@example.com", team: new Team({ name: "core" }) });
      // @ts-expect-error email is NOT NULL without a default
      new Member({ name: "ann" });
      // @ts-expect-error name is NOT NULL without a default
      new Member({ email: "ann@example.com" });
      // @ts-expect-error an initialiser is needed when a key is required
      new Member();
      // @ts-expect-error wrong value type
      new Member({ name: 1, email: "ann@example.com" });
      // @ts-expect-error null for a NOT NULL column
      new Member({ name: null, email: "ann@example.com" });
      // @ts-expect-error not an attribute
      new Member({ name: "ann", email: "ann@example.com", age: 3 });
    });
    type Init = ConstructorParameters<typeof Member>[0];
    expectTypeOf<Init>().toHaveProperty("name").toEqualTypeOf<string>();
    expectTypeOf<Required<Init>["role"]>().toEqualTypeOf<string>();
    expectTypeOf<Required<Init>["teamId"]>().toEqualTypeOf<number>();
  });

  it("leaves out defaults, server defaults, identity and computed columns, the key and the version counter", () => {
    typeOnly(() => {
      new Versioned({ title: "t" });
      // @ts-expect-error title is required; version is not (the flush sets it)
      new Versioned({ version: 1 });
      new Loose();
      new Loose({ note: "n" });
      new Team({ name: "core", members: [] });
      // @ts-expect-error Team.name is required
      new Team({ members: [] });
    });
    type Optional<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
    expectTypeOf<Optional<ConstructorParameters<typeof Member>[0]>>().toEqualTypeOf<
      "id" | "nickname" | "role" | "status" | "rowId" | "nameLength" | "teamId" | "team"
    >();
  });

  it("types columns on a new object as they will be once inserted; reading one early raises UnsetValueError (docs/typing.md)", () => {
    typeOnly(() => {
      const member = new Member({ name: "ann", email: "ann@example.com" });
      expectTypeOf(member.id).toEqualTypeOf<number>();
      expectTypeOf(member.status).toEqualTypeOf<string>();
      expectTypeOf(member.nickname).toEqualTypeOf<string | null>();
    });
  });

  it("inheritance: the discriminator is filled from polymorphicIdentity; a subclass adds its own required keys", () => {
    class Staff extends Base.model(
      "ctor_staff",
      {
        id: mappedColumn(Integer, { primaryKey: true }),
        kind: mappedColumn(StringType(20), { nullable: false }),
        name: mappedColumn(StringType(30), { nullable: false }),
      },
      { polymorphicOn: "kind", polymorphicIdentity: "staff" },
    ) {}
    class Pilot extends Staff.subclass(
      "ctor_pilots",
      {
        id: mappedColumn(Integer, ForeignKey("ctor_staff.id"), { primaryKey: true }),
        licence: mappedColumn(StringType(20), { nullable: false }),
      },
      { polymorphicIdentity: "pilot" },
    ) {}
    typeOnly(() => {
      new Staff({ name: "ann" });
      new Pilot({ name: "bob", licence: "ATPL" });
      // @ts-expect-error the subclass's own NOT NULL column is required
      new Pilot({ name: "bob" });
      // @ts-expect-error and the parent's
      new Pilot({ licence: "ATPL" });
      // @ts-expect-error an initialiser is needed
      new Pilot();
    });
  });
});
