import { describe, expect, it } from "vitest";
import { Integer, Numeric, StringType, Text, type ReflectedColumn, type SqlType } from "../../../src/index.ts";
import type { CodegenTable } from "../../../src/migrations/codegen/codegen-schema.ts";
import { camelCase, className, singular } from "../../../src/migrations/codegen/codegen-names.ts";
import { planModels } from "../../../src/migrations/codegen/model-plan.ts";
import { renderModels } from "../../../src/migrations/codegen/render-models.ts";

function col(name: string, type: SqlType<unknown>, extra: Partial<ReflectedColumn> = {}): ReflectedColumn {
  return { name, type, typeName: "", nullable: true, default: null, autoincrement: false, comment: null, ...extra };
}

function fk(columns: string[], table: string, referred = ["id"]): CodegenTable["foreignKeys"][number] {
  return { name: null, constrainedColumns: columns, referredSchema: null, referredTable: table, referredColumns: referred, options: {} };
}

function table(name: string, columns: ReflectedColumn[], more: Partial<CodegenTable> = {}): CodegenTable {
  return { name, columns, primaryKey: ["id"], foreignKeys: [], indexes: [], uniqueConstraints: [], checkConstraints: [], ...more };
}

const id = col("id", Integer, { nullable: false, autoincrement: true });

/** The schema of the brief: orgs ← users ← posts (author, reviewer), tags ↔ posts, a category tree, a table without a key. */
const blog: CodegenTable[] = [
  table("orgs", [id, col("name", StringType(50), { nullable: false })], { uniqueConstraints: [{ name: "uq_orgs_name", columnNames: ["name"] }] }),
  table("users", [id, col("org_id", Integer), col("email", StringType(100), { nullable: false })], {
    foreignKeys: [fk(["org_id"], "orgs")],
    indexes: [{ name: "ix_users_email", columnNames: ["email"], unique: false, dialectOptions: {} }],
  }),
  table("posts", [id, col("author_id", Integer, { nullable: false }), col("reviewer_id", Integer), col("price", Numeric(10, 2), { default: "0" })], {
    foreignKeys: [fk(["author_id"], "users"), fk(["reviewer_id"], "users")],
  }),
  table("tags", [id, col("label", Text)]),
  table("post_tags", [col("post_id", Integer, { nullable: false }), col("tag_id", Integer, { nullable: false })], {
    primaryKey: ["post_id", "tag_id"],
    foreignKeys: [fk(["post_id"], "posts"), fk(["tag_id"], "tags")],
  }),
  table("categories", [id, col("parent_id", Integer), col("name", StringType(30))], { foreignKeys: [fk(["parent_id"], "categories")] }),
  table("audit_log", [col("at", Text), col("user_id", Integer)], { primaryKey: [], foreignKeys: [fk(["user_id"], "users")] }),
];

describe("codegen names", () => {
  it("classes are PascalCase singulars of table names, attributes camelCase", () => {
    expect(["orgs", "users", "categories", "post_tags", "addresses", "status", "boxes", "data"].map(className))
      .toEqual(["Org", "User", "Category", "PostTag", "Address", "Status", "Box", "Data"]);
    expect(["org_id", "createdAt", "Created At", "2fa"].map(camelCase)).toEqual(["orgId", "createdAt", "createdAt", "_2fa"]);
    expect(singular("classes")).toBe("class");
  });

  it("two tables with the same class name get a number; reserved names too", () => {
    const names = planModels([table("user", [id]), table("users", [id]), table("tables", [id])]).map((p) => p.name);
    expect(names).toEqual(["User", "User2", "Table2"]);
  });
});

