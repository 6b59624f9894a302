/**
 * `npm start`: the story of the blog post this project exists for ("What to do when MissingGreenlet
 * happens", SQLAlchemy 2.0 under AsyncSession), told in tsalchemy on embedded SQLite. Every step
 * prints the SQL it ran, so you can see what each loader strategy does.
 *
 * Read it top to bottom; docs/loading.md explains every strategy and option in detail.
 */
import {
  AsyncSession,
  InvalidRequestError,
  MissingGreenlet,
  StrictLoadingError,
  createAsyncEngine,
  explainLoading,
  joinedload,
  select,
  selectinload,
  type NPlusOneReport,
} from "../src/index.ts";
import { runSyncAct } from "./missing-greenlet-sync.ts";
import { narrate } from "./narration.ts";
import { defineSeedModels } from "./seed-models.ts";

// ---- a little narration machinery -------------------------------------------------------------

const engine = createAsyncEngine("sqlite://:memory:");
const { step, say, showSql, showError, forgetSql } = narrate(engine);

// ---- the models and the data of the post -------------------------------------------------------

// users(id, name, email, organization_id → organizations.id) and organizations(id, name);
// User.organization is a many-to-one with the default strategy, lazy: "select".
const { Base, User, Organization, postsRows } = defineSeedModels();

step("Create the tables and add the post's data: user1 and user2 in organization 1, user_ng (id 100) in organization 2.");
await engine.begin((conn) => Base.metadata.createAll(conn));
{
  await using session = new AsyncSession(engine);
  session.addAll(postsRows());
  await session.commit();
}
showSql();
say("Parents are inserted before children: the unit of work orders the INSERTs by foreign key.");

// One session for steps 2–4, as in the post's test.
const db = new AsyncSession(engine);

step('user1 with joinedload(User.organization): the relationship comes back in the same statement.');
const user1 = (await db.execute(select(User).options(joinedload(User.organization)).where(User.id.eq(1)))).scalars().first();
say(`user1.organization.name = ${JSON.stringify(user1?.organization.name)}`);
showSql();
say("One SELECT with a LEFT OUTER JOIN. The type knows it too: user1.organization is an Organization here,");
say("so `.name` compiles. Organization 1 is now in the session's identity map.");

step("user2 WITHOUT any option: reading user2.organization works, with no SQL at all. Why?");
const user2 = (await db.execute(select(User).where(User.id.eq(2)))).scalars().first();
showSql();
// TypeScript already warns here: without an option, user2.organization is typed
// `Organization | NotLoaded<Organization>`, and `.name` does not compile without this cast.
const organizationOfUser2 = user2?.organization as InstanceType<typeof Organization>;
say(`user2.organization.name = ${JSON.stringify(organizationOfUser2.name)}`);
showSql();
say("user2.organization_id is 1, and Organization(id=1) is already in the identity map (step 2 loaded it), so the");
say("many-to-one is answered from memory. This is the TRAP the post describes: the code works here only because");
say("of what an earlier query happened to load. With other data it fails, as the next step shows.");

step("user_ng (id 100) WITHOUT any option: its organization (2) was never loaded, so reading it raises.");
const userNg = (await db.execute(select(User).where(User.id.eq(100)))).scalars().first();
showSql();
try {
  say(`user_ng.organization = ${String(userNg?.organization)}`);
} catch (error) {
  if (!(error instanceof MissingGreenlet)) throw error;
  showError(error);
}
say("Loading it needs a query, and a plain property read cannot await one. SQLAlchemy says only");
say('"greenlet_spawn has not been called; can\'t call await_only() here"; tsalchemy says which object, which');
say("attribute, why, and the code that fixes it. The fixes, each in a fresh session:");
await db.close();

// ---- the fixes ----------------------------------------------------------------------------------

step("Fix 1a: selectinload(User.organization) in the query: a second SELECT … WHERE id IN (…), for all users at once.");
{
  await using session = new AsyncSession(engine);
  const users = (await session.execute(select(User).options(selectinload(User.organization)).orderBy(User.id))).scalars().all();
  say(users.map((u) => `${u.name} → ${u.organization.name}`).join(", "));
  showSql();
}

step("Fix 1b: joinedload(User.organization) in the query: one statement, LEFT OUTER JOIN.");
{
  await using session = new AsyncSession(engine);
  const users = (await session.execute(select(User).options(joinedload(User.organization)).orderBy(User.id))).scalars().all();
  say(users.map((u) => `${u.name} → ${u.organization.name}`).join(", "));
  showSql();
}

step('Fix 2a: lazy: "joined" on the relationship: every select(User) joins the organization, no option needed.');
{
  const Joined = defineSeedModels("joined");
  await using session = new AsyncSession(engine);
  const user = (await session.execute(select(Joined.User).where(Joined.User.id.eq(100)))).scalars().one();
  say(`user_ng.organization.name = ${JSON.stringify(user.organization.name)}   (typed Organization: the strategy is eager)`);
  showSql();
}

