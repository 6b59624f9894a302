import { Column, ForeignKey, MetaData, Table } from "../../../src/core/schema/index.ts";
import { BooleanType, DateTime, Integer, Numeric, StringType, Text } from "../../../src/core/types/index.ts";

/**
 * The tables the compiler tests build statements over. `posts` has two foreign keys to `users`
 * (author and editor), so a join between them without ON is ambiguous; `users` has one to
 * `organizations`, so that join is inferred.
 */
export const metadata = new MetaData();

export const organizations = new Table("organizations", metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(StringType(100), { nullable: false }),
});

export const users = new Table("users", metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(StringType(50), { nullable: false }),
  email: Column(StringType(100)),
  organizationId: Column(Integer, ForeignKey("organizations.id"), { name: "organization_id" }),
  managerId: Column(Integer, { name: "manager_id" }),
  active: Column(BooleanType, { default: true }),
  createdAt: Column(DateTime({ timezone: true }), { name: "created_at" }),
});

export const posts = new Table("posts", metadata, {
  id: Column(Integer, { primaryKey: true }),
  authorId: Column(Integer, ForeignKey("users.id"), { name: "author_id" }),
  editorId: Column(Integer, ForeignKey("users.id"), { name: "editor_id" }),
  title: Column(StringType(200), { nullable: false }),
  body: Column(Text),
  score: Column(Numeric(10, 2)),
});
