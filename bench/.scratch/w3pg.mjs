import pg from "pg";
const c = new pg.Client("postgresql://postgres@127.0.0.1:5432/tsa_probe"); await c.connect();
const ids = Array.from({length:1000}, (_, i) => i + 1);
const ph = (n) => Array.from({length:n}, (_, i) => `$${i+1}`).join(", ");
const cols = `"users"."organization_id", "users"."id", "users"."name", "users"."email", "users"."organization_id" AS "organization_id_1"`;
const inSql = `SELECT ${cols} FROM "users" WHERE "users"."organization_id" IN (${ph(500)})`;
const anySql = `SELECT ${cols} FROM "users" WHERE "users"."organization_id" = ANY($1::BIGINT[])`;
const scan = `SELECT id, name, email, organization_id FROM users`;
const q = (text, values) => c.query({ text, values, rowMode: "array", types: { getTypeParser: () => String } });
const t = async (name, f) => { for (let i=0;i<5;i++) await f(); const s = []; for (let i = 0; i < 30; i++) { const a = performance.now(); await f(); s.push(performance.now() - a); } s.sort((x, y) => x - y); console.log(name, s[15].toFixed(2)); };
for (let r = 0; r < 2; r++) {
await t("scan", () => q(scan, []));
await t("in500x2", async () => { await q(inSql, ids.slice(0,500)); await q(inSql, ids.slice(500)); });
await t("any500x2", async () => { await q(anySql, [ids.slice(0,500)]); await q(anySql, [ids.slice(500)]); });
await t("any1000", () => q(anySql, [ids]));
}
await c.end();
