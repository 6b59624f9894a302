import { AsyncSession, insert, type AsyncEngine, type NotLoaded } from "../../../src/index.ts";
import type { RanStatement } from "../../support/statements.ts";
import { Node, Organization, Post, Tag, User, postTags } from "../../fixtures/loading-models/blog.ts";
import * as configured from "../../fixtures/loading-models/configured.ts";

/**
 * A statement's SQL in one spelling for every dialect, so loader tests compare shapes across
 * databases: MySQL's backquotes become double quotes and PostgreSQL's `$1` placeholders become `?`.
 */
export function shape(sql: string): string {
  return sql.replace(/`/g, '"').replace(/\$\d+/g, "?");
}

/** The statements' SQL, shaped. */
export function shapes(statements: readonly RanStatement[]): string[] {
  return statements.map((s) => shape(s.sql));
}

/** `"SELECT users"`: the verb and the first table after FROM (a subquery reads as `(subquery)`). */
export function summary(statements: readonly RanStatement[]): string[] {
  return shapes(statements).map((s) => {
    const select = /^SELECT .*? FROM (\(|"([^"]+)")/.exec(s);
    if (select) return `SELECT ${select[2] ?? "(subquery)"}`;
    const write = /^(INSERT INTO|UPDATE|DELETE FROM) "([^"]+)"/.exec(s);
    return write ? `${write[1]?.split(" ")[0]} ${write[2]}` : s;
  });
}

/** Narrows a lazily typed relationship value the test knows is loaded. */
export function loaded<T>(value: T): Exclude<T, NotLoaded<unknown>> {
  return value as Exclude<T, NotLoaded<unknown>>;
}

/** The error a function throws (failing the test when it does not throw). */
export function thrown(read: () => unknown): Error {
  try {
    read();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the read to throw");
}

/**
 * The blog graph every loading test starts from:
 *
 * - organizations 1 acme (users 1, 2), 2 globex (user 3), 3 initech (no users);
 * - users 1 ann, 2 bob, 3 cid, 4 dee (no organization: a NULL foreign key);
 * - posts 1, 2 by ann, 3 by bob, 4 by cid; dee has none;
 * - tags 1 red (posts 1, 2), 2 blue (posts 1, 4), 3 green (no posts);
 * - nodes: 1 root → 2 a, 3 b; 2 a → 4 a1; 4 a1 → 5 a1x.
 */
export async function seedBlog(ctx: { readonly engine: AsyncEngine; reset(): Promise<void> }): Promise<void> {
  await ctx.reset();
  await using session = new AsyncSession(ctx.engine);
  for (const [index, batch] of blogGraphBatches().entries()) {
    session.addAll(batch);
    await session.flush();
    if (index === BLOG_LINKS_AFTER) await (await session.connection()).execute(insert(postTags).values(BLOG_POST_TAGS));
  }
  await session.commit();
}

/** The blog graph's objects, one list per flush (parents before children, the tree a level at a time). */
export function blogGraphBatches(): object[][] {
  return [
    [new Organization({ id: 1, name: "acme" }), new Organization({ id: 2, name: "globex" }), new Organization({ id: 3, name: "initech" })],
    [
      new User({ id: 1, name: "ann", email: "ann@acme", bio: "ann's bio", organizationId: 1 }),
      new User({ id: 2, name: "bob", email: "bob@acme", bio: "bob's bio", organizationId: 1 }),
      new User({ id: 3, name: "cid", email: "cid@globex", bio: "cid's bio", organizationId: 2 }),
      new User({ id: 4, name: "dee", email: null, bio: null, organizationId: null }),
    ],
    [
      new Post({ id: 1, title: "a1", userId: 1 }),
      new Post({ id: 2, title: "a2", userId: 1 }),
      new Post({ id: 3, title: "b1", userId: 2 }),
      new Post({ id: 4, title: "c1", userId: 3 }),
      new Tag({ id: 1, name: "red" }),
      new Tag({ id: 2, name: "blue" }),
      new Tag({ id: 3, name: "green" }),
    ],
    [new Node({ id: 1, name: "root", parentId: null })],
    [new Node({ id: 2, name: "a", parentId: 1 }), new Node({ id: 3, name: "b", parentId: 1 })],
    [new Node({ id: 4, name: "a1", parentId: 2 })],
    [new Node({ id: 5, name: "a1x", parentId: 4 })],
  ];
}

/** The post_tags rows (a secondary table: written by Core), inserted after the batch of this index (posts and tags). */
export const BLOG_LINKS_AFTER = 2;
export const BLOG_POST_TAGS = [
  { postId: 1, tagId: 1 },
  { postId: 2, tagId: 1 },
  { postId: 1, tagId: 2 },
  { postId: 4, tagId: 2 },
];

/** Names of a collection's members, sorted (collections without `orderBy` come in database order). */
export function names(items: readonly { name: string }[]): string[] {
  return items.map((i) => i.name).sort();
}

/**
 * The configured-strategy graph (test/fixtures/loading-models/configured.ts): organizations 1 acme
 * (users 1 ann, 2 bob) and 2 globex (user 3 cid); posts 1 by ann, 2 by bob; the tree 1 → 2 → 3 →
 * 4 → 5 (one child each); board 1 with message 1.
 */
export async function seedConfigured(ctx: { readonly engine: AsyncEngine; reset(): Promise<void> }): Promise<void> {
  await ctx.reset();
  await using session = new AsyncSession(ctx.engine);
  session.addAll([new configured.Organization({ id: 1, name: "acme" }), new configured.Organization({ id: 2, name: "globex" })]);
  await session.flush();
  session.addAll([
    new configured.User({ id: 1, name: "ann", organizationId: 1 }),
    new configured.User({ id: 2, name: "bob", organizationId: 1 }),
    new configured.User({ id: 3, name: "cid", organizationId: 2 }),
  ]);
  await session.flush();
  session.addAll([new configured.Post({ id: 1, title: "a1", userId: 1 }), new configured.Post({ id: 2, title: "b1", userId: 2 })]);
  for (const [id, parentId] of [[1, null], [2, 1], [3, 2], [4, 3], [5, 4]] as const) {
    session.add(new configured.TreeNode({ id, name: `n${id}`, parentId }));
    await session.flush();
  }
  session.add(new configured.Board({ id: 1, name: "general" }));
  await session.flush();
  session.add(new configured.Message({ id: 1, body: "hello", boardId: 1 }));
  await session.commit();
}
