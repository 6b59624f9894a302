import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect } from "vitest";
import {
  type AsyncEngine,
  AsyncSession,
  type Engine,
  type EngineOptions,
  type MetaData,
  MissingGreenlet,
  Session,
  type SessionOptions,
  createAsyncEngine,
  createEngine,
  inspect,
} from "../../src/index.ts";
import { type TestDatabase, testDatabases } from "./databases.ts";
import { useIsolatedDatabase } from "./isolated-database.ts";
import type { StatementSource } from "./statements.ts";

/** Which session a test body runs against. */
export type SessionKind = "async" | "sync";

/** A database of the matrix, and the kind of session its tests open. */
export type SessionDatabase = TestDatabase & { readonly session: SessionKind };

/**
 * `describeEachDatabase`, plus SQLite once more with the synchronous `Session` (better-sqlite3):
 * the ORM tests that make sense synchronously run one body against both kinds of session.
 */
export function describeEachSessionKind(title: string, fn: (db: SessionDatabase) => void): void {
  for (const db of testDatabases()) {
    describe(`${title} [${db.name}]`, () => fn({ ...db, session: "async" }));
  }
  describe(`${title} [sqlite, sync Session]`, () => fn({ name: "sqlite", url: "sqlite://:memory:", session: "sync" }));
}

/** What a test body uses: the database, and sessions of the kind under test. */
export interface SessionContext {
  /** An async engine on the database, for setup and for checking what was written. */
  readonly engine: AsyncEngine;
  /** The engine the sessions run on (what a `StatementRecorder` listens to). */
  readonly sessionEngine: StatementSource;
  /**
   * A new session of the kind under test. A synchronous `Session` is typed as `AsyncSession` so
   * one test body serves both: each of its methods returns the value itself, which `await`
   * passes through, and `await using` disposes it with `Symbol.dispose`.
   */
  openSession(options?: SessionOptions): AsyncSession;
  /** Empties every table, children first. */
  reset(): Promise<void>;
}

/**
 * `useIsolatedDatabase` for a `SessionDatabase`. The synchronous kind works on a temporary SQLite
 * file that an async engine (setup, checks) and the synchronous one (the sessions) both open.
 */
export function useSessionDatabase(db: SessionDatabase, label: string, metadata: MetaData, options: EngineOptions = {}): SessionContext {
  if (db.session === "async") {
    const isolated = useIsolatedDatabase(db, label, metadata, options);
    return {
      get engine() {
        return isolated.engine;
      },
      get sessionEngine() {
        return isolated.engine;
      },
      openSession: (sessionOptions) => new AsyncSession(isolated.engine, sessionOptions),
      reset: () => isolated.reset(),
    };
  }
  let directory: string | undefined;
  let asyncEngine: AsyncEngine | undefined;
  let syncEngine: Engine | undefined;
  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), "tsa-sync-"));
    const url = `sqlite:///${join(directory, `${label}.db`)}`;
    asyncEngine = createAsyncEngine(url, options);
    await asyncEngine.begin((conn) => metadata.createAll(conn));
    syncEngine = createEngine(url, options);
  });
  afterAll(async () => {
    syncEngine?.dispose();
    await asyncEngine?.dispose();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });
  const required = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useSessionDatabase: the engines exist only inside tests (after beforeAll)");
    return value;
  };
  return {
    get engine() {
      return required(asyncEngine);
    },
    get sessionEngine() {
      return required(syncEngine);
    },
    openSession: (sessionOptions) => new Session(required(syncEngine), sessionOptions) as unknown as AsyncSession,
    async reset() {
      await required(asyncEngine).begin(async (conn) => {
        for (const table of [...metadata.sortedTables].reverse()) await conn.execDriverSql(`DELETE FROM "${table.name}"`);
      });
    },
  };
}

/**
 * What `call` throws or rejects with (`undefined` when it returns): one spelling for both kinds of
 * session, since a synchronous `Session` throws where an `AsyncSession` returns a rejected promise.
 */
export async function errorOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** The session opened by `ctx.openSession()` as the synchronous `Session` it is when `db.session === "sync"`. */
export function asSync(session: AsyncSession): Session {
  const value: unknown = session;
  if (!(value instanceof Session)) throw new Error("asSync: this session is an AsyncSession (db.session is \"async\")");
  return value;
}

/**
 * `object[key]` is not loaded. Under `AsyncSession` reading it raises `MissingGreenlet`; under
 * `Session` the read would load it, so the attribute is checked unloaded without reading (the
 * statements the test records stay the same for both kinds). With `readLoads`, the sync kind then
 * reads it and checks the read loaded it (for a check at the end of a test).
 */
export function expectUnloaded(db: SessionDatabase, object: object | null | undefined, key: string, options: { readLoads?: boolean } = {}): void {
  expect(object).toBeDefined();
  expect(object).not.toBeNull();
  const target = object as Record<string, unknown>;
  if (db.session === "async") {
    expect(() => target[key]).toThrow(MissingGreenlet);
    return;
  }
  expect(inspect(target).unloaded.has(key)).toBe(true);
  if (options.readLoads === true) {
    void target[key];
    expect(inspect(target).unloaded.has(key)).toBe(false);
  }
}
