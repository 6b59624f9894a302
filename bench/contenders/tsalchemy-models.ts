import { ForeignKey, Integer, StringType, Text, declarativeBase, mappedColumn, relationship } from "../../src/index.ts";

/** The bench's models, shared by the AsyncSession and the synchronous Session contenders. */
const Base = declarativeBase();

export class Organization extends Base.model("organizations", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(100), { nullable: false }),
  users: relationship<User[]>("User", { backPopulates: "organization" }),
}) {}

export class User extends Base.model("users", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(100), { nullable: false }),
  email: mappedColumn(StringType(200), { nullable: false }),
  organizationId: mappedColumn(Integer, ForeignKey("organizations.id"), { name: "organization_id", nullable: false }),
  organization: relationship<Organization>("Organization", { backPopulates: "users" }),
  posts: relationship<Post[]>("Post", { backPopulates: "user" }),
}) {}

export class Post extends Base.model("posts", {
  id: mappedColumn(Integer, { primaryKey: true }),
  userId: mappedColumn(Integer, ForeignKey("users.id"), { name: "user_id", nullable: false }),
  title: mappedColumn(StringType(200), { nullable: false }),
  body: mappedColumn(Text, { nullable: false }),
  user: relationship<User>("User", { backPopulates: "posts" }),
}) {}

Base.register(Organization, User, Post);
