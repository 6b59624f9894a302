import Database from "better-sqlite3";
import { existsSync } from "node:fs";
import { DDL, generate } from "../data.ts";
import { tsalchemyContender } from "../contenders/tsalchemy.ts";
import { tsalchemySyncContender } from "../contenders/tsalchemy-sync.ts";
import { WORKLOADS } from "../workloads.ts";

const file = "/tmp/w1cmp/full.db";
if (!existsSync(file)) {
  const db = new Database(file);
  const rows = generate();
  for (const ddl of DDL) db.exec(ddl);
  db.transaction(() => {
    const o = db.prepare("INSERT INTO organizations VALUES (?, ?)");
    for (const r of rows.organizations) o.run(...r);
    const u = db.prepare("INSERT INTO users VALUES (?, ?, ?, ?)");
    for (const r of rows.users) u.run(...r);
    const p = db.prepare("INSERT INTO posts VALUES (?, ?, ?, ?)");
    for (const r of rows.posts) p.run(...r);
  })();
  db.close();
}
const a = tsalchemyContender();
const s = tsalchemySyncContender();
await a.open(`sqlite://${file}`);
await s.open(`sqlite://${file}`);
const rounds = Number(process.argv[2] ?? 15);
for (const w of WORKLOADS.filter((w) => w !== "W8")) {
  const ta: number[] = [], ts: number[] = [];
  for (let i = 0; i < rounds + 3; i++) {
    let t = performance.now(); await a[w](); const da = performance.now() - t;
    t = performance.now(); await s[w](); const ds = performance.now() - t;
    if (i >= 3) { ta.push(da); ts.push(ds); }
  }
  const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1]!;
  console.log(w, "async", med(ta).toFixed(2), "sync", med(ts).toFixed(2), "sync/async", (med(ts) / med(ta)).toFixed(2));
}
await a.close(); await s.close();
