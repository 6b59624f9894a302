import pg from "pg";
const c = new pg.Client("postgresql://postgres@127.0.0.1:5432/tsa_probe"); await c.connect();
const ids = Array.from({length:1000}, (_, i) => i + 1), names = ids.map((i) => `Renamed ${i}`);
const tuples = ids.map((_, i) => `($${2*i+1}::BIGINT, $${2*i+2}::VARCHAR)`).join(", ");
const valuesSql = `UPDATE "users" SET "name" = "v"."name" FROM (VALUES ${tuples}) AS "v" ("id", "name") WHERE "users"."id" = "v"."id"`;
const flat = ids.flatMap((id, i) => [id, names[i]]);
const unnestSql = `UPDATE "users" SET "name" = "v"."name" FROM unnest($1::BIGINT[], $2::VARCHAR[]) AS "v" ("id", "name") WHERE "users"."id" = "v"."id"`;
const t = async (name, f) => { const s = []; for (let i = 0; i < 40; i++) { await c.query("BEGIN"); const a = performance.now(); await f(); s.push(performance.now() - a); await c.query("ROLLBACK"); } s.sort((x, y) => x - y); console.log(name, s[20].toFixed(2)); };
for (let r = 0; r < 2; r++) {
await t("values", () => c.query(valuesSql, flat));
await t("values-named", () => c.query({ name: "v1", text: valuesSql, values: flat }));
await t("unnest", () => c.query(unnestSql, [ids, names]));
await t("unnest-named", () => c.query({ name: "u1", text: unnestSql, values: [ids, names] }));
}
await c.end();
