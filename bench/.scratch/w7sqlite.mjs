import Database from "better-sqlite3";
const db = new Database("/tmp/exp/probe.db");
const ids = Array.from({length:1000}, (_, i) => i + 1);
const upd = db.prepare("UPDATE users SET name = ? WHERE id = ?");
const vsql = `UPDATE "users" SET "name" = "v"."column2" FROM (VALUES ${ids.map(() => "(?, ?)").join(", ")}) AS "v" WHERE "users"."id" = "v"."column1"`;
const vst = db.prepare(vsql);
const flat = ids.flatMap((i) => [i, `Renamed ${i}`]);
const sel = db.prepare("SELECT id, name, email, organization_id FROM users WHERE id <= 1000 ORDER BY id").raw(true);
const t = (name, f) => { const s = []; for (let i = 0; i < 60; i++) { db.prepare("BEGIN").run(); const a = performance.now(); f(); s.push(performance.now() - a); db.prepare("ROLLBACK").run(); } s.sort((x, y) => x - y); console.log(name, s[30].toFixed(3)); };
for (let r = 0; r < 2; r++) {
  t("select", () => sel.all());
  t("1000 single", () => { for (const i of ids) upd.run(`Renamed ${i}`, i); });
  t("values", () => vst.run(...flat));
}
