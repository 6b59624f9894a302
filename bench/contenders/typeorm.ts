import { DataSource, EntitySchema, type EntityManager, MoreThan, LessThanOrEqual } from "typeorm";
import { BULK_ROWS, bulkUser, lookupId, type Contender } from "../workloads.ts";

/**
 * TypeORM 1 (no identity map), entities declared with `EntitySchema` (no decorators). Relations
 * load with its default joined strategy everywhere: `relationLoadStrategy: "query"` (its
 * select-in) was tried for W3 and took 16.6–18.6 s on SQLite against 47–74 ms joined, so the
 * faster choice is the fair one. W6 uses `insert` (its bulk path); W7 changes loaded entities
 * and `save`s them, the entity path that works out what changed.
 */
interface Organization {
  id: number;
  name: string;
  users?: User[];
}
interface User {
  id: number;
  name: string;
  email: string;
  organizationId: number;
  organization?: Organization;
  posts?: Post[];
}
interface Post {
  id: number;
  userId: number;
  title: string;
  body: string;
  user?: User;
}

function schemas(sqlite: boolean) {
  const text = sqlite ? "varchar" : "character varying";
  const Organization = new EntitySchema<Organization>({
    name: "Organization",
    tableName: "organizations",
    columns: { id: { type: "integer", primary: true }, name: { type: text, length: 100 } },
    relations: { users: { type: "one-to-many", target: "User", inverseSide: "organization" } },
  });
  const User = new EntitySchema<User>({
    name: "User",
    tableName: "users",
    columns: {
      id: { type: "integer", primary: true },
      name: { type: text, length: 100 },
      email: { type: text, length: 200 },
      organizationId: { type: "integer", name: "organization_id" },
    },
    relations: {
      organization: { type: "many-to-one", target: "Organization", inverseSide: "users", joinColumn: { name: "organization_id" } },
      posts: { type: "one-to-many", target: "Post", inverseSide: "user" },
    },
  });
  const Post = new EntitySchema<Post>({
    name: "Post",
    tableName: "posts",
    columns: {
      id: { type: "integer", primary: true },
      userId: { type: "integer", name: "user_id" },
      title: { type: text, length: 200 },
      body: { type: "text" },
    },
    relations: { user: { type: "many-to-one", target: "User", inverseSide: "posts", joinColumn: { name: "user_id" } } },
  });
  return { Organization, User, Post };
}

export function typeormContender(): Contender {
  let source: DataSource;
  let entities: ReturnType<typeof schemas>;
  const rollback = new Error("rollback");
  const rolledBack = async <T>(work: (manager: EntityManager) => Promise<T>): Promise<T> => {
    let value: T | undefined;
    try {
      await source.transaction(async (manager) => {
        value = await work(manager);
        throw rollback;
      });
    } catch (error) {
      if (error !== rollback) throw error;
    }
    return value as T;
  };
  return {
    name: "typeorm",
    async open(url) {
      const sqlite = url.startsWith("sqlite:");
      entities = schemas(sqlite);
      const list = [entities.Organization, entities.User, entities.Post];
      source = sqlite
        ? new DataSource({ type: "better-sqlite3", database: url.slice("sqlite://".length), entities: list })
        : new DataSource({ type: "postgres", url, entities: list });
      await source.initialize();
    },
    async close() {
      await source.destroy();
    },
    W1: () => source.getRepository(entities.User).find(),
    W2: () => source.getRepository(entities.User).find({ relations: { organization: true } }),
    W3: () => source.getRepository(entities.Organization).find({ relations: { users: true } }),
    W4: () =>
      source
        .getRepository(entities.Organization)
        .find({ relations: { users: { posts: true } }, order: { id: "ASC" }, take: 100 }),
    async W5() {
      const users = source.getRepository(entities.User);
      const found: unknown[] = [];
      for (let i = 0; i < 1000; i++) found.push(await users.findOneBy({ id: lookupId(i) }));
      return found;
    },
    W6: () =>
      rolledBack(async (manager) => {
        const rows = Array.from({ length: 1000 }, (_, i) => ({ id: 100_001 + i, name: `New ${100_001 + i}`, email: `new${100_001 + i}@example.com`, organizationId: 1 }));
        await manager.insert(entities.User, rows);
        return manager.countBy(entities.User, { id: MoreThan(100_000) });
      }),
    W7: () =>
      rolledBack(async (manager) => {
        const users = await manager.find(entities.User, { where: { id: LessThanOrEqual(1000) }, order: { id: "ASC" } });
        for (const u of users) u.name = `Renamed ${u.id}`;
        await manager.save(entities.User, users);
        const rows = await manager.find(entities.User, { select: { id: true, name: true }, where: { id: LessThanOrEqual(1000) }, order: { id: "ASC" } });
        return rows.map((r) => r.name);
      }),
    W8: () =>
      rolledBack(async (manager) => {
        const rows = Array.from({ length: BULK_ROWS }, (_, i) => bulkUser(i));
        // `insert` sends one statement: SQLite's 32,766 bound parameters (4 a row) cap it.
        const chunk = Math.floor((source.options.type === "better-sqlite3" ? 32_766 : 65_535) / 4);
        for (let i = 0; i < rows.length; i += chunk) await manager.insert(entities.User, rows.slice(i, i + chunk));
        const row = await manager
          .createQueryBuilder(entities.User, "u")
          .select("count(*)", "n")
          .addSelect("sum(u.organization_id)", "s")
          .where("u.id > :min", { min: 100_000 })
          .getRawOne<{ n: unknown; s: unknown }>();
        return [Number(row?.n), Number(row?.s)] as [number, number];
      }),
  };
}
