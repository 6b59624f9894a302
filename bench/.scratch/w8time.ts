import Database from "../../node_modules/better-sqlite3/lib/index.js";
import { AsyncSession, createAsyncEngine, insert } from "../../src/index.ts";
import { User } from "../contenders/tsalchemy-models.ts";
import { BULK_ROWS, bulkUser } from "../workloads.ts";
let runMs = 0, prepMs = 0, preps = 0;
const proto = Object.getPrototypeOf(new Database(":memory:").prepare("SELECT 1"));
const origRun = proto.run; proto.run = function (...a: unknown[]) { const t = performance.now(); try { return origRun.apply(this, a); } finally { runMs += performance.now() - t; } };
const dproto = Database.prototype as unknown as { prepare: (...a: unknown[]) => unknown };
const origPrep = dproto.prepare; dproto.prepare = function (...a: unknown[]) { const t = performance.now(); try { return origPrep.apply(this, a); } finally { prepMs += performance.now() - t; preps++; } };
const engine = createAsyncEngine("sqlite:////tmp/exp/probe.db");
const tot: number[] = [], runs: number[] = [], prs: number[] = [];
for (let r = 0; r < 60; r++) {
  const s = new AsyncSession(engine);
  const rows = Array.from({ length: BULK_ROWS }, (_, i) => bulkUser(i));
  runMs = 0; prepMs = 0; preps = 0;
  const t = performance.now();
  await s.execute(insert(User), rows);
  tot.push(performance.now() - t); runs.push(runMs); prs.push(prepMs);
  await s.rollback(); await s.close();
}
const med = (x: number[]) => x.sort((a, b) => a - b)[Math.floor(x.length / 2)]!.toFixed(2);
console.log("total", med(tot), "run", med(runs), "prepare", med(prs), "preps last", preps);
await engine.dispose();
