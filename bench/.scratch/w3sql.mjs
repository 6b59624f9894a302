import Database from "better-sqlite3";
const db = new Database("/tmp/exp/probe.db");
const scan = db.prepare("SELECT id, name, email, organization_id FROM users").raw(true);
const ph = (n) => Array.from({length:n}, () => "?").join(", ");
const in500 = db.prepare(`SELECT users.id, users.name, users.email, users.organization_id FROM users WHERE users.organization_id IN (${ph(500)})`).raw(true);
const in1000 = db.prepare(`SELECT users.id, users.name, users.email, users.organization_id FROM users WHERE users.organization_id IN (${ph(1000)})`).raw(true);
const inJson = db.prepare(`SELECT users.id, users.name, users.email, users.organization_id FROM users WHERE users.organization_id IN (SELECT value FROM json_each(?))`).raw(true);
const ids = Array.from({length:1000}, (_, i) => i + 1);
const json = JSON.stringify(ids);
const orgs = db.prepare("SELECT id, name FROM organizations").raw(true);
const t = (name, f) => { for (let i=0;i<20;i++) f(); const s=[]; for (let i=0;i<60;i++){const a=performance.now(); f(); s.push(performance.now()-a);} s.sort((a,b)=>a-b); console.log(name, s[30].toFixed(3)); };
for (let r=0;r<2;r++){
t("orgs", () => orgs.all());
t("scan", () => scan.all());
t("in500x2", () => { in500.all(...ids.slice(0,500)); in500.all(...ids.slice(500)); });
t("in1000", () => in1000.all(...ids));
t("inJson", () => inJson.all(json));
console.log(db.prepare(`EXPLAIN QUERY PLAN SELECT users.id FROM users WHERE users.organization_id IN (${ph(3)})`).all(1,2,3));
}
