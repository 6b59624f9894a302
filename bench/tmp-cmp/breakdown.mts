import { AsyncSession, Session, createAsyncEngine, createEngine, select } from "../../src/index.ts";
import { User } from "../contenders/tsalchemy-models.ts";
const file = "/tmp/w1cmp/full.db";
const mode = process.argv[2];
const ae = createAsyncEngine(`sqlite:///${file}`);
const se = createEngine(`sqlite:///${file}`);
const t0: number[] = [], t1: number[] = [], t2: number[] = [], tot: number[] = [];
for (let round = 0; round < 60; round++) {
  const a = performance.now();
  if (mode === "sync") {
    const s = new Session(se);
    const b = performance.now();
    s.scalars(select(User)).all();
    const c = performance.now();
    s.close();
    const d = performance.now();
    t0.push(b - a); t1.push(c - b); t2.push(d - c); tot.push(d - a);
  } else {
    const s = new AsyncSession(ae);
    const b = performance.now();
    (await s.scalars(select(User))).all();
    const c = performance.now();
    await s.close();
    const d = performance.now();
    t0.push(b - a); t1.push(c - b); t2.push(d - c); tot.push(d - a);
  }
  await new Promise((r) => setImmediate(r));
}
const med = (x: number[]) => [...x.slice(20)].sort((p, q) => p - q)[20]!.toFixed(2);
console.log(mode, "new", med(t0), "load", med(t1), "close", med(t2), "total", med(tot));
await ae.dispose(); se.dispose();
