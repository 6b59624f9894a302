import { describe, expect, expectTypeOf, it } from "vitest";
import { ArgumentError, UnsetValueError } from "../../../src/index.ts";
import { select } from "../../../src/index.ts";
import type { NotLoaded, RelationshipFix } from "../../../src/orm/mapping/model-types.ts";
import { Base } from "../../fixtures/seed-models/base.ts";
import { Organization } from "../../fixtures/seed-models/organization.ts";
import { User } from "../../fixtures/seed-models/user.ts";
import { SqliteDialect } from "../../../src/core/dialects/sqlite/sqlite-dialect.ts";

describe("declarative models", () => {
  it("builds tables in the base's MetaData from the declarations", () => {
    expect([...Base.metadata.tables.keys()].sort()).toEqual(["organizations", "users"]);
    const users = Base.metadata.tables.get("users");
    expect(users?.column("organizationId")?.name).toBe("organization_id");
  });

  it("gives class-level column expressions, including a column named like Function.name", () => {
    const dialect = new SqliteDialect();
    const { compiled } = dialect.compiler.compile(select(User.id, User.name).where(User.id.eq(1), User.name.eq("x")).node);
    expect(compiled.sql).toBe('SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."id" = ? AND "users"."name" = ?');
  });

  it("constructs transient instances from a partial initialiser, with methods and instanceof", () => {
    const user = new User({ id: 1, name: "11", email: "a@example.com", organizationId: 1 });
    expect(user).toBeInstanceOf(User);
    expect(user.name).toBe("11");
    expect(user.label).toBe("11 <a@example.com>");
    // users.organization_id is NOT NULL: a new object has no value to give (UnsetValueError, see docs/typing.md).
    expect(() => new User({ name: "n", email: "e" }).organizationId).toThrow(UnsetValueError);
  });

  it("rejects unknown attributes and values of the wrong type, naming class and attribute", () => {
    expect(() => new User({ nope: 1 } as never)).toThrow(/User has no mapped attribute "nope"/);
    const user = new User({ name: "n", email: "e" });
    expect(() => {
      user.name = 5 as never;
    }).toThrow(ArgumentError);
    expect(() => {
      user.name = 5 as never;
    }).toThrow(/User.name takes a string, got number 5/);
  });

  it("keeps backPopulates in step in memory, from either side", () => {
    const org = new Organization({ id: 1 });
    const user = new User({ id: 1, name: "u1", email: "u1@example.com" });
    user.organization = org;
    expect(org.users).toEqual([user]);
    const other = new User({ id: 2, name: "u2", email: "u2@example.com" });
    (org.users as User[]).push(other);
    expect(other.organization).toBe(org);
    (org.users as unknown as { remove(u: User): void }).remove(user);
    expect(user.organization).toBeNull();
  });

  it("types an unloaded lazy relationship as NotLoaded", () => {
    const user = new User({ name: "n", email: "e" });
    expectTypeOf(user.organization).toEqualTypeOf<Organization | NotLoaded<Organization, RelationshipFix<"organization">>>();
    // @ts-expect-error reading through a relationship the query did not load does not compile
    void (() => user.organization.name);
  });
});
