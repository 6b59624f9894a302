import { AsyncSession, type AsyncEngine, createAsyncEngine, func, insert, select } from "../../src/index.ts";
import * as tsalchemy from "../../src/index.ts";
import { BULK_ROWS, NotSupported, bulkUser, lookupId, type Contender } from "../workloads.ts";
import { Organization, User } from "./tsalchemy-models.ts";

/**
 * The eager loader options, looked up at run time so that the suite still runs (W2–W4 reported
 * as not supported) on a tree that does not export them.
 */
type LoaderOption = (attribute: unknown) => { selectinload(attribute: unknown): unknown };
const loaders = tsalchemy as unknown as { joinedload?: LoaderOption; selectinload?: LoaderOption };
function loader(name: "joinedload" | "selectinload"): LoaderOption {
  const option = loaders[name];
  if (typeof option !== "function") throw new NotSupported(`tsalchemy does not export ${name} yet`);
  return option;
}


/**
 * tsalchemy through its ORM: a new AsyncSession per workload run, as an application would.
 * `preparedStatements` goes to the engine on PostgreSQL (`--pg-prepared`); without it, the default.
 */
export function tsalchemyContender(options: { preparedStatements?: "named" | "unnamed" } = {}): Contender {
  let engine: AsyncEngine;
  const withSession = async <T>(work: (session: AsyncSession) => Promise<T>): Promise<T> => {
    const session = new AsyncSession(engine);
    try {
      return await work(session);
    } finally {
      await session.close();
    }
  };
  return {
    name: "tsalchemy",
    async open(url) {
      engine = url.startsWith("sqlite:")
        ? createAsyncEngine(`sqlite:///${url.slice("sqlite://".length)}`)
        : createAsyncEngine(url, options.preparedStatements === undefined ? {} : { preparedStatements: options.preparedStatements });
    },
    async close() {
      await engine.dispose();
    },
    W1: () => withSession(async (s) => (await s.scalars(select(User))).all()),
    W2: () => {
      const joinedload = loader("joinedload");
      return withSession(async (s) => (await s.scalars(select(User).options(joinedload(User.organization) as never))).all());
    },
    W3: () => {
      const selectinload = loader("selectinload");
      return withSession(async (s) => (await s.scalars(select(Organization).options(selectinload(Organization.users) as never))).all());
    },
    W4: () => {
      const selectinload = loader("selectinload");
      return withSession(async (s) =>
        (await s.scalars(select(Organization).options(selectinload(Organization.users).selectinload(User.posts) as never).orderBy(Organization.id).limit(100))).all(),
      );
    },
    async W5() {
      const found: unknown[] = [];
      for (let batch = 0; batch < 10; batch++) {
        await withSession(async (s) => {
          for (let i = batch * 100; i < (batch + 1) * 100; i++) found.push(await s.get(User, lookupId(i)));
        });
      }
      return found;
    },
    W6: () =>
      withSession(async (s) => {
        for (let i = 0; i < 1000; i++) {
          const id = 100_001 + i;
          s.add(new User({ id, name: `New ${id}`, email: `new${id}@example.com`, organizationId: 1 }));
        }
        await s.flush();
        const count = Number(await s.scalar(select(func.count(User.id).label("n")).where(User.id.gt(100_000))));
        await s.rollback();
        return count;
      }),
    W7: () =>
      withSession(async (s) => {
        const users = (await s.scalars(select(User).where(User.id.le(1000)).orderBy(User.id))).all();
        for (const u of users) u.name = `Renamed ${u.id}`;
        await s.flush();
        const names = (await s.execute(select(User.name).where(User.id.le(1000)).orderBy(User.id))).scalars().all() as string[];
        await s.rollback();
        return names;
      }),
    W8: () =>
      withSession(async (s) => {
        // ORM bulk INSERT (docs/orm-dml.md): parameter sets keyed by attribute, nothing added to the session.
        await s.execute(insert(User), Array.from({ length: BULK_ROWS }, (_, i) => bulkUser(i)));
        const row = (await s.execute(select(func.count(User.id).label("n"), func.sum(User.organizationId).label("s")).where(User.id.gt(100_000)))).one();
        await s.rollback();
        return [Number(row.n), Number(row.s)] as [number, number];
      }),
  };
}
