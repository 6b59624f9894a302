import Database from "better-sqlite3";
const db = new Database("/tmp/exp/probe.db");
const ph = (n) => Array.from({length:n}, () => "?").join(", ");
const uids = Array.from({length:1000}, (_, i) => i + 1), oids = Array.from({length:100}, (_, i) => i + 1);
const orgs = db.prepare("SELECT id, name FROM organizations ORDER BY id LIMIT 100").raw(true);
const rawUsers = db.prepare(`SELECT id, name, email, organization_id FROM users WHERE organization_id IN (${ph(100)})`).raw(true);
const rawPosts = db.prepare(`SELECT id, user_id, title, body FROM posts WHERE user_id IN (${ph(1000)})`).raw(true);
const ourUsers = db.prepare(`SELECT "users"."organization_id", "users"."id", "users"."name", "users"."email", "users"."organization_id" AS "organization_id_1" FROM "users" WHERE "users"."organization_id" IN (${ph(100)})`).raw(true);
const ourPosts = db.prepare(`SELECT "posts"."user_id", "posts"."id", "posts"."user_id" AS "user_id_1", "posts"."title", "posts"."body" FROM "posts" WHERE "posts"."user_id" IN (${ph(500)})`).raw(true);
const t = (name, f) => { for (let i=0;i<20;i++) f(); const s=[]; for (let i=0;i<80;i++){const x=performance.now(); f(); s.push(performance.now()-x);} s.sort((p,q)=>p-q); console.log(name, s[40].toFixed(3)); };
for (let r=0;r<2;r++){
t("raw sql", () => { orgs.all(); rawUsers.all(...oids); rawPosts.all(...uids); });
t("our sql", () => { orgs.all(); ourUsers.all(...oids); ourPosts.all(...uids.slice(0,500)); ourPosts.all(...uids.slice(500)); });
}
