/**
 * Engine logging (issue #9): `echo` writes each statement with its parameters and duration at
 * info, results at debug, failures at error, to `console`, a pino-shaped logger, a plain object
 * or a function; `onStatementEnd` reports the same events. Statements are timed only while
 * someone listens.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  literalColumn,
  type AsyncEngine,
  type LogLevel,
  type Logger,
  type StatementEvent,
  Column,
  Integer,
  MetaData,
  StringType,
  Table,
  createAsyncEngine,
  insert,
  select,
  text,
} from "../../../src/index.ts";
import { describeEachDatabase } from "../../support/databases.ts";

const P = `lg${process.pid.toString(36)}_`;
const metadata = new MetaData();
const pets = new Table(`${P}pets`, metadata, {
  id: Column(Integer, { primaryKey: true, autoincrement: false }),
  name: Column(StringType(50), { nullable: false }),
});

/** pino's shape: methods that need `this`, called as `(obj, msg)` or `(msg)`, and `isLevelEnabled`. */
class PinoLike {
  readonly entries: { level: LogLevel; msg: string }[] = [];
  level: LogLevel = "debug";
  readonly #order: LogLevel[] = ["debug", "info", "warn", "error"];
  #write(level: LogLevel, objOrMsg: unknown, msg?: string): void {
    if (!this.isLevelEnabled(level)) return;
    this.entries.push({ level, msg: typeof objOrMsg === "string" ? objOrMsg : (msg ?? "") });
  }
  isLevelEnabled(level: LogLevel): boolean {
    return this.#order.indexOf(level) >= this.#order.indexOf(this.level);
  }
  debug(objOrMsg: unknown, msg?: string): void {
    this.#write("debug", objOrMsg, msg);
  }
  info(objOrMsg: unknown, msg?: string): void {
    this.#write("info", objOrMsg, msg);
  }
  warn(objOrMsg: unknown, msg?: string): void {
    this.#write("warn", objOrMsg, msg);
  }
  error(objOrMsg: unknown, msg?: string): void {
    this.#write("error", objOrMsg, msg);
  }
}

describeEachDatabase("engine logging", (db) => {
  let engine: AsyncEngine;
  const pino = new PinoLike();

  beforeAll(async () => {
    engine = createAsyncEngine(db.url, { echo: "debug", logger: pino });
    await engine.begin(async (conn) => {
      await metadata.dropAll(conn, { checkfirst: true });
      await metadata.createAll(conn);
    });
    pino.entries.length = 0;
  });

  afterAll(async () => {
    await engine.begin((conn) => metadata.dropAll(conn, { checkfirst: true }));
    await engine.dispose();
  });

  afterEach(() => {
    pino.entries.length = 0;
    pino.level = "debug";
  });

  it("each statement at info with its parameters and a numeric duration; results at debug; BEGIN and COMMIT", async () => {
    await engine.begin(async (conn) => {
      await conn.execute(insert(pets).values([{ id: 1, name: "rex" }, { id: 2, name: "tom" }]));
      await conn.execute(select(pets.c.name).where(pets.c.id.ge(1)).orderBy(pets.c.id));
    });
    expect(pino.entries.map((e) => `${e.level} ${e.msg.split("\n")[0]?.split(" ")[0]}`)).toEqual([
      `info ${engine.dialect.beginSql}`,
      "info INSERT",
      "debug 2",
      "info SELECT",
      "debug 2",
      "info COMMIT",
    ]);
    const [insertSql, insertTail] = pino.entries[1]!.msg.split("\n") as [string, string];
    expect(insertSql).toMatch(new RegExp(`^INSERT INTO .${P}pets. `));
    expect(insertTail).toMatch(/^\[\d+\.\d+ ms\] \[parameters: \[1, "rex", 2, "tom"\]\]$/);
    expect(pino.entries[2]!.msg).toBe("2 rows affected");
    expect(pino.entries[3]!.msg.split("\n")[1]).toMatch(/^\[\d+\.\d+ ms\] \[parameters: \[1\]\]$/);
    expect(pino.entries[4]!.msg).toBe("2 rows (name)");
    expect(pino.entries[5]!.msg).toMatch(/^COMMIT\n\[\d+\.\d+ ms\]$/);
  });

  it("a failing statement is logged at error with its SQL, then the ROLLBACK", async () => {
    await expect(engine.begin((conn) => conn.execute(text(`SELECT nope FROM ${P}missing_table`)))).rejects.toThrow();
    const error = pino.entries.find((e) => e.level === "error");
    expect(error?.msg).toMatch(new RegExp(`^SELECT nope FROM ${P}missing_table\\n\\[failed after \\d+\\.\\d+ ms\\]\\n\\w*Error: `));
    expect(pino.entries.at(-1)?.msg.split("\n")[0]).toBe("ROLLBACK");
  });

  it("levels the logger has turned off are not even formatted (isLevelEnabled)", async () => {
    pino.level = "error";
    await engine.execute(select(pets.c.id).where(pets.c.id.eq(1)));
    expect(pino.entries).toEqual([]);
  });

  it("onStatementEnd reports duration, row count and columns; onStatement still sees each statement first", async () => {
    const order: string[] = [];
    const events: StatementEvent[] = [];
    const stopBefore = engine.onStatement((sql) => order.push(`before ${sql.split(" ")[0]}`));
    const stopAfter = engine.onStatementEnd((e) => {
      order.push(`after ${e.sql.split(" ")[0]}`);
      events.push(e);
    });
    try {
      await engine.begin(async (conn) => {
        await conn.execute(select(pets.c.id, pets.c.name).where(pets.c.id.le(2)));
        const streamed = await conn.stream(select(pets.c.id).orderBy(pets.c.id));
        expect(await streamed.all()).toHaveLength(2);
      });
    } finally {
      stopBefore();
      stopAfter();
    }
    const begin = engine.dialect.beginSql.split(" ")[0];
    expect(order).toEqual([`before ${begin}`, `after ${begin}`, "before SELECT", "after SELECT", "before SELECT", "after SELECT", "before COMMIT", "after COMMIT"]);
    const [, query, stream] = events as [StatementEvent, StatementEvent, StatementEvent];
    expect(query).toMatchObject({ params: [2], rowCount: 2, columns: ["id", "name"] });
    expect(stream).toMatchObject({ rowCount: 2 });
    for (const e of events) expect(Number.isFinite(e.durationMs)).toBe(true);
  });
});

