import { AsyncSession, createAsyncEngine, insert } from "../../src/index.ts";
import { User } from "../contenders/tsalchemy-models.ts";
import { BULK_ROWS, bulkUser } from "../workloads.ts";
const engine = createAsyncEngine(process.argv[2]!, { echo: process.argv[3] === "echo" } as never);
const rows = Array.from({ length: BULK_ROWS }, (_, i) => bulkUser(i));
const ts: number[] = [];
for (let r = 0; r < (process.argv[3] === "echo" ? 1 : 60); r++) {
  const s = new AsyncSession(engine);
  const t = performance.now();
  await s.execute(insert(User), Array.from({ length: BULK_ROWS }, (_, i) => bulkUser(i)));
  ts.push(performance.now() - t);
  await s.rollback(); await s.close();
}
ts.sort((a, b) => a - b); console.log("median", ts[Math.floor(ts.length / 2)]);
await engine.dispose();