describe("codegen relationships", () => {
  const plans = new Map(planModels(blog).map((p) => [p.table.name, p]));
  const rels = (name: string): unknown => plans.get(name)!.relationships;

  it("tables without a primary key and association tables are Core tables", () => {
    expect([...plans.values()].map((p) => [p.table.name, p.kind, p.name])).toEqual([
      ["orgs", "class", "Org"],
      ["users", "class", "User"],
      ["posts", "class", "Post"],
      ["tags", "class", "Tag"],
      ["post_tags", "table", "postTags"],
      ["categories", "class", "Category"],
      ["audit_log", "table", "auditLog"],
    ]);
  });

  it("a foreign key gives a many-to-one named after its column and a one-to-many named after the table", () => {
    expect(rels("orgs")).toEqual([
      { key: "users", target: "User", collection: true, uselistFalse: false, required: false, backPopulates: "org" },
    ]);
    expect(plans.get("users")!.relationships[0]).toEqual(
      { key: "org", target: "Org", collection: false, uselistFalse: false, required: false, backPopulates: "users" },
    );
  });

  it("two foreign keys to one table: foreignKeys on both sides, names from the columns", () => {
    expect(rels("posts")).toEqual([
      { key: "author", target: "User", collection: false, uselistFalse: false, required: true, backPopulates: "postsAuthor", foreignKeys: ["authorId"] },
      { key: "reviewer", target: "User", collection: false, uselistFalse: false, required: false, backPopulates: "postsReviewer", foreignKeys: ["reviewerId"] },
      { key: "tags", target: "Tag", collection: true, uselistFalse: false, required: false, backPopulates: "posts", secondary: "post_tags" },
    ]);
    expect(plans.get("users")!.relationships.map((r) => r.key)).toEqual(["org", "postsAuthor", "postsReviewer"]);
  });

  it("self-referential: remoteSide on the many-to-one, <name>Reverse for the collection", () => {
    expect(rels("categories")).toEqual([
      { key: "parent", target: "Category", collection: false, uselistFalse: false, required: false, backPopulates: "parentReverse", remoteSide: ["id"] },
      { key: "parentReverse", target: "Category", collection: true, uselistFalse: false, required: false, backPopulates: "parent" },
    ]);
  });

  it("a unique foreign key is one-to-one (uselist: false)", () => {
    const [, profile] = planModels([
      table("users", [id]),
      table("profiles", [id, col("user_id", Integer)], { foreignKeys: [fk(["user_id"], "users")], uniqueConstraints: [{ name: null, columnNames: ["user_id"] }] }),
    ]);
    expect(profile!.relationships[0]).toMatchObject({ key: "user", backPopulates: "profile" });
    expect(planModels([table("users", [id]), profile!.table])[0]!.relationships).toEqual([
      { key: "profile", target: "Profile", collection: false, uselistFalse: true, required: false, backPopulates: "user" },
    ]);
  });

  it("the many-to-one's name: the column without _id (at the end or before _), else the referred table's singular", () => {
    const [, enrolment] = planModels([
      table("courses", [id]),
      table("enrolments", [id, col("course_id_1", Integer), col("fk_course", Integer)], {
        foreignKeys: [fk(["course_id_1"], "courses"), fk(["fk_course"], "courses")],
      }),
    ]);
    expect(enrolment!.relationships.map((r) => [r.key, r.backPopulates])).toEqual([
      ["course1", "enrolmentsCourse1"],
      ["course", "enrolmentsFkCourse"],
    ]);
  });

  it("a relationship name that meets a column key gets a number", () => {
    const [, post] = planModels([
      table("users", [id]),
      table("posts", [id, col("author", StringType(20)), col("author_id", Integer)], { foreignKeys: [fk(["author_id"], "users")] }),
    ]);
    expect(post!.relationships.map((r) => r.key)).toEqual(["author2"]);
  });

  it("an association table with extra columns stays a class", () => {
    const plans = planModels([
      table("posts", [id]),
      table("tags", [id]),
      table("post_tags", [col("post_id", Integer), col("tag_id", Integer), col("weight", Integer)], {
        primaryKey: ["post_id", "tag_id"],
        foreignKeys: [fk(["post_id"], "posts"), fk(["tag_id"], "tags")],
      }),
    ]);
    expect(plans.map((p) => p.kind)).toEqual(["class", "class", "class"]);
    expect(plans[0]!.relationships.map((r) => r.key)).toEqual(["postTags"]);
  });
});

