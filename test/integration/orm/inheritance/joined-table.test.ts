import { beforeEach, expect, it } from "vitest";
import { AsyncSession, MissingGreenlet, joinedload, select, selectinPolymorphic, selectinload, withPolymorphic } from "../../../../src/index.ts";
import { describeEachDatabase } from "../../../support/databases.ts";
import { useIsolatedDatabase } from "../../../support/isolated-database.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Director, Engineer, Firm, JoinedBase, Manager, Person, Team } from "../../../fixtures/inheritance/joined-table.ts";
import { classOf, shape } from "./inheritance-support.ts";

const CLASSES = { Director, Manager, Engineer, Person };
const PERSON = "people.id, people.name, people.type, people.firm_id";

describeEachDatabase("inheritance: joined table", (db) => {
  const ctx = useIsolatedDatabase(db, "inherit_joined", JoinedBase.metadata);

  // Explicit keys above the ones the database generates (PostgreSQL's sequence does not see them).
  beforeEach(async () => {
    await ctx.reset();
    await using session = new AsyncSession(ctx.engine);
    session.add(new Firm({ id: 1, name: "acme" }));
    session.add(new Team({ id: 1, name: "core" }));
    session.add(new Person({ id: 11, name: "ann", firmId: 1 }));
    session.add(new Engineer({ id: 12, name: "bob", primaryLanguage: "ts", firmId: 1, teamId: 1 }));
    session.add(new Manager({ id: 13, name: "cy", managerName: "boss", firmId: 1 }));
    session.add(new Director({ id: 14, name: "di", managerName: "big boss", budget: 100 }));
    await session.commit();
  });

  it("DDL: each subclass table has the key, a foreign key to its parent's", () => {
    const managers = JoinedBase.metadata.tables.get("managers");
    expect(Object.keys(managers?.c ?? {})).toEqual(["id", "managerName"]);
    expect(managers?.foreignKeys.map((fk) => fk.targets)).toEqual([["people.id"]]);
    expect(JoinedBase.metadata.tables.get("directors")?.foreignKeys.map((fk) => fk.targets)).toEqual([["managers.id"]]);
  });

  it("INSERT: the base table's row, then each subclass table's with the key copied", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const eve = new Director({ name: "eve", managerName: "m", budget: 5 });
    session.add(eve);
    await session.flush();
    const sql = recorder.statements.map(shape);
    expect(sql.filter((s) => s.startsWith("INSERT"))).toEqual([
      expect.stringMatching(/^INSERT INTO people \(name, type\) VALUES \(\?, \?\)( RETURNING people.id)?$/),
      "INSERT INTO managers (id, manager_name) VALUES (?, ?)",
      "INSERT INTO directors (id, budget) VALUES (?, ?)",
    ]);
    expect(typeof eve.id).toBe("number");
    expect(eve.type).toBe("director");
    const inserted = recorder.statements.filter((s) => s.sql.startsWith("INSERT"));
    expect(inserted[1]?.params).toEqual([eve.id, "m"]);
    expect(inserted[2]?.params).toEqual([eve.id, 5]);
  });

  it("a query of a subclass joins its tables on the key", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const managers = (await session.scalars(select(Manager).orderBy(Manager.id))).all();
    expect(recorder.statements.map(shape)).toEqual([
      `SELECT ${PERSON}, managers.manager_name FROM people JOIN managers ON people.id = managers.id ORDER BY people.id`,
    ]);
    expect(managers.map((m) => classOf(m, CLASSES))).toEqual(["Manager", "Director"]);
    expect(managers.map((m) => m.managerName)).toEqual(["boss", "big boss"]);
    // The director's own column was not in that SELECT: unloaded, and the error says how to load it.
    const di = managers[1] as Director;
    expect(() => di.budget).toThrow(MissingGreenlet);
    expect(await di.awaitableAttrs.budget).toBe(100);
    const directors = (await session.scalars(select(Director).where(Director.budget.gt(10)))).all();
    expect(directors).toEqual([di]);
  });

  it("a query of the base: subclass instances, their own columns unloaded until awaited", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const people = (await session.scalars(select(Person).orderBy(Person.id))).all();
    expect(recorder.statements.map(shape)).toEqual([`SELECT ${PERSON} FROM people ORDER BY people.id`]);
    expect(people.map((p) => classOf(p, CLASSES))).toEqual(["Person", "Engineer", "Manager", "Director"]);
    const bob = people[1] as Engineer;
    expect(bob).toBeInstanceOf(Person);
    expect(bob.label()).toBe("engineer:bob");
    expect(() => bob.primaryLanguage).toThrow(MissingGreenlet);
    recorder.clear();
    expect(await bob.awaitableAttrs.primaryLanguage).toBe("ts");
    expect(recorder.statements.map(shape)).toEqual([
      "SELECT engineers.primary_language, engineers.team_id FROM people JOIN engineers ON people.id = engineers.id WHERE people.id = ?",
    ]);
    // One identity: the manager loaded through its class is the object the base query made.
    expect(await session.get(Manager, 13)).toBe(people[2]);
  });

  it("withPolymorphic: the subclass tables LEFT OUTER JOINed, every row complete in one statement", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const people = (await session.scalars(select(withPolymorphic(Person, [Engineer, Manager])).orderBy(Person.id))).all();
    expect(recorder.statements.map(shape)).toEqual([
      `SELECT ${PERSON}, engineers.primary_language, engineers.team_id, managers.manager_name FROM people ` +
        "LEFT OUTER JOIN engineers ON engineers.id = people.id LEFT OUTER JOIN managers ON managers.id = people.id ORDER BY people.id",
    ]);
    expect(people.map((p) => classOf(p, CLASSES))).toEqual(["Person", "Engineer", "Manager", "Director"]);
    expect((people[1] as Engineer).primaryLanguage).toBe("ts");
    expect((people[2] as Manager).managerName).toBe("boss");
    expect((people[3] as Director).managerName).toBe("big boss");
    expect(() => (people[3] as Director).budget).toThrow(MissingGreenlet);
    const everything = (await session.scalars(select(withPolymorphic(Person, "*")).where(Person.id.eq(14)).executionOptions({ populateExisting: true }))).one();
    expect((everything as Director).budget).toBe(100);
  });

  it("selectinPolymorphic: one more SELECT per subclass, for the rows of that class", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const people = (await session.scalars(select(Person).options(selectinPolymorphic(Person, [Engineer, Manager])).orderBy(Person.id))).all();
    expect(recorder.statements.map(shape)).toEqual([
      `SELECT ${PERSON} FROM people ORDER BY people.id`,
      "SELECT people.id, engineers.primary_language, engineers.team_id FROM people JOIN engineers ON people.id = engineers.id WHERE people.id IN (?) ORDER BY people.id",
      "SELECT people.id, managers.manager_name FROM people JOIN managers ON people.id = managers.id WHERE people.id IN (?, ?) ORDER BY people.id",
    ]);
    expect(recorder.statements[2]?.params).toEqual([13, 14]);
    expect((people[1] as Engineer).primaryLanguage).toBe("ts");
    expect((people[2] as Manager).managerName).toBe("boss");
    expect((people[3] as Director).managerName).toBe("big boss");
  });

  it("UPDATE writes only the tables whose columns changed", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const di = (await session.get(Director, 14)) as Director;
    recorder.clear();
    di.budget = 200;
    await session.flush();
    expect(recorder.statements.map(shape)).toEqual(["UPDATE directors SET budget=? WHERE directors.id = ?"]);
    recorder.clear();
    di.name = "dee";
    di.managerName = "top";
    await session.flush();
    expect(recorder.statements.map(shape)).toEqual([
      "UPDATE people SET name=? WHERE people.id = ?",
      "UPDATE managers SET manager_name=? WHERE managers.id = ?",
    ]);
    await session.commit();
    session.expungeAll();
    const again = (await session.get(Director, 14)) as Director;
    expect([again.name, again.managerName, again.budget]).toEqual(["dee", "top", 200]);
  });

  it("DELETE: the subclass tables' rows first, then the base's", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const di = (await session.get(Director, 14)) as Director;
    recorder.clear();
    await session.delete(di);
    await session.flush();
    expect(recorder.statements.map(shape)).toEqual([
      "DELETE FROM directors WHERE directors.id = ?",
      "DELETE FROM managers WHERE managers.id = ?",
      "DELETE FROM people WHERE people.id = ?",
    ]);
    const left = await session.execute(select(Person.id).orderBy(Person.id));
    expect(left.scalars().all()).toEqual([11, 12, 13]);
  });

  it("a relationship to the base class loads instances of each subclass", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const acme = (await session.scalars(select(Firm).options(selectinload(Firm.people)))).one();
    expect(recorder.statements).toHaveLength(2);
    expect(acme.people.map((p) => classOf(p, CLASSES)).sort()).toEqual(["Engineer", "Manager", "Person"]);
    const cy = acme.people.find((p) => p.id === 13) as Manager;
    expect(await cy.awaitableAttrs.managerName).toBe("boss");
    expect(await cy.awaitableAttrs.firm).toBe(acme);
  });

  it("ofType(subclass) in a join: the subclass's tables joined on the key", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const found = (await session.scalars(select(Firm).join(Firm.people.ofType(Manager)).where(Manager.managerName.eq("boss")))).all();
    expect(recorder.statements.map(shape)).toEqual([
      "SELECT firms.id, firms.name FROM firms JOIN people ON people.firm_id = firms.id JOIN managers ON people.id = managers.id WHERE managers.manager_name = ?",
    ]);
    expect(found.map((f) => f.id)).toEqual([1]);
    const none = (await session.scalars(select(Firm).join(Firm.people.ofType(Director)))).all();
    expect(none).toEqual([]);
  });

  it("relationships to a joined-table subclass: its tables joined, wherever the foreign key is", async () => {
    const recorder = new StatementRecorder(ctx.engine);
    await using session = new AsyncSession(ctx.engine);
    const acme = (await session.scalars(select(Firm).options(selectinload(Firm.managers)))).one();
    expect(recorder.statements.map(shape)[1]).toBe(
      `SELECT people.firm_id, ${PERSON} AS firm_id_1, managers.manager_name FROM people JOIN managers ON people.id = managers.id WHERE people.firm_id IN (?) ORDER BY managers.id ASC`,
    );
    expect(acme.managers.map((m) => [classOf(m, CLASSES), m.managerName])).toEqual([["Manager", "boss"]]);
    recorder.clear();
    const core = (await session.scalars(select(Team).options(selectinload(Team.engineers)))).one();
    expect(recorder.statements.map(shape)[1]).toBe(
      `SELECT engineers.team_id, ${PERSON}, engineers.primary_language, engineers.team_id AS team_id_1 FROM people JOIN engineers ON people.id = engineers.id WHERE engineers.team_id IN (?)`,
    );
    const bob = core.engineers[0] as Engineer;
    expect([bob.id, bob.primaryLanguage]).toEqual([12, "ts"]);
    expect(await bob.awaitableAttrs.team).toBe(core);
    recorder.clear();
    const joined = (await session.scalars(select(Firm).join(Firm.managers).where(Manager.managerName.eq("boss")))).all();
    expect(recorder.statements.map(shape)).toEqual([
      "SELECT firms.id, firms.name FROM firms JOIN people ON people.firm_id = firms.id JOIN managers ON people.id = managers.id WHERE managers.manager_name = ?",
    ]);
    expect(joined).toEqual([acme]);
    recorder.clear();
    const teams = (await session.scalars(select(Team).join(Team.engineers).where(Engineer.name.eq("bob")))).all();
    expect(teams).toEqual([core]);
    const engineers = (await session.scalars(select(Engineer).join(Engineer.team).where(Team.name.eq("core")))).all();
    expect(engineers).toEqual([bob]);
  });

  it("a new subclass object related to a parent: its foreign key in its own table written on flush", async () => {
    await using session = new AsyncSession(ctx.engine);
    const core = (await session.get(Team, 1)) as Team;
    const eng = new Engineer({ id: 20, name: "zed", primaryLanguage: "go" });
    (await core.awaitableAttrs.engineers).push(eng);
    await session.commit();
    session.expungeAll();
    const again = (await session.get(Engineer, 20)) as Engineer;
    expect(again.teamId).toBe(1);
    expect(again.type).toBe("engineer");
  });

  it("ofType(subclass) in a loader option: the subclass's own columns load too, one SELECT after", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const acme = (await session.scalars(select(Firm).options(selectinload(Firm.people.ofType(Manager))))).one();
    expect(recorder.statements.map(shape).slice(2)).toEqual([
      "SELECT people.id, managers.manager_name FROM people JOIN managers ON people.id = managers.id WHERE people.id IN (?) ORDER BY people.id",
    ]);
    expect(recorder.statements).toHaveLength(3);
    const cy = acme.people.find((p) => p.id === 13) as Manager;
    expect(cy.managerName).toBe("boss");
    const bob = acme.people.find((p) => p.id === 12) as Engineer;
    expect(() => bob.primaryLanguage).toThrow(MissingGreenlet);
  });

  it("joinedload of a joined-table subclass target is refused with the option that works", async () => {
    await using session = new AsyncSession(ctx.engine);
    await expect(session.scalars(select(Firm).options(joinedload(Firm.managers)))).rejects.toThrow(/load it with selectinload\(Firm.managers\) instead/);
    // To the base class it works: one statement, the subclass columns left for later.
    const acme = (await session.scalars(select(Firm).options(joinedload(Firm.people)))).unique().one();
    expect(acme.people.map((p) => classOf(p, CLASSES)).sort()).toEqual(["Engineer", "Manager", "Person"]);
  });

  it("expired by commit, refreshed, merged: a subclass object reloads from its tables' join", async () => {
    await using session = new AsyncSession(ctx.engine);
    const di = (await session.get(Director, 14)) as Director;
    di.budget = 150;
    await session.commit();
    // Every attribute expired: the await loads them all from people JOIN managers JOIN directors.
    expect(await di.awaitableAttrs.budget).toBe(150);
    expect(di.managerName).toBe("big boss");
    await session.refresh(di);
    expect([di.name, di.managerName, di.budget]).toEqual(["di", "big boss", 150]);
    const detached = new Director({ id: 14, name: "di", managerName: "merged", budget: 1 });
    const merged = await session.merge(detached);
    expect(merged).toBe(di);
    expect(di.managerName).toBe("merged");
    await session.commit();
    session.expungeAll();
    const again = (await session.get(Director, 14)) as Director;
    expect([again.managerName, again.budget]).toEqual(["merged", 1]);
  });

  it("join(Subclass): the base table ON the foreign key, then the subclass's tables ON the key", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const firms = (await session.scalars(select(Firm).join(Manager).where(Manager.managerName.eq("boss")))).all();
    expect(recorder.statements.map(shape)).toEqual([
      "SELECT firms.id, firms.name FROM firms JOIN people ON people.firm_id = firms.id JOIN managers ON people.id = managers.id WHERE managers.manager_name = ?",
    ]);
    expect(firms.map((f) => f.id)).toEqual([1]);
  });

  it("streaming a base query with selectinPolymorphic: each batch's subclass columns load before it is handed out", async () => {
    await using session = new AsyncSession(ctx.engine);
    const recorder = new StatementRecorder(ctx.engine);
    const statement = select(Person).options(selectinPolymorphic(Person, [Manager])).orderBy(Person.id).executionOptions({ yieldPer: 2 });
    const rows: Person[] = [];
    for await (const [person] of await session.stream(statement)) rows.push(person);
    expect(rows.map((p) => classOf(p, CLASSES))).toEqual(["Person", "Engineer", "Manager", "Director"]);
    expect((rows[2] as Manager).managerName).toBe("boss");
    expect((rows[3] as Director).managerName).toBe("big boss");
    expect(recorder.statements.map(shape).filter((sql) => sql.includes("managers.manager_name"))).toHaveLength(1);
  });
});
