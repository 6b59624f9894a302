import { expect } from "vitest";
import { type AsyncEngine, Column, Integer, MetaData, StringType, Table, insert, select } from "../../../src/index.ts";

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