describe("renderModels", () => {
  it("a single integer key the database does not generate: autoincrement: false", () => {
    const source = renderModels([table("codes", [col("id", Integer, { nullable: false }), col("n", Integer)]), table("pairs", [col("a", Integer), col("b", Integer)], { primaryKey: ["a", "b"] })]);
    expect(source).toContain("  id: mappedColumn(Integer, { primaryKey: true, autoincrement: false }),");
    expect(source).toContain("  a: mappedColumn(Integer, { primaryKey: true }),");
  });

  it("identity and computed columns, CHECK constraints", () => {
    const source = renderModels([
      table("lines", [
        col("id", Integer, { nullable: false, autoincrement: true, identity: { always: true, start: 10n, increment: 1n, minvalue: 1n, maxvalue: 2147483647n, cycle: false, cache: 1n } }),
        col("total", Integer, { computed: { sqltext: "qty * price", persisted: true } }),
      ], { checkConstraints: [{ name: "ck_total", sqltext: "total >= 0" }] }),
    ]);
    expect(source).toContain("  id: mappedColumn(Integer, { primaryKey: true, identity: new Identity({ always: true, start: 10, increment: 1 }) }),");
    expect(source).toContain('  total: mappedColumn(Integer, { computed: new Computed("qty * price", { persisted: true }) }),');
    expect(source).toContain('    new CheckConstraint(literalColumn<boolean>("total >= 0"), { name: "ck_total" }),');
  });

  it("indexes: index: true for ix_<table>_<column>, tableArgs for the rest; MySQL's foreign-key indexes left out", () => {
    const source = renderModels([
      table("users", [id]),
      table("posts", [id, col("user_id", Integer), col("x", Integer), col("y", Integer)], {
        foreignKeys: [{ ...fk(["user_id"], "users"), name: "fk_posts_user" }],
        indexes: [
          { name: "fk_posts_user", columnNames: ["user_id"], unique: false, dialectOptions: {} },
          { name: "ix_posts_x", columnNames: ["x"], unique: false, dialectOptions: {} },
          { name: "by_y", columnNames: ["y"], unique: false, dialectOptions: {} },
          { name: "uq_x_y", columnNames: ["x", "y"], unique: true, dialectOptions: {} },
        ],
      }),
    ], { schema: "app" });
    expect(source).toContain('  x: mappedColumn(Integer, { index: true }),');
    expect(source).toContain('  tableArgs: [\n    new Index("by_y", ["y"]),\n    new Index("uq_x_y", ["x", "y"], { unique: true }),\n    { schema: "app" },\n  ],');
    expect(source).not.toContain("fk_posts_user");
  });

  it("writes the module: imports, Base, Core tables, classes, register", () => {
    expect(renderModels(blog)).toMatchInlineSnapshot(`
      "import { Column, ForeignKey, Integer, Numeric, StringType, Table, Text, declarativeBase, literalColumn, mappedColumn, relationship } from "tsalchemy";

      export const Base = declarativeBase();

      export const postTags = new Table("post_tags", Base.metadata, {
        postId: Column(Integer, ForeignKey("posts.id"), { primaryKey: true, name: "post_id" }),
        tagId: Column(Integer, ForeignKey("tags.id"), { primaryKey: true, name: "tag_id" }),
      });

      export const auditLog = new Table("audit_log", Base.metadata, {
        at: Column(Text),
        userId: Column(Integer, ForeignKey("users.id"), { name: "user_id" }),
      });

      export class Org extends Base.model("orgs", {
        id: mappedColumn(Integer, { primaryKey: true }),
        name: mappedColumn(StringType(50), { nullable: false, unique: true }),
        users: relationship<User[]>("User", { backPopulates: "org" }),
      }) {}

      export class User extends Base.model("users", {
        id: mappedColumn(Integer, { primaryKey: true }),
        orgId: mappedColumn(Integer, ForeignKey("orgs.id"), { name: "org_id" }),
        email: mappedColumn(StringType(100), { nullable: false, index: true }),
        org: relationship<Org | null>("Org", { backPopulates: "users" }),
        postsAuthor: relationship<Post[]>("Post", { foreignKeys: ["authorId"], backPopulates: "author" }),
        postsReviewer: relationship<Post[]>("Post", { foreignKeys: ["reviewerId"], backPopulates: "reviewer" }),
      }) {}

      export class Post extends Base.model("posts", {
        id: mappedColumn(Integer, { primaryKey: true }),
        authorId: mappedColumn(Integer, ForeignKey("users.id"), { nullable: false, name: "author_id" }),
        reviewerId: mappedColumn(Integer, ForeignKey("users.id"), { name: "reviewer_id" }),
        price: mappedColumn(Numeric(10, 2), { serverDefault: literalColumn("0") }),
        author: relationship<User>("User", { foreignKeys: ["authorId"], backPopulates: "postsAuthor" }),
        reviewer: relationship<User | null>("User", { foreignKeys: ["reviewerId"], backPopulates: "postsReviewer" }),
        tags: relationship<Tag[]>("Tag", { secondary: "post_tags", backPopulates: "posts" }),
      }) {}

      export class Tag extends Base.model("tags", {
        id: mappedColumn(Integer, { primaryKey: true }),
        label: mappedColumn(Text),
        posts: relationship<Post[]>("Post", { secondary: "post_tags", backPopulates: "tags" }),
      }) {}

      export class Category extends Base.model("categories", {
        id: mappedColumn(Integer, { primaryKey: true }),
        parentId: mappedColumn(Integer, ForeignKey("categories.id"), { name: "parent_id" }),
        name: mappedColumn(StringType(30)),
        parent: relationship<Category | null>("Category", { remoteSide: ["id"], backPopulates: "parentReverse" }),
        parentReverse: relationship<Category[]>("Category", { backPopulates: "parent" }),
      }) {}

      Base.register(Org, User, Post, Tag, Category);
      "
    `);
  });
});
