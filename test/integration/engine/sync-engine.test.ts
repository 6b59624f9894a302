import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ArgumentError,
  Column,
  Connection,
  Engine,
  ForeignKey,
  IllegalStateChangeError,
  Integer,
  IntegrityError,
  InvalidRequestError,
  MetaData,
  ProgrammingError,
  QueryCanceledError,
  StringType,
  SyncTransaction,
  Table,
  TimeoutError,
  bindparam,
  createEngine,
  insert,
  listen,
  select,
  text,
  update,
} from "../../../src/index.ts";

/**
 * The synchronous engine over better-sqlite3 (`createEngine`): every call returns its answer,
 * with AsyncConnection's behaviour (the logic is shared: ConnectionCore). Real better-sqlite3.
 */
describe("createEngine (synchronous, better-sqlite3)", () => {
  const metadata = new MetaData();
  const teams = new Table("teams", metadata, {
    id: Column(Integer, { primaryKey: true }),
    name: Column(StringType(30), { unique: true }),
  });
  const players = new Table("players", metadata, {
    id: Column(Integer, { primaryKey: true }),
    teamId: Column(Integer, ForeignKey("teams.id")),
    name: Column(StringType(30)),
  });

  let engine: Engine;
  let statements: string[];

  beforeEach(() => {
    engine = createEngine("sqlite://:memory:");
    statements = [];
    metadata.createAll(engine);
    engine.onStatement((sql) => statements.push(sql));
  });

  afterEach(() => {
    engine.dispose();
  });

  const teamNames = (conn: Connection) => conn.execute(select(teams.c.name).orderBy(teams.c.name)).scalars().all();

  describe("statements", () => {
    it("executes an insert and a select, returning results (not promises)", () => {
      const conn = engine.connect();
      expect(conn).toBeInstanceOf(Connection);
      const inserted = conn.execute(insert(teams).values({ name: "red" }));
      expect(inserted).not.toBeInstanceOf(Promise);
      expect(inserted.rowsAffected).toBe(1);
      expect(inserted.lastInsertId).toBe(1);
      conn.execute(insert(teams), [{ name: "green" }, { name: "blue" }]);
      expect(teamNames(conn)).toEqual(["blue", "green", "red"]);
      const row = conn.execute(select(teams).where(teams.c.name.eq(bindparam("n", StringType(30)))), { n: "red" }).one();
      expect(row).toEqual({ id: 1, name: "red" });
      conn.commit();
      conn.close();
      expect(statements).toEqual([
        "BEGIN",
        'INSERT INTO "teams" ("name") VALUES (?)',
        'INSERT INTO "teams" ("name") VALUES (?), (?)',
        'SELECT "teams"."name" FROM "teams" ORDER BY "teams"."name"',
        'SELECT "teams"."id", "teams"."name" FROM "teams" WHERE "teams"."name" = ?',
        "COMMIT",
      ]);
    });

    it("runs executemany of an update, text() and execDriverSql", () => {
      engine.execute(insert(teams), [{ name: "a" }, { name: "b" }]);
      const conn = engine.connect();
      const renamed = conn.execute(
        update(teams).where(teams.c.name.eq(bindparam("old", StringType(30)))).values({ name: bindparam("new", StringType(30)) }),
        [{ old: "a", new: "x" }, { old: "b", new: "y" }],
      );
      expect(renamed.rowsAffected).toBe(2);
      expect(conn.execute(text("SELECT name FROM teams ORDER BY name")).scalars().all()).toEqual(["x", "y"]);
      expect(conn.execDriverSql("SELECT count(*) FROM teams WHERE name = ?", ["x"]).rows).toEqual([[1]]);
      conn.close();
    });
  });

  describe("transactions", () => {
    it("autobegins; commit() commits, close() without commit rolls back", () => {
      const conn = engine.connect();
      conn.execute(insert(teams).values({ name: "kept" }));
      expect(conn.inTransaction()).toBe(true);
      conn.commit();
      expect(conn.inTransaction()).toBe(false);
      conn.execute(insert(teams).values({ name: "lost" }));
      conn.close();
      expect(conn.closed).toBe(true);
      expect(statements.slice(-2)).toEqual(['INSERT INTO "teams" ("name") VALUES (?)', "ROLLBACK"]);
      const reader = engine.connect();
      expect(teamNames(reader)).toEqual(["kept"]);
      reader.close();
    });

    it("rollback() and begin(): the transaction objects are synchronous", () => {
      const conn = engine.connect();
      const tx = conn.begin();
      expect(tx).toBeInstanceOf(SyncTransaction);
      conn.execute(insert(teams).values({ name: "gone" }));
      tx.rollback();
      expect(tx.isActive).toBe(false);
      expect(teamNames(conn)).toEqual([]);
      expect(() => conn.begin()).toThrow(InvalidRequestError); // autobegun by the select
      conn.close();
    });

    it("savepoints: rollback to one keeps the outer transaction's work", () => {
      const conn = engine.connect();
      conn.execute(insert(teams).values({ name: "outer" }));
      const sp = conn.beginNested();
      expect(conn.inNestedTransaction()).toBe(true);
      conn.execute(insert(teams).values({ name: "inner" }));
      sp.rollback();
      const sp2 = conn.beginNested();
      conn.execute(insert(teams).values({ name: "inner2" }));
      sp2.commit();
      conn.commit();
      expect(statements.filter((s) => s.includes("SAVEPOINT"))).toEqual([
        'SAVEPOINT "sp_1"',
        'ROLLBACK TO SAVEPOINT "sp_1"',
        'SAVEPOINT "sp_2"',
        'RELEASE SAVEPOINT "sp_2"',
      ]);
      expect(teamNames(conn)).toEqual(["inner2", "outer"]);
      conn.close();
    });

    it("engine.begin(work) commits, or rolls back when work throws; async work is refused", () => {
      expect(engine.begin((conn) => conn.execute(insert(teams).values({ name: "one" })).rowsAffected)).toBe(1);
      expect(() =>
        engine.begin((conn) => {
          conn.execute(insert(teams).values({ name: "two" }));
          throw new Error("boom");
        }),
      ).toThrow("boom");
      expect(() => engine.begin(async (conn) => conn.execute(insert(teams).values({ name: "three" })))).toThrow(InvalidRequestError);
      const conn = engine.begin();
      expect(conn.inTransaction()).toBe(true);
      expect(teamNames(conn)).toEqual(["one"]);
      conn.close();
    });

    it("`using` closes connections and rolls back transactions", () => {
      {
        using conn = engine.connect();
        conn.execute(insert(teams).values({ name: "disposed" }));
        using tx = conn.beginNested();
        conn.execute(insert(teams).values({ name: "nested" }));
        expect(tx.isActive).toBe(true);
      }
      expect(statements.slice(-2)).toEqual(['ROLLBACK TO SAVEPOINT "sp_1"', "ROLLBACK"]);
      using reader = engine.connect();
      expect(teamNames(reader)).toEqual([]);
    });
  });

  describe("errors", () => {
    it("translates driver errors as the async engine does (IntegrityError, ProgrammingError), with the caller's stack", () => {
      engine.execute(insert(teams).values({ name: "dup" }));
      const conn = engine.connect();
      function insertDuplicateTeamFromTheTest() {
        conn.execute(insert(teams).values({ name: "dup" }));
      }
      let error: unknown;
      try {
        insertDuplicateTeamFromTheTest();
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(IntegrityError);
      expect((error as IntegrityError).driverCode).toBe("SQLITE_CONSTRAINT_UNIQUE");
      expect((error as Error).message).toContain('[SQL: INSERT INTO "teams"');
      expect((error as Error).stack).toContain("insertDuplicateTeamFromTheTest");
      expect(() => conn.execute(insert(players).values({ teamId: 99, name: "orphan" }))).toThrow(IntegrityError);
      expect(() => conn.execute(text("SELEC 1"))).toThrow(ProgrammingError);
      conn.rollback();
      expect(teamNames(conn)).toEqual(["dup"]);
      conn.close();
    });

    it("a statement under an aborted signal is not run (QueryCanceledError)", () => {
      const conn = engine.connect();
      expect(() => conn.execute(select(teams), undefined, { signal: AbortSignal.abort() })).toThrow(QueryCanceledError);
      conn.close();
    });

    it("refuses URLs of other databases, naming createAsyncEngine", () => {
      for (const url of ["postgresql://app@localhost/shop", "pglite://", "mysql://root@localhost/shop"]) {
        expect(() => createEngine(url)).toThrow(ArgumentError);
        expect(() => createEngine(url)).toThrow(/createAsyncEngine/);
      }
      expect(() => createEngine("sqlite+pysqlite:///x.db")).toThrow(ArgumentError);
    });
  });

  describe("pool", () => {
    it("reuses the connection, rolled back on return; a second checkout at once is a TimeoutError", () => {
      const first = engine.connect();
      first.execute(insert(teams).values({ name: "uncommitted" }));
      expect(() => engine.connect()).toThrow(TimeoutError);
      first.close();
      expect(engine.pool.size).toBe(1);
      const second = engine.connect();
      expect(engine.pool.size).toBe(1);
      // The same in-memory database: the table is there, the uncommitted row is not.
      expect(teamNames(second)).toEqual([]);
      second.close();
      expect(engine.pool.checkedOut).toBe(0);
    });

    it("an invalidated connection is discarded, and a closed engine refuses checkouts", () => {
      const file = mkdtempSync(join(tmpdir(), "tsa-sync-"));
      try {
        const onFile = createEngine(`sqlite:///${join(file, "app.db")}`);
        metadata.createAll(onFile);
        const conn = onFile.connect();
        conn.execute(insert(teams).values({ name: "saved" }));
        conn.commit();
        conn.invalidate();
        conn.close();
        expect(onFile.pool.size).toBe(0);
        const again = onFile.connect();
        expect(teamNames(again)).toEqual(["saved"]);
        again.close();
        onFile.dispose();
        expect(onFile.pool.size).toBe(0);
        expect(() => onFile.connect()).toThrow(InvalidRequestError);
      } finally {
        rmSync(file, { recursive: true, force: true });
      }
    });
  });

  describe("events and echo", () => {
    it("echo logs each statement; onStatementEnd reports durations", () => {
      const lines: string[] = [];
      const echoing = createEngine("sqlite://:memory:", { echo: (line) => lines.push(line) });
      try {
        const ended: string[] = [];
        echoing.onStatementEnd((event) => ended.push(`${event.sql} ${event.rowCount ?? "-"}`));
        echoing.execute(text("SELECT 1 AS one"));
        expect(ended).toEqual(["BEGIN 0", "SELECT 1 AS one 1", "COMMIT 0"]);
        expect(lines.some((line) => line.includes("SELECT 1 AS one"))).toBe(true);
      } finally {
        echoing.dispose();
      }
    });

    it("listen(engine, …) and listen(conn, …) fire as on AsyncEngine, with the synchronous connection", () => {
      const seen: string[] = [];
      listen(engine, "begin", (conn) => void seen.push(`begin ${conn instanceof Connection}`));
      listen(engine, "beforeExecute", (_conn, sql) => void seen.push(`before ${sql}`));
      listen(engine, "afterExecute", (_conn, _sql, _params, outcome) => void seen.push(`after ${outcome.rowCount}`));
      listen(engine, "commit", () => void seen.push("commit"));
      const conn = engine.connect();
      listen(conn, "savepoint", (_c, name) => void seen.push(`savepoint ${name}`));
      conn.execute(text("SELECT 1"));
      conn.beginNested().commit();
      conn.commit();
      conn.close();
      expect(seen).toEqual(["begin true", "before SELECT 1", "after 1", "savepoint sp_1", "commit"]);
    });

    it("a beforeExecute listener with retval replaces the statement", () => {
      listen(engine, "beforeExecute", (_conn, sql, params) => ({ sql: sql.replace("1", "2"), params }), { retval: true });
      expect(engine.execute(text("SELECT 1 AS n")).scalar()).toBe(2);
    });

    it("one statement at a time: a listener running a statement on its own connection is refused", () => {
      listen(engine, "afterExecute", (conn) => void (conn as unknown as Connection).execute(text("SELECT 3")));
      const conn = engine.connect();
      expect(() => conn.execute(text("SELECT 1"))).toThrow(IllegalStateChangeError);
      conn.close();
    });
  });

  describe("DDL", () => {
    it("metadata.createAll / dropAll on the engine and on a connection, synchronously", () => {
      const ddl: string[] = [];
      engine.onStatement((sql) => ddl.push(sql));
      metadata.dropAll(engine);
      expect(ddl.filter((sql) => sql.startsWith("DROP"))).toEqual(['DROP TABLE "players"', 'DROP TABLE "teams"']);
      const conn = engine.connect();
      expect(metadata.createAll(conn)).toBeUndefined();
      conn.commit();
      expect(ddl.filter((sql) => sql.startsWith("CREATE TABLE")).length).toBe(2);
      metadata.dropAll(conn, { checkfirst: false });
      conn.rollback(); // SQLite's DDL is transactional
      expect(teamNames(conn)).toEqual([]);
      conn.close();
    });
  });
});
