import Database from "better-sqlite3";
const db = new Database("/tmp/exp/probe.db");
const sql = `INSERT INTO "users" ("id", "name", "email", "organization_id") VALUES ${Array.from({length:1000}, () => "(?, ?, ?, ?)").join(", ")}`;
const vals = (b) => { const v = []; for (let i = 0; i < 1000; i++) { const id = 100001 + b*1000 + i; v.push(id, `Bulk ${id}`, `bulk${id}@example.com`, (i % 1000) + 1); } return v; };
const t = (name, f) => { const s = []; for (let i = 0; i < 30; i++) { db.prepare("BEGIN").run(); const a = performance.now(); f(); s.push(performance.now() - a); db.prepare("ROLLBACK").run(); } s.sort((x, y) => x - y); console.log(name, s[15].toFixed(2)); };
const st = db.prepare(sql);
const all = Array.from({length:10}, (_, b) => vals(b));
for (let r = 0; r < 2; r++) {
t("prepare", () => db.prepare(sql));
t("10x cached", () => { for (let b = 0; b < 10; b++) st.run(...all[b]); });
t("10x prepared each", () => { for (let b = 0; b < 10; b++) db.prepare(sql).run(...all[b]); });
}
