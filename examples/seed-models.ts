/**
 * The seed post's models, `User` → `Organization` (many-to-one) and back (one-to-many), declared
 * once per loader strategy so the example can show what changing `lazy` on the relationship does.
 * In an application you declare them once, at module level (see docs/orm.md):
 *
 * ```ts
 * export const Base = declarativeBase();
 * export class User extends Base.model("users", { …, organization: relationship<Organization>("Organization") }) {}
 * ```
 *
 * Each call makes a new `declarativeBase()`: a registry of its own, in which the class names
 * `User` and `Organization` (what `relationship("Organization")` looks up) are unique again.
 */
import {
  ForeignKey,
  Integer,
  type LoadStrategy,
  StringType,
  declarativeBase,
  mappedColumn,
  relationship,
} from "../src/index.ts";

export function defineSeedModels<const L extends LoadStrategy = "select">(lazy?: L) {
  const Base = declarativeBase();

  class Organization extends Base.model("organizations", {
    id: mappedColumn(Integer, { primaryKey: true }),
    name: mappedColumn(StringType(50)),
    users: relationship<User[]>("User", { backPopulates: "organization" }),
  }) {}

  class User extends Base.model("users", {
    id: mappedColumn(Integer, { primaryKey: true }),
    name: mappedColumn(StringType(30), { nullable: false }),
    email: mappedColumn(StringType(50), { nullable: false }),
    organizationId: mappedColumn(Integer, ForeignKey("organizations.id"), { name: "organization_id", nullable: false }),
    // SQLAlchemy: organization = relationship("Organization", lazy=...)
    organization: relationship<Organization, L>("Organization", { backPopulates: "users", lazy: lazy ?? ("select" as L) }),
  }) {}

  // The registry learns a class the first time it is touched (ADR 0002); registering both up front
  // lets `relationship("Organization")` resolve even if no code touched Organization yet.
  Base.register(Organization, User);
  /** The post's data: user1 and user2 in organization 1, user_ng (id 100) in organization 2. */
  const postsRows = () => [
    new Organization({ id: 1, name: "organization 1" }),
    new Organization({ id: 2, name: "organization 2" }),
    new User({ id: 1, name: "11", email: "user1@example.com", organizationId: 1 }),
    new User({ id: 2, name: "22", email: "user2@example.com", organizationId: 1 }),
    new User({ id: 100, name: "ng", email: "ng@example.com", organizationId: 2 }),
  ];
  return { Base, User, Organization, postsRows };
}