describe("engine logging destinations [sqlite]", () => {
  /** A statement that reaches the database and fails there (the table does not exist): its error is logged too. */
  const run = async (engine: AsyncEngine) => {
    try {
      await expect(engine.execute(select(pets.c.id).where(pets.c.id.eq(7)).selectFrom(pets).limit(0))).rejects.toThrow(/no such table/);
    } finally {
      await engine.dispose();
    }
  };

  it("echo: true writes to the console at info (and error)", async () => {
    const info = vi.spyOn(console, "info").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await run(createAsyncEngine("sqlite://:memory:", { echo: true }));
      expect(info.mock.calls.map((c) => String(c[0]).split("\n")[0])).toEqual(["BEGIN", "ROLLBACK"]);
      expect(info.mock.calls.every((c) => c.length === 1)).toBe(true);
      expect(String(error.mock.calls[0]?.[0])).toMatch(/^SELECT .*\n\[failed after \d+\.\d+ ms\] \[parameters: \[7, 0\]\]\n/);
    } finally {
      info.mockRestore();
      error.mockRestore();
    }
  });

  it("a function logger gets each message with its level; a plain object without a level's method skips it", async () => {
    const lines: string[] = [];
    await run(createAsyncEngine("sqlite://:memory:", { echo: "debug", logger: (message, level) => lines.push(`${level}: ${message.split("\n")[0]}`) }));
    expect(lines[0]).toBe("info: BEGIN");
    expect(lines.some((l) => l.startsWith("error: SELECT"))).toBe(true);

    const infoOnly: string[] = [];
    const logger: Logger = { info: (m) => infoOnly.push(m.split("\n")[0] as string) };
    await run(createAsyncEngine("sqlite://:memory:", { echo: "debug", logger }));
    expect(infoOnly).toEqual(["BEGIN", "ROLLBACK"]);
  });

  it("echo logs the ROLLBACK the pool runs when a connection comes back with its transaction open", async () => {
    const lines: string[] = [];
    const engine = createAsyncEngine("sqlite://:memory:", { logger: (m) => lines.push(m.split("\n")[0] as string) });
    try {
      const conn = await engine.connect();
      await conn.execute(select(literalColumn("1").label("one")));
      await conn.close(); // the pool resets it: ROLLBACK
    } finally {
      await engine.dispose();
    }
    // Before: BEGIN and the SELECT only; the pool's ROLLBACK reached onStatement but not the log.
    expect(lines).toEqual(["BEGIN", "SELECT 1 AS \"one\"", "ROLLBACK"]);
  });

  it("echo: false with a logger logs nothing, and statements are not timed", async () => {
    const lines: string[] = [];
    const engine = createAsyncEngine("sqlite://:memory:", { echo: false, logger: (m) => lines.push(m) });
    expect(engine.timingStatements).toBe(false);
    const stop = engine.onStatementEnd(() => {});
    expect(engine.timingStatements).toBe(true);
    stop();
    expect(engine.timingStatements).toBe(false);
    await run(engine);
    expect(lines).toEqual([]);
  });
});
