import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import {
  type AsyncConnection,
  type AsyncEngine,
  Column,
  DatabaseError,
  Integer,
  MetaData,
  NotSupportedFeatureError,
  Table,
  createAsyncEngine,
  delete_,
  insert,
  select,
  text,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";

/**
 * What each dialect emits for isolation levels and read-only transactions, what the database
 * reports inside the transaction, and that nothing of it reaches the next user of the
 * connection. Keyed by the dialect's name: this is the SQL text of each dialect, as the compiler
 * tests assert it.
 */
const EXPECTED = {
  postgresql: {
    serializableReadOnly: ["BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY"],
    repeatableRead: ["BEGIN ISOLATION LEVEL REPEATABLE READ"],
    readOnlyErrorCode: "25006",
  },
  mysql: {
    serializableReadOnly: ["SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "START TRANSACTION READ ONLY"],
    repeatableRead: ["SET TRANSACTION ISOLATION LEVEL REPEATABLE READ", "BEGIN"],
    readOnlyErrorCode: "ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION",
  },
  sqlite: {
    serializableReadOnly: ["PRAGMA query_only = ON", "BEGIN"],
    repeatableRead: undefined, // refused: SQLite transactions are SERIALIZABLE
    readOnlyErrorCode: "SQLITE_READONLY",
  },
} as const;

describeEachDatabase("isolation levels and read-only transactions", (db) => {
  const metadata = new MetaData();
  const rows = new Table(`t_${process.pid}_iso_rows`, metadata, { id: Column(Integer, { primaryKey: true }) });
  let engine: AsyncEngine;
  let seen: string[] = [];
  let marker = 0;

  beforeAll(async () => {
    engine = createAsyncEngine(db.url, { poolSize: 1, maxOverflow: 0 });
    engine.onStatement((sql) => seen.push(sql));
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
    await engine.begin((conn) => conn.execute(delete_(rows)));
    seen = [];
  });

  const expected = () => EXPECTED[engine.dialect.name];

  /** The isolation level and read-only flag the database reports for the open transaction. */
  async function reported(conn: AsyncConnection): Promise<{ level: string; readOnly: boolean }> {
    switch (engine.dialect.name) {
      case "postgresql": {
        const level = (await conn.execDriverSql("SHOW transaction_isolation")).rows[0]?.[0];
        const readOnly = (await conn.execDriverSql("SHOW transaction_read_only")).rows[0]?.[0];
        return { level: String(level).toUpperCase(), readOnly: readOnly === "on" };
      }
      case "mysql": {
        // @@tx_isolation shows the session's level, not this transaction's. InnoDB lists a transaction
        // once it has written, in a cache it refreshes when the last read is over 100 ms old.
        await conn.execute(insert(rows).values({ id: 100 + ++marker }));
        await new Promise((resolve) => setTimeout(resolve, 150));
        const found = await conn.execDriverSql(
          "SELECT trx_isolation_level FROM information_schema.innodb_trx WHERE trx_mysql_thread_id = CONNECTION_ID()",
        );
        return { level: String(found.rows[0]?.[0]), readOnly: false };
      }
      case "sqlite": {
        const queryOnly = (await conn.execDriverSql("PRAGMA query_only")).rows[0]?.[0];
        return { level: "SERIALIZABLE", readOnly: Number(queryOnly) === 1 };
      }
    }
  }

  it("begin({ isolationLevel: 'SERIALIZABLE', readOnly: true }) emits the dialect's SQL; a write fails with a typed error", async () => {
    await using conn = await engine.connect();
    await conn.begin({ isolationLevel: "SERIALIZABLE", readOnly: true });
    expect(seen).toEqual(expected().serializableReadOnly);
    if (engine.dialect.name !== "mysql") expect(await reported(conn)).toEqual({ level: "SERIALIZABLE", readOnly: true });
    const error = await conn.execute(insert(rows).values({ id: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).driverCode).toBe(expected().readOnlyErrorCode);
    await conn.rollback();
  });

  it("REPEATABLE READ runs at that level, or is refused where the database has only SERIALIZABLE", async () => {
    await using conn = await engine.connect();
    const sql = expected().repeatableRead;
    if (sql === undefined) {
      await expect(conn.begin({ isolationLevel: "REPEATABLE READ" })).rejects.toThrow(NotSupportedFeatureError);
      expect(seen).toEqual([]);
      return;
    }
    await conn.begin({ isolationLevel: "REPEATABLE READ" });
    expect(seen).toEqual(sql);
    expect((await reported(conn)).level).toBe("REPEATABLE READ");
    await conn.rollback();
  });

  it("nothing leaks to the next user of the pooled connection, whether the transaction was committed or left open", async () => {
    for (const end of ["commit", "close"] as const) {
      const first = await engine.connect();
      first.executionOptions({ isolationLevel: "SERIALIZABLE", readOnly: true });
      await first.execute(select(rows.c.id));
      if (end === "commit") await first.commit();
      await first.close();
      await using next = await engine.connect();
      await next.execute(insert(rows).values({ id: end === "commit" ? 1 : 2 })); // writable again
      if (engine.dialect.name !== "sqlite") expect((await reported(next)).level).not.toBe("SERIALIZABLE");
      else expect((await reported(next)).readOnly).toBe(false);
      await next.commit();
    }
  });

  it("the engine's isolationLevel applies to every transaction, begin() options override it, and AUTOCOMMIT is refused", async () => {
    const level = engine.dialect.name === "sqlite" ? "SERIALIZABLE" : "READ COMMITTED";
    const other = createAsyncEngine(db.url, { isolationLevel: level, poolSize: 1, maxOverflow: 0 });
    const begins: string[] = [];
    other.onStatement((sql) => begins.push(sql));
    try {
      await other.begin(async (conn) => {
        if (engine.dialect.name !== "sqlite") expect((await reported(conn)).level).toBe("READ COMMITTED");
        await conn.rollback();
      });
      expect(begins[0]).toContain(engine.dialect.name === "sqlite" ? "BEGIN" : "READ COMMITTED");
      await using conn = await other.connect();
      await expect(conn.begin({ isolationLevel: "AUTOCOMMIT" })).rejects.toThrow(NotSupportedFeatureError);
      expect(() => conn.executionOptions({ isolationLevel: "READ SOMETHING" as never })).toThrow(/isolationLevel must be one of/);
    } finally {
      await other.dispose();
    }
    if (engine.dialect.name === "sqlite") {
      expect(() => createAsyncEngine(db.url, { isolationLevel: "READ COMMITTED" })).toThrow(NotSupportedFeatureError);
    }
    await engine.begin((conn) => conn.execute(text("SELECT 1")));
  });
});
