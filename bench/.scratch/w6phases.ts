import { AsyncSession, createAsyncEngine, select, func } from "../../src/index.ts";
import { User } from "../contenders/tsalchemy-models.ts";
const engine = createAsyncEngine("sqlite:////tmp/exp/probe.db");
const phases: Record<string, number[]> = { construct: [], add: [], flush: [], count: [], rollback: [], close: [] };
for (let it = 0; it < 400; it++) {
  const s = new AsyncSession(engine);
  let t = performance.now(); const m = (k: string) => { const n = performance.now(); phases[k]!.push(n - t); t = n; };
  const objs = [];
  for (let i = 0; i < 1000; i++) { const id = 100_001 + i; objs.push(new User({ id, name: `New ${id}`, email: `new${id}@example.com`, organizationId: 1 })); }
  m("construct");
  for (const o of objs) s.add(o);
  m("add");
  await s.flush(); m("flush");
  await s.scalar(select(func.count(User.id).label("n")).where(User.id.gt(100_000))); m("count");
  await s.rollback(); m("rollback");
  await s.close(); m("close");
}
for (const [k, v] of Object.entries(phases)) { const x = v.slice(100).sort((a, b) => a - b); console.log(k, x[Math.floor(x.length / 2)]!.toFixed(3)); }
await engine.dispose();
