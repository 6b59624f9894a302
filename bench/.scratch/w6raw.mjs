import Database from "better-sqlite3";
const db = new Database("/tmp/exp/probe.db");
const cache = new Map();
const prep = (sql) => { let s = cache.get(sql); if (!s) cache.set(sql, s = db.prepare(sql)); return s; };
const ph = { begin: [], build: [], insert: [], count: [], rollback: [] };
for (let it = 0; it < 400; it++) {
  let t = performance.now(); const m = (k) => { const n = performance.now(); ph[k].push(n - t); t = n; };
  prep("BEGIN").run(); m("begin");
  const values = [], tuples = [];
  for (let i = 0; i < 1000; i++) { const id = 100_001 + i; tuples.push("(?, ?, ?, ?)"); values.push(id, `New ${id}`, `new${id}@example.com`, 1); }
  const sql = `INSERT INTO users (id, name, email, organization_id) VALUES ${tuples.join(", ")}`; m("build");
  prep(sql).run(...values); m("insert");
  prep("SELECT count(*) FROM users WHERE id > 100000").raw(true).all(); m("count");
  prep("ROLLBACK").run(); m("rollback");
}
for (const [k, v] of Object.entries(ph)) { const x = v.slice(100).sort((a, b) => a - b); console.log(k, x[Math.floor(x.length / 2)].toFixed(3)); }
