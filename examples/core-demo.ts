/**
 * A short tour of tsalchemy Core on embedded SQLite, printing each statement:
 * `npx tsx examples/core-demo.ts`. (`npm start` runs the ORM story, examples/missing-greenlet.ts.)
 */
import {
  Column,
  ForeignKey,
  Integer,
  MetaData,
  StringType,
  Table,
  createAsyncEngine,
  func,
  insert,
  select,
  update,
} from "../src/index.ts";

const metadata = new MetaData();
const organizations = new Table("organizations", metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(StringType(100), { nullable: false }),
});
const users = new Table("users", metadata, {
  id: Column(Integer, { primaryKey: true }),
  name: Column(StringType(100), { nullable: false }),
  email: Column(StringType(200)),
  organizationId: Column(Integer, ForeignKey("organizations.id"), { name: "organization_id" }),
});

const engine = createAsyncEngine("sqlite://:memory:", { echo: (line) => console.log(`  sql> ${line.replace(/\n/g, "\n       ")}`) });

console.log("1. Create the tables (parents first):");
await engine.begin((conn) => metadata.createAll(conn));

console.log("\n2. Insert organizations and users in one transaction:");
await engine.begin(async (conn) => {
  await conn.execute(insert(organizations).values([{ id: 1, name: "Acme" }, { id: 2, name: "Globex" }]));
  await conn.execute(
    insert(users).values([
      { id: 1, name: "11", email: "a@example.com", organizationId: 1 },
      { id: 2, name: "22", email: "b@example.com", organizationId: 1 },
      { id: 100, name: "ng", email: "ng@example.com", organizationId: 2 },
    ]),
  );
});

console.log("\n3. A join whose ON clause comes from the foreign key; rows are typed { name: string; organization: string }:");
await using conn = await engine.connect();
const rows = (await conn.execute(select(users.c.name, organizations.c.name.label("organization")).join(organizations).orderBy(users.c.id))).all();
for (const row of rows) console.log(`   ${row.name} works at ${row.organization}`);

console.log("\n4. Aggregates:");
const counts = await conn.execute(
  select(organizations.c.name, func.count(users.c.id).label("members")).join(users).groupBy(organizations.c.name).orderBy(organizations.c.name),
);
for (const row of counts) console.log(`   ${row.name}: ${row.members} member(s)`);

console.log("\n5. Values are always bound, never spliced into SQL:");
const hostile = "x'; DROP TABLE users; --";
await conn.execute(update(users).where(users.c.id.eq(100)).values({ name: hostile }));
const back = (await conn.execute(select(users.c.name).where(users.c.id.eq(100)))).scalarOne();
console.log(`   stored and read back byte for byte: ${back === hostile}`);
await conn.rollback();
await conn.close();
await engine.dispose();
