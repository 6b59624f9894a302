import Database from "better-sqlite3";
const db = new Database("/tmp/exp/probe.db");
const ph = (n) => Array.from({length:n}, () => "?").join(", ");
const in4 = db.prepare(`SELECT users.id, users.name, users.email, users.organization_id FROM users WHERE users.organization_id IN (${ph(500)})`).raw(true);
const in5 = db.prepare(`SELECT "users"."organization_id", "users"."id", "users"."name", "users"."email", "users"."organization_id" AS "organization_id_1" FROM "users" WHERE "users"."organization_id" IN (${ph(500)})`).raw(true);
const ids = Array.from({length:1000}, (_, i) => i + 1);
const a = ids.slice(0,500), b = ids.slice(500);
const t = (name, f) => { for (let i=0;i<20;i++) f(); const s=[]; for (let i=0;i<80;i++){const x=performance.now(); f(); s.push(performance.now()-x);} s.sort((p,q)=>p-q); console.log(name, s[40].toFixed(3)); };
for (let r=0;r<3;r++){ t("in4", () => { in4.all(...a); in4.all(...b); }); t("in5", () => { in5.all(...a); in5.all(...b); }); }
