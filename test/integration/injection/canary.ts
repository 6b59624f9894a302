import { afterAll, beforeAll, expect } from "vitest";
import { type AsyncEngine, Column, Integer, MetaData, StringType, Table, createAsyncEngine, insert, select } from "../../../src/index.ts";
import { StatementRecorder } from "../../support/statements.ts";

const CANARY_ROWS = [
  { id: 1, word: "tweet" },
  { id: 2, word: "chirp" },
];

/**
 * A table the corpus aims at (its payloads name it in `DROP TABLE` / `DELETE FROM`), with two
 * rows; TypeORM's `verifyIntegrity` and Kysely's `assertDidNotDropTable` in one.
 */
export function canaryTable(metadata: MetaData, name: string) {
  return new Table(name, metadata, {
    id: Column(Integer, { primaryKey: true, autoincrement: false }),
    word: Column(StringType(20), { nullable: false }),
  });
}

export async function fillCanary(engine: AsyncEngine, canary: ReturnType<typeof canaryTable>): Promise<void> {
  await engine.execute(insert(canary).values(CANARY_ROWS));
}

/** The canary table still exists and holds exactly its two rows. */
export async function expectCanaryIntact(engine: AsyncEngine, canary: ReturnType<typeof canaryTable>): Promise<void> {
  const rows = (await engine.execute(select(canary.c.id, canary.c.word).orderBy(canary.c.id))).all();
  expect(rows).toEqual(CANARY_ROWS);
}

/**
 * The engine a corpus file attacks: one connection (server modes are session settings, applied by
 * `prepare`), `metadata`'s tables created afresh with the canary filled, and a recorder of the
 * statements sent; the tables are dropped and the engine disposed after the block.
 */
export function useCanaryEngine(
  url: string,
  metadata: MetaData,
  canary: ReturnType<typeof canaryTable>,
  prepare?: (engine: AsyncEngine) => Promise<void>,
): { readonly engine: AsyncEngine; readonly recorder: StatementRecorder } {
  let engine: AsyncEngine | undefined;
  let recorder: StatementRecorder | undefined;
  beforeAll(async () => {
    engine = createAsyncEngine(url, { poolSize: 1 });
    await prepare?.(engine);
    await engine.begin((conn) => metadata.dropAll(conn, { checkfirst: true }));
    await engine.begin((conn) => metadata.createAll(conn));
    await fillCanary(engine, canary);
    recorder = new StatementRecorder(engine);
  });
  afterAll(async () => {
    if (!engine) return;
    recorder?.stop();
    try {
      await engine.begin((conn) => metadata.dropAll(conn));
    } finally {
      await engine.dispose();
    }
  });
  return {
    get engine() {
      return engine as AsyncEngine;
    },
    get recorder() {
      return recorder as StatementRecorder;
    },
  };
}
