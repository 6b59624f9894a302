import { type Engine, Session, createEngine, func, insert, select } from "../../src/index.ts";
import { BULK_ROWS, NotSupported, bulkUser, lookupId, type Contender } from "../workloads.ts";
import { Organization, User } from "./tsalchemy-models.ts";
import { joinedload, selectinload } from "../../src/index.ts";

/**
 * tsalchemy's synchronous Session over better-sqlite3 (SQLite only): the same workloads as the
 * AsyncSession contender, written without `await`. The functions are `async` only to match the
 * harness's `Contender` interface; nothing inside them awaits.
 */
export function tsalchemySyncContender(): Contender {
  let engine: Engine | undefined;
  const withSession = <T>(work: (session: Session) => T): Promise<T> => {
    if (engine === undefined) throw new NotSupported("the synchronous Session runs on SQLite only (better-sqlite3)");
    const session = new Session(engine);
    try {
      return Promise.resolve(work(session));
    } finally {
      session.close();
    }
  };
  return {
    name: "tsalchemy-sync",
    async open(url) {
      if (url.startsWith("sqlite:")) engine = createEngine(`sqlite:///${url.slice("sqlite://".length)}`);
    },
    async close() {
      engine?.dispose();
    },
    W1: () => withSession((s) => s.scalars(select(User)).all()),
    W2: () => withSession((s) => s.scalars(select(User).options(joinedload(User.organization))).all()),
    W3: () => withSession((s) => s.scalars(select(Organization).options(selectinload(Organization.users))).all()),
    W4: () =>
      withSession((s) =>
        s.scalars(select(Organization).options(selectinload(Organization.users).selectinload(User.posts)).orderBy(Organization.id).limit(100)).all(),
      ),
    async W5() {
      const found: unknown[] = [];
      for (let batch = 0; batch < 10; batch++) {
        await withSession((s) => {
          for (let i = batch * 100; i < (batch + 1) * 100; i++) found.push(s.get(User, lookupId(i)));
        });
      }
      return found;
    },
    W6: () =>
      withSession((s) => {
        for (let i = 0; i < 1000; i++) {
          const id = 100_001 + i;
          s.add(new User({ id, name: `New ${id}`, email: `new${id}@example.com`, organizationId: 1 }));
        }
        s.flush();
        const count = Number(s.scalar(select(func.count(User.id).label("n")).where(User.id.gt(100_000))));
        s.rollback();
        return count;
      }),
    W7: () =>
      withSession((s) => {
        const users = s.scalars(select(User).where(User.id.le(1000)).orderBy(User.id)).all();
        for (const u of users) u.name = `Renamed ${u.id}`;
        s.flush();
        const names = s.execute(select(User.name).where(User.id.le(1000)).orderBy(User.id)).scalars().all() as string[];
        s.rollback();
        return names;
      }),
    W8: () =>
      withSession((s) => {
        s.execute(insert(User), Array.from({ length: BULK_ROWS }, (_, i) => bulkUser(i)));
        const row = s.execute(select(func.count(User.id).label("n"), func.sum(User.organizationId).label("s")).where(User.id.gt(100_000))).one();
        s.rollback();
        return [Number(row.n), Number(row.s)] as [number, number];
      }),
  };
}