step('Fix 2b: lazy: "selectin" on the relationship: a second statement, batched over all parents.');
{
  const Selectin = defineSeedModels("selectin");
  await using session = new AsyncSession(engine);
  const users = (await session.execute(select(Selectin.User).orderBy(Selectin.User.id))).scalars().all();
  say(users.map((u) => `${u.name} → ${u.organization.name}`).join(", "));
  showSql();
}

step('The post\'s favourite, lazy: "immediate": loads as the parent loads, one statement per distinct organization.');
{
  const Immediate = defineSeedModels("immediate");
  await using session = new AsyncSession(engine);
  const users = (await session.execute(select(Immediate.User).orderBy(Immediate.User.id))).scalars().all();
  say(users.map((u) => `${u.name} → ${u.organization.name}`).join(", "));
  showSql();
  say("No error, no JOIN; but one query per parent whose organization is not yet in the identity map (user2's is:");
  say("user1 loaded it). With many parents that is N+1 queries: selectin does the same work in one.");
}

step('lazy: "raise" (the post\'s advice when lazy loading must never happen): the read fails loudly, always.');
{
  const Raise = defineSeedModels("raise");
  await using session = new AsyncSession(engine);
  const user = (await session.execute(select(Raise.User).where(Raise.User.id.eq(1)))).scalars().one();
  try {
    say(String(user.organization));
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    showError(error);
  }
  showSql();
}

step("Fix 3: await user.awaitableAttrs.organization: load it explicitly, now, where you can await.");
{
  await using session = new AsyncSession(engine);
  const user = (await session.execute(select(User).where(User.id.eq(100)))).scalars().one();
  showSql();
  const organization = await user.awaitableAttrs.organization;
  say(`await user_ng.awaitableAttrs.organization → ${JSON.stringify(organization.name)}`);
  showSql();
  say(`after that, a plain read works too: user_ng.organization === organization is ${user.organization === organization}`);
  say('(await session.refresh(user, ["organization"]) does the same.)');
}

// ---- catching the trap before production does -------------------------------------------------

step('strictLoading: "raise": the user2 read from step 3 — which "worked" — now fails in your tests.');
{
  await using session = new AsyncSession(engine, { strictLoading: "raise" });
  await session.execute(select(User).options(joinedload(User.organization)).where(User.id.eq(1)));
  const user = (await session.execute(select(User).where(User.id.eq(2)))).scalars().one();
  try {
    say(String((user.organization as InstanceType<typeof Organization>).name));
  } catch (error) {
    if (!(error instanceof StrictLoadingError)) throw error;
    showError(error);
  }
  showSql();
  say('"warn" emits a process warning instead; "off" (the default) behaves like SQLAlchemy.');
}

step("explainLoading(stmt): what a statement will load and how, without running it.");
{
  const plain = select(User).where(User.id.eq(100));
  say(`explainLoading(select(User).where(User.id.eq(100))):\n  ${String(explainLoading(plain)).replace(/\n/g, "\n  ")}`);
  const chained = select(Organization).options(selectinload(Organization.users).joinedload(User.organization));
  say(`\nexplainLoading(select(Organization).options(selectinload(Organization.users).joinedload(User.organization))):`);
  say(`  ${String(explainLoading(chained)).replace(/\n/g, "\n  ")}`);
  showSql();
}

step("N+1 detection: loading a relationship one parent at a time in a loop is reported, with the fix.");
{
  await using setup = new AsyncSession(engine);
  for (let id = 3; id <= 6; id++) {
    setup.add(new Organization({ id, name: `organization ${id}` }));
    setup.add(new User({ id: 100 + id, name: `u${id}`, email: `u${id}@example.com`, organizationId: id }));
  }
  await setup.commit();
  forgetSql();

  const reports: NPlusOneReport[] = [];
  {
    await using session = new AsyncSession(engine, { detectNPlusOne: { threshold: 3, onDetect: (report) => reports.push(report) } });
    const organizations = (await session.execute(select(Organization).orderBy(Organization.id))).scalars().all();
    for (const organization of organizations) {
      const users = await organization.awaitableAttrs.users; // one SELECT per organization: N+1
      say(`${organization.name}: ${users.map((u) => u.name).join(", ")}`);
    }
    showSql();
    for (const report of reports) say(`⚠ ${report.message}`);
  }
  // (The session above is closed before the next opens: an in-memory SQLite engine has one connection.)
  forgetSql();

  say("\nThe fix it names, in a fresh session:");
  {
    await using session = new AsyncSession(engine);
    const statement = select(Organization).options(selectinload(Organization.users)).orderBy(Organization.id);
    const organizations = (await session.execute(statement)).scalars().all();
    say(organizations.map((o) => `${o.name}: ${o.users.map((u) => u.name).join(", ")}`).join("; "));
    showSql();
  }
  say('detectNPlusOne: { threshold, onDetect: "warn" | "raise" | (report) => … } is a session option.');
}

console.log(`\n${"━".repeat(100)}\nRead docs/loading.md for every strategy and option, and docs/loading.md#missinggreenlet for the error.`);
await engine.dispose();

// ---- the post's other world ---------------------------------------------------------------------

runSyncAct();
