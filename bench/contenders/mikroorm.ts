import { Collection, EntitySchema, type EntityManager, type MikroORM } from "@mikro-orm/core";
import { BULK_ROWS, bulkUser, lookupId, type Contender } from "../workloads.ts";

/**
 * MikroORM 6 (identity map and unit of work, like tsalchemy), entities declared with
 * `EntitySchema` (no decorators). A fork of the EntityManager per workload run, as an
 * application does per request.
 */
class Organization {
  id!: number;
  name!: string;
  users = new Collection<User>(this);
}
class User {
  id!: number;
  name!: string;
  email!: string;
  organizationId!: number;
  organization!: Organization;
  posts = new Collection<Post>(this);
}
class Post {
  id!: number;
  userId!: number;
  title!: string;
  body!: string;
  user!: User;
}

const schemas = [
  new EntitySchema<Organization>({
    class: Organization,
    tableName: "organizations",
    properties: {
      id: { type: "integer", primary: true, autoincrement: false },
      name: { type: "string", length: 100 },
      users: { kind: "1:m", entity: () => User, mappedBy: "organization" },
    },
  }),
  new EntitySchema<User>({
    class: User,
    tableName: "users",
    properties: {
      id: { type: "integer", primary: true, autoincrement: false },
      name: { type: "string", length: 100 },
      email: { type: "string", length: 200 },
      // The foreign key as a plain number too (read-only), beside the relation that writes it.
      organizationId: { type: "integer", fieldName: "organization_id", persist: false },
      organization: { kind: "m:1", entity: () => Organization, fieldName: "organization_id" },
      posts: { kind: "1:m", entity: () => Post, mappedBy: "user" },
    },
  }),
  new EntitySchema<Post>({
    class: Post,
    tableName: "posts",
    properties: {
      id: { type: "integer", primary: true, autoincrement: false },
      userId: { type: "integer", fieldName: "user_id", persist: false },
      title: { type: "string", length: 200 },
      body: { type: "text" },
      user: { kind: "m:1", entity: () => User, fieldName: "user_id" },
    },
  }),
];

export function mikroormContender(): Contender {
  let orm: MikroORM;
  const fork = (): EntityManager => orm.em.fork();
  const rolledBack = async <T>(work: (em: EntityManager) => Promise<T>): Promise<T> => {
    const em = fork();
    await em.begin();
    try {
      return await work(em);
    } finally {
      await em.rollback();
    }
  };
  return {
    name: "mikroorm",
    async open(url) {
      const common = { entities: schemas, debug: false, allowGlobalContext: false, discovery: { warnWhenNoEntities: false } };
      if (url.startsWith("sqlite:")) {
        const { MikroORM } = await import("@mikro-orm/better-sqlite");
        orm = await MikroORM.init({ ...common, dbName: url.slice("sqlite://".length) });
      } else {
        const { MikroORM } = await import("@mikro-orm/postgresql");
        orm = await MikroORM.init({ ...common, clientUrl: url });
      }
    },
    async close() {
      await orm.close(true);
    },
    W1: () => fork().find(User, {}),
    W2: () => fork().find(User, {}, { populate: ["organization"], strategy: "joined" }),
    W3: () => fork().find(Organization, {}, { populate: ["users"], strategy: "select-in" }),
    W4: () => fork().find(Organization, {}, { populate: ["users.posts"], strategy: "select-in", orderBy: { id: "asc" }, limit: 100 }),
    async W5() {
      const found: unknown[] = [];
      for (let batch = 0; batch < 10; batch++) {
        const em = fork();
        for (let i = batch * 100; i < (batch + 1) * 100; i++) found.push(await em.findOne(User, lookupId(i)));
      }
      return found;
    },
    W6: () =>
      rolledBack(async (em) => {
        for (let i = 0; i < 1000; i++) {
          const id = 100_001 + i;
          em.persist(em.create(User, { id, name: `New ${id}`, email: `new${id}@example.com`, organization: 1 } as never));
        }
        await em.flush();
        return em.count(User, { id: { $gt: 100_000 } });
      }),
    W7: () =>
      rolledBack(async (em) => {
        const users = await em.find(User, { id: { $lte: 1000 } }, { orderBy: { id: "asc" } });
        for (const u of users) u.name = `Renamed ${u.id}`;
        await em.flush();
        const rows = await em.getConnection().execute<{ name: string }[]>("SELECT name FROM users WHERE id <= 1000 ORDER BY id", [], "all", em.getTransactionContext());
        return rows.map((r: { name: string }) => r.name);
      }),
    W8: () =>
      rolledBack(async (em) => {
        // `insertMany`: MikroORM 6's bulk INSERT of plain data, past the unit of work.
        const rows = Array.from({ length: BULK_ROWS }, (_, i) => {
          const u = bulkUser(i);
          return { id: u.id, name: u.name, email: u.email, organization: u.organizationId };
        });
        await em.insertMany(User, rows as never);
        const [row] = await em
          .getConnection()
          .execute<{ n: unknown; s: unknown }[]>("SELECT count(*) AS n, sum(organization_id) AS s FROM users WHERE id > 100000", [], "all", em.getTransactionContext());
        return [Number(row?.n), Number(row?.s)] as [number, number];
      }),
  };
}
