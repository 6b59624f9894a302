import { ORGANIZATIONS, POSTS_PER_USER, USERS, USERS_PER_ORGANIZATION } from "./data.ts";

/** The workloads, as the issue defines them. Every contender implements all of them. */
export const WORKLOADS = ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8"] as const;
export type Workload = (typeof WORKLOADS)[number];

export const DESCRIPTIONS: Record<Workload, string> = {
  W1: `find-all: ${USERS.toLocaleString("en-US")} users as entities`,
  W2: `many-to-one eager: ${USERS.toLocaleString("en-US")} users with their organization (joined)`,
  W3: "one-to-many eager: 1,000 organizations with their users (selectin)",
  W4: "nested: first 100 organizations → users → posts",
  W5: "by primary key: 1,000 lookups, a new session every 100",
  W6: "insert: 1,000 users flushed in one transaction, rolled back",
  W7: "update: 1,000 users loaded, one attribute changed each, flushed, rolled back",
  W8: "bulk insert: 10,000 users through each contender's bulk API in one transaction, rolled back",
};

/** W8's rows: how many, and the i-th (0-based) as attribute values; ids from 100,001, organizations 1–1,000 in turn. */
export const BULK_ROWS = 10_000;
export function bulkUser(i: number): { id: number; name: string; email: string; organizationId: number } {
  const id = 100_001 + i;
  return { id, name: `Bulk ${id}`, email: `bulk${id}@example.com`, organizationId: (i % ORGANIZATIONS) + 1 };
}

/** What a contender hands back, read through plain property access (entities or objects). */
type User = { id: number; name: string; email: string; organizationId: number; organization?: Org; posts?: Post[] };
type Org = { id: number; name: string; users?: User[] };
type Post = { id: number; userId: number; title: string; body: string };

export interface Contender {
  readonly name: string;
  open(url: string): Promise<void>;
  close(): Promise<void>;
  W1(): Promise<unknown[]>;
  W2(): Promise<unknown[]>;
  W3(): Promise<unknown[]>;
  W4(): Promise<unknown[]>;
  W5(): Promise<unknown[]>;
  /** Inserts 1,000 users with ids from 100,001 in a transaction; returns how many the transaction saw; rolls back. */
  W6(): Promise<number>;
  /** Renames users 1–1,000 in a transaction; returns the names the transaction saw; rolls back. */
  W7(): Promise<string[]>;
  /**
   * Inserts the `BULK_ROWS` rows of `bulkUser` through the contender's bulk API in a transaction;
   * returns `[count, sum of organization_id]` of users with id > 100,000 as the transaction saw
   * them; rolls back.
   */
  W8(): Promise<[number, number]>;
}

/** Thrown by a contender for a workload it cannot run yet: reported as such, not timed, not a failure. */
export class NotSupported extends Error {
  override readonly name = "NotSupported";
}

/** Fails loudly when a contender's result is wrong. */
export function validate(workload: Workload, result: unknown): void {
  const fail = (why: string): never => {
    throw new Error(`${workload}: wrong result: ${why}`);
  };
  if (workload === "W6") {
    if (result !== 1000) fail(`expected 1000 inserted rows, got ${String(result)}`);
    return;
  }
  if (workload === "W8") {
    const [count, organizationSum] = (result as unknown[]).map(Number);
    const expectedSum = Array.from({ length: BULK_ROWS }, (_, i) => bulkUser(i).organizationId).reduce((a, b) => a + b, 0);
    if (count !== BULK_ROWS) fail(`expected ${BULK_ROWS} inserted rows, got ${String(count)}`);
    if (organizationSum !== expectedSum) fail(`sum of organization_id ${String(organizationSum)}, expected ${expectedSum}`);
    return;
  }
  if (workload === "W7") {
    const names = result as string[];
    if (names.length !== 1000 || names.some((n, i) => n !== `Renamed ${i + 1}`)) fail("names not updated");
    return;
  }
  const rows = result as unknown[];
  const users = (u: User, organizationId?: number) => {
    if (typeof u.id !== "number" || u.name !== `User ${u.id}` || u.email !== `user${u.id}@example.com`) fail(`bad user ${JSON.stringify(u)}`);
    if (u.organizationId !== Math.floor((u.id - 1) / USERS_PER_ORGANIZATION) + 1) fail(`bad organizationId of user ${u.id}`);
    if (organizationId !== undefined && u.organizationId !== organizationId) fail(`user ${u.id} under the wrong organization`);
  };
  switch (workload) {
    case "W1":
      if (rows.length !== USERS) fail(`expected ${USERS} users, got ${rows.length}`);
      for (const u of rows as User[]) users(u);
      break;
    case "W2":
      if (rows.length !== USERS) fail(`expected ${USERS} users, got ${rows.length}`);
      for (const u of rows as User[]) {
        users(u);
        if (u.organization?.id !== u.organizationId || u.organization.name !== `Organization ${u.organizationId}`) fail(`user ${u.id}'s organization`);
      }
      break;
    case "W3":
      if (rows.length !== ORGANIZATIONS) fail(`expected ${ORGANIZATIONS} organizations, got ${rows.length}`);
      for (const o of rows as Org[]) {
        if (o.users?.length !== USERS_PER_ORGANIZATION) fail(`organization ${o.id} has ${o.users?.length} users`);
        for (const u of o.users ?? []) users(u, o.id);
      }
      break;
    case "W4":
      if (rows.length !== 100) fail(`expected 100 organizations, got ${rows.length}`);
      for (const o of rows as Org[]) {
        if (o.id < 1 || o.id > 100 || o.users?.length !== USERS_PER_ORGANIZATION) fail(`organization ${o.id}`);
        for (const u of o.users ?? []) {
          users(u, o.id);
          if (u.posts?.length !== POSTS_PER_USER) fail(`user ${u.id} has ${u.posts?.length} posts`);
          for (const p of u.posts ?? []) if (p.userId !== u.id || p.title !== `Post ${p.id}` || p.body.split(" ").length < 20) fail(`post ${p.id}`);
        }
      }
      break;
    case "W5":
      if (rows.length !== 1000) fail(`expected 1000 users, got ${rows.length}`);
      (rows as User[]).forEach((u, i) => {
        users(u);
        if (u.id !== lookupId(i)) fail(`lookup ${i} returned user ${u.id}`);
      });
      break;
  }
}

/** The id of the i-th W5 lookup: spread over the table, deterministic. */
export function lookupId(i: number): number {
  return ((i * 7919) % USERS) + 1;
}
