import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  type AsyncConnection,
  type AsyncEngine,
  Column,
  IllegalStateChangeError,
  InvalidRequestError,
  MetaData,
  StringType,
  Table,
  createAsyncEngine,
  delete_,
  insert,
  select,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";

/**
 * Transactions on every database: engine.begin(), autobegin, close-without-commit, savepoints in
 * combinations (acceptance 5), `await using`, and one connection refusing two statements at once.
 * Row sets are always read back on a connection of their own, after the writer has let go of its
 * connection (SQLite and PGlite have a pool of one).
 */
describeEachDatabase("transactions", (db) => {
  const metadata = new MetaData();
  const items = new Table(`t_${process.pid}_tx_items`, metadata, {
    name: Column(StringType(20), { primaryKey: true }),
  });
  let engine: AsyncEngine;

  beforeAll(async () => {
    engine = createAsyncEngine(db.url, { poolTimeout: 5_000 });
    await engine.begin((conn) => metadata.createAll(conn));
  });

  afterAll(async () => {
    if (!engine) return;
    try {
      await engine.begin((conn) => metadata.dropAll(conn));
    } finally {
      await engine.dispose();
    }
  });

  beforeEach(async () => {
    await engine.begin((conn) => conn.execute(delete_(items)));
  });

  /** The committed names, sorted, as a fresh connection sees them. */
  async function committedNames(): Promise<string[]> {
    const conn = await engine.connect();
    try {
      const names = (await conn.execute(select(items.c.name).orderBy(items.c.name))).scalars().all();
      return names;
    } finally {
      await conn.close();
    }
  }

  function add(conn: AsyncConnection, name: string) {
    return conn.execute(insert(items).values({ name }));
  }

  describe("engine.begin(fn)", () => {
    it("commits when the function resolves, and returns its value", async () => {
      const value = await engine.begin(async (conn) => {
        await add(conn, "a");
        await add(conn, "b");
        expect(conn.inTransaction()).toBe(true);
        return 42;
      });
      expect(value).toBe(42);
      expect(await committedNames()).toEqual(["a", "b"]);
    });

    it("rolls back when the function throws, and rethrows the same error", async () => {
      const failure = new Error("boom");
      let seen: AsyncConnection | undefined;
      await expect(
        engine.begin(async (conn) => {
          seen = conn;
          await add(conn, "a");
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(seen?.closed).toBe(true);
      expect(await committedNames()).toEqual([]);
    });

    it("rolls back when a statement inside fails", async () => {
      await engine.begin((conn) => add(conn, "x"));
      await expect(
        engine.begin(async (conn) => {
          await add(conn, "a");
          await add(conn, "x"); // duplicate key
        }),
      ).rejects.toThrow();
      expect(await committedNames()).toEqual(["x"]);
    });

    it("without a function returns a connection in a transaction to commit yourself", async () => {
      const conn = await engine.begin();
      expect(conn.inTransaction()).toBe(true);
      await add(conn, "a");
      await conn.commit();
      expect(conn.inTransaction()).toBe(false);
      await conn.close();
      expect(await committedNames()).toEqual(["a"]);
    });
  });

  describe("autobegin", () => {
    it("the first statement begins a transaction; commit() commits it", async () => {
      const conn = await engine.connect();
      expect(conn.inTransaction()).toBe(false);
      await add(conn, "a");
      expect(conn.inTransaction()).toBe(true);
      await conn.commit();
      expect(conn.inTransaction()).toBe(false);
      // The next statement autobegins again; rollback() discards only that one.
      await add(conn, "b");
      expect(conn.inTransaction()).toBe(true);
      await conn.rollback();
      expect(conn.inTransaction()).toBe(false);
      await conn.close();
      expect(await committedNames()).toEqual(["a"]);
    });

    it("close() without commit rolls back", async () => {
      const conn = await engine.connect();
      await add(conn, "a");
      await add(conn, "b");
      await conn.close();
      expect(conn.closed).toBe(true);
      expect(await committedNames()).toEqual([]);
    });

    it("await using on a connection rolls back what was not committed", async () => {
      {
        await using conn = await engine.connect();
        await add(conn, "a");
      }
      expect(await committedNames()).toEqual([]);
    });

    it("begin() while a transaction is open (autobegun) is an InvalidRequestError", async () => {
      const conn = await engine.connect();
      try {
        await add(conn, "a");
        await expect(conn.begin()).rejects.toBeInstanceOf(InvalidRequestError);
        // The open transaction is unharmed.
        expect(conn.inTransaction()).toBe(true);
        await conn.commit();
      } finally {
        await conn.close();
      }
      expect(await committedNames()).toEqual(["a"]);
    });

    it("a closed connection refuses statements; close() twice is fine", async () => {
      const conn = await engine.connect();
      await conn.close();
      await conn.close();
      await expect(add(conn, "a")).rejects.toBeInstanceOf(InvalidRequestError);
      expect(await committedNames()).toEqual([]);
    });
  });

  describe("Transaction objects and await using", () => {
    it("await using on a Transaction rolls it back if it was not committed", async () => {
      const conn = await engine.connect();
      try {
        {
          await using tx = await conn.begin();
          await add(conn, "a");
          expect(tx.isActive).toBe(true);
        }
        expect(conn.inTransaction()).toBe(false);
        {
          await using tx = await conn.begin();
          await add(conn, "b");
          await tx.commit();
          expect(tx.isActive).toBe(false);
        }
        expect(conn.inTransaction()).toBe(false);
      } finally {
        await conn.close();
      }
      expect(await committedNames()).toEqual(["b"]);
    });

    it("await using on a savepoint rolls back to it if it was not released", async () => {
      const conn = await engine.connect();
      try {
        await add(conn, "a");
        {
          await using sp = await conn.beginNested();
          await add(conn, "b");
          expect(sp.isNested).toBe(true);
        }
        expect(conn.inNestedTransaction()).toBe(false);
        expect(conn.inTransaction()).toBe(true);
        await add(conn, "c");
        await conn.commit();
      } finally {
        await conn.close();
      }
      expect(await committedNames()).toEqual(["a", "c"]);
    });

    it("committing an ended transaction is an InvalidRequestError; rolling it back again is a no-op", async () => {
      const conn = await engine.connect();
      try {
        const tx = await conn.begin();
        await add(conn, "a");
        await tx.commit();
        await expect(tx.commit()).rejects.toBeInstanceOf(InvalidRequestError);
        await tx.rollback();
      } finally {
        await conn.close();
      }
      expect(await committedNames()).toEqual(["a"]);
    });
  });

  describe("savepoints (acceptance 5)", () => {
    /** Runs `body` on a connection with "A" inserted first, then commits (unless told not to). */
    async function scenario(body: (conn: AsyncConnection) => Promise<void>, end: "commit" | "rollback" = "commit") {
      const conn = await engine.connect();
      try {
        await add(conn, "A");
        await body(conn);
        if (end === "commit") await conn.commit();
        else await conn.rollback();
      } finally {
        await conn.close();
      }
      return committedNames();
    }

    it("insert A; sp1 B; sp2 C; rollback sp2; sp3 D; release sp3; release sp1; commit → {A, B, D}", async () => {
      const names = await scenario(async (conn) => {
        const sp1 = await conn.beginNested();
        await add(conn, "B");
        const sp2 = await conn.beginNested();
        await add(conn, "C");
        await sp2.rollback();
        expect(sp2.isActive).toBe(false);
        expect(sp1.isActive).toBe(true);
        const sp3 = await conn.beginNested();
        await add(conn, "D");
        await sp3.commit();
        await sp1.commit();
        expect(conn.inNestedTransaction()).toBe(false);
      });
      expect(names).toEqual(["A", "B", "D"]);
    });

    it("rolling back an outer savepoint discards the inner ones already released → {A}", async () => {
      const names = await scenario(async (conn) => {
        const sp1 = await conn.beginNested();
        await add(conn, "B");
        const sp2 = await conn.beginNested();
        await add(conn, "C");
        await sp2.commit();
        const sp3 = await conn.beginNested();
        await add(conn, "D");
        await sp3.commit();
        await sp1.rollback();
        await add(conn, "E");
      });
      expect(names).toEqual(["A", "E"]);
    });

    it("rolling back an outer savepoint while an inner one is open ends both → {A}", async () => {
      const names = await scenario(async (conn) => {
        const sp1 = await conn.beginNested();
        await add(conn, "B");
        const sp2 = await conn.beginNested();
        await add(conn, "C");
        await sp1.rollback();
        expect(sp1.isActive).toBe(false);
        expect(sp2.isActive).toBe(false);
        expect(conn.inNestedTransaction()).toBe(false);
        await expect(sp2.commit()).rejects.toBeInstanceOf(InvalidRequestError);
      });
      expect(names).toEqual(["A"]);
    });

    it("releasing an outer savepoint while an inner one is open keeps both's rows → {A, B, C}", async () => {
      const names = await scenario(async (conn) => {
        const sp1 = await conn.beginNested();
        await add(conn, "B");
        const sp2 = await conn.beginNested();
        await add(conn, "C");
        await sp1.commit();
        expect(sp2.isActive).toBe(false);
        expect(conn.inNestedTransaction()).toBe(false);
      });
      expect(names).toEqual(["A", "B", "C"]);
    });

    it("sibling savepoints: release, roll back, release → {A, B, D}", async () => {
      const names = await scenario(async (conn) => {
        const sp1 = await conn.beginNested();
        await add(conn, "B");
        await sp1.commit();
        const sp2 = await conn.beginNested();
        await add(conn, "C");
        await sp2.rollback();
        const sp3 = await conn.beginNested();
        await add(conn, "D");
        await sp3.commit();
      });
      expect(names).toEqual(["A", "B", "D"]);
    });

    it("three deep: roll back the middle one, release the rest → {A, B, E}", async () => {
      const names = await scenario(async (conn) => {
        const sp1 = await conn.beginNested();
        await add(conn, "B");
        const sp2 = await conn.beginNested();
        await add(conn, "C");
        const sp3 = await conn.beginNested();
        await add(conn, "D");
        await sp3.commit();
        await sp2.rollback();
        expect(sp3.isActive).toBe(false);
        await add(conn, "E");
        await sp1.commit();
      });
      expect(names).toEqual(["A", "B", "E"]);
    });

    it("rolling back the root discards released savepoints → {}", async () => {
      const names = await scenario(async (conn) => {
        const sp1 = await conn.beginNested();
        await add(conn, "B");
        await sp1.commit();
      }, "rollback");
      expect(names).toEqual([]);
    });

    it("a savepoint whose row failed (duplicate key) can be rolled back and the transaction goes on → {A, B}", async () => {
      const names = await scenario(async (conn) => {
        const sp1 = await conn.beginNested();
        await expect(add(conn, "A")).rejects.toThrow();
        await sp1.rollback();
        await add(conn, "B");
      });
      expect(names).toEqual(["A", "B"]);
    });

    it("beginNested() with no transaction open begins one first", async () => {
      const conn = await engine.connect();
      try {
        const sp = await conn.beginNested();
        expect(conn.inTransaction()).toBe(true);
        expect(conn.inNestedTransaction()).toBe(true);
        await add(conn, "A");
        await sp.commit();
        await conn.commit();
      } finally {
        await conn.close();
      }
      expect(await committedNames()).toEqual(["A"]);
    });

    it("a savepoint's object is inactive after its parent transaction commits or rolls back", async () => {
      const conn = await engine.connect();
      try {
        const root = await conn.begin();
        const sp = await conn.beginNested();
        await add(conn, "A");
        await root.commit();
        expect(sp.isActive).toBe(false);
        await expect(sp.commit()).rejects.toBeInstanceOf(InvalidRequestError);
        await sp.rollback(); // a no-op: nothing is rolled back
        expect(conn.inTransaction()).toBe(false);

        const root2 = await conn.begin();
        const sp2 = await conn.beginNested();
        await add(conn, "B");
        await root2.rollback();
        expect(sp2.isActive).toBe(false);
        expect(conn.inNestedTransaction()).toBe(false);
        await expect(sp2.commit()).rejects.toBeInstanceOf(InvalidRequestError);
      } finally {
        await conn.close();
      }
      expect(await committedNames()).toEqual(["A"]);
    });

    it("savepoints inside engine.begin(): an exception rolls the savepoint back, the rest commits", async () => {
      await engine.begin(async (conn) => {
        await add(conn, "A");
        const sp = await conn.beginNested();
        try {
          await add(conn, "B");
          throw new Error("undo B");
        } catch {
          await sp.rollback();
        }
        await add(conn, "C");
      });
      expect(await committedNames()).toEqual(["A", "C"]);
    });
  });

  describe("one statement at a time per connection", () => {
    it("two concurrent execute() calls on a fresh connection: one fails with IllegalStateChangeError, nothing is damaged", async () => {
      const conn = await engine.connect();
      try {
        const outcomes = await Promise.allSettled([add(conn, "a"), add(conn, "b")]);
        const rejected = outcomes.filter((o) => o.status === "rejected");
        const fulfilled = outcomes.filter((o) => o.status === "fulfilled");
        expect(fulfilled).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect((rejected[0] as PromiseRejectedResult).reason).toBeInstanceOf(IllegalStateChangeError);
        // The connection works afterwards, and its transaction holds exactly the statement that ran.
        expect(conn.inTransaction()).toBe(true);
        await add(conn, "c");
        const names = (await conn.execute(select(items.c.name).orderBy(items.c.name))).scalars().all();
        expect(names).toEqual(["a", "c"]);
        await conn.commit();
      } finally {
        await conn.close();
      }
      expect(await committedNames()).toEqual(["a", "c"]);
    });

    it("two concurrent execute() calls inside an open transaction: the same", async () => {
      const conn = await engine.connect();
      try {
        await add(conn, "a");
        const outcomes = await Promise.allSettled([
          conn.execute(select(items.c.name)),
          add(conn, "b"),
          add(conn, "c"),
        ]);
        expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected"]);
        for (const o of outcomes.slice(1)) expect((o as PromiseRejectedResult).reason).toBeInstanceOf(IllegalStateChangeError);
        expect((outcomes[0] as PromiseFulfilledResult<{ all(): unknown[] }>).value.all()).toEqual([{ name: "a" }]);
        await add(conn, "d");
        await conn.commit();
      } finally {
        await conn.close();
      }
      expect(await committedNames()).toEqual(["a", "d"]);
    });

    it("commit() while a statement runs is refused, and the connection still works", async () => {
      const conn = await engine.connect();
      try {
        await add(conn, "a");
        // Call commit() from inside the statement listener: the INSERT is certainly running then.
        let commitAttempt: Promise<unknown> | undefined;
        const stop = engine.onStatement((sql) => {
          if (commitAttempt === undefined && sql.startsWith("INSERT")) {
            commitAttempt = conn.commit().then(
              () => "committed",
              (error: unknown) => error,
            );
          }
        });
        try {
          await add(conn, "b");
        } finally {
          stop();
        }
        expect(await commitAttempt).toBeInstanceOf(IllegalStateChangeError);
        expect(conn.inTransaction()).toBe(true);
        await conn.commit();
      } finally {
        await conn.close();
      }
      expect(await committedNames()).toEqual(["a", "b"]);
    });

    it("execute() and commit() issued together: exactly one runs, the other is refused, state stays consistent", async () => {
      const conn = await engine.connect();
      try {
        await add(conn, "a");
        const [inserted, committed] = await Promise.allSettled([add(conn, "b"), conn.commit()]);
        const statuses = [inserted.status, committed.status].sort();
        expect(statuses).toEqual(["fulfilled", "rejected"]);
        const refused = (inserted.status === "rejected" ? inserted : committed) as PromiseRejectedResult;
        expect(refused.reason).toBeInstanceOf(IllegalStateChangeError);
        // Whichever won, the connection is usable and the transaction state matches what ran.
        expect(conn.inTransaction()).toBe(committed.status === "rejected");
        await conn.commit();
        expect(await (async () => {
          await conn.close();
          return committedNames();
        })()).toEqual(inserted.status === "fulfilled" ? ["a", "b"] : ["a"]);
      } finally {
        await conn.close();
      }
    });
  });
});
