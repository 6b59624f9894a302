/**
 * `npm start`, second act: the same post with the synchronous `Session` over better-sqlite3
 * (SQLAlchemy's `Session`, the world the post contrasts AsyncSession with). There is no event loop
 * to wait on, so reading an unloaded relationship simply runs its SELECT: user_ng.organization
 * loads on access. The N+1 that this makes silent is what the detector is for.
 */
import { Session, createEngine, select, selectinload, type NPlusOneReport } from "../src/index.ts";
import { narrate } from "./narration.ts";
import { defineSeedModels } from "./seed-models.ts";

export function runSyncAct(): void {
  const engine = createEngine("sqlite://:memory:");
  const { step, say, showSql, forgetSql } = narrate(engine);
  const { Base, User, Organization, postsRows } = defineSeedModels();

  console.log(`\n${"═".repeat(100)}\nSecond act: the same post with the synchronous Session (createEngine over better-sqlite3).`);

  step("The same tables and rows, written synchronously: no await anywhere.");
  Base.metadata.createAll(engine);
  {
    using session = new Session(engine);
    session.addAll(postsRows());
    session.commit();
  }
  showSql();

  const db = new Session(engine);
  step("user2 without any option: its organization (1) is not in this session yet, so the read loads it.");
  const user2 = db.execute(select(User).where(User.id.eq(2))).scalars().one();
  showSql();
  say(`user2.organization.name = ${JSON.stringify(user2.organization.name)}`);
  showSql();

  step("user_ng (id 100), the user that raised MissingGreenlet in the first act: the read just works.");
  const userNg = db.execute(select(User).where(User.id.eq(100))).scalars().one();
  showSql();
  say(`user_ng.organization.name = ${JSON.stringify(userNg.organization.name)}`);
  showSql();
  say("One SELECT by primary key, run by the property read itself: SQLAlchemy's lazy='select' in a synchronous");
  say("Session. The types agree: in the synchronous world a relationship is always readable (no NotLoaded).");

  step("Read it again, and read another user of organization 1: answered from the identity map, no SQL.");
  const user1 = db.get(User, 1);
  forgetSql();
  say(`user_ng.organization.name = ${JSON.stringify(userNg.organization.name)}; user1.organization === user2.organization is ${user1?.organization === user2.organization}`);
  showSql();

  // An in-memory SQLite database lives in its engine's one connection: a session gives it back when closed.
  db.close();

  step("The price of convenience: a loop over parents now runs one SELECT per parent, silently (N+1).");
  const reports: NPlusOneReport[] = [];
  {
    using session = new Session(engine, { detectNPlusOne: { threshold: 2, onDetect: (report) => reports.push(report) } });
    const organizations = session.execute(select(Organization).orderBy(Organization.id)).scalars().all();
    say(organizations.map((o) => `${o.name}: ${o.users.map((u) => u.name).join(", ")}`).join("; "));
    showSql();
    for (const report of reports) say(`⚠ ${report.message}`);
  }
  forgetSql(); // the ROLLBACK of the session's close
  say("\nThe fix it names works the same in both worlds:");
  {
    using session = new Session(engine);
    const organizations = session.execute(select(Organization).options(selectinload(Organization.users)).orderBy(Organization.id)).scalars().all();
    say(organizations.map((o) => `${o.name}: ${o.users.map((u) => u.name).join(", ")}`).join("; "));
    showSql();
  }
  say('strictLoading: "raise" and lazy: "raise" still refuse lazy loads here, for code that must never run one.');
  engine.dispose();
  console.log(`\n${"━".repeat(100)}\nRead docs/sync-session.md for when to choose the synchronous Session and when AsyncSession.`);
}
