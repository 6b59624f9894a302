import { beforeAll, describe, expect, it } from "vitest";
import { InvalidRequestError, createEngine, select, selectinload } from "../../../src/index.ts";
import { type LoaderContext, executePlan } from "../../../src/orm/loading/execute-plan.ts";
import type { Mapper } from "../../../src/orm/mapper/mapper.ts";
import { mapperOfClass } from "../../../src/orm/mapper/registry.ts";
import type { RelationshipProperty } from "../../../src/orm/mapper/relationship-property.ts";
import { IdentityMap } from "../../../src/orm/session/identity-map.ts";
import { stateOf } from "../../../src/orm/state/instance-state.ts";
import { loadRelationship } from "../../../src/orm/strategies/load-relationship.ts";
import { runPostLoads } from "../../../src/orm/strategies/post-load.ts";
import { done, io, runSync } from "../../../src/shared/io.ts";
import { Base } from "../../fixtures/seed-models/base.ts";
import { Organization } from "../../fixtures/seed-models/organization.ts";
import { User } from "../../fixtures/seed-models/user.ts";

/**
 * The loading code is written once as `Io` generators (docs/adr/0014): driven by `runSync` over a
 * synchronous better-sqlite3 database it loads with no promise at all: a statement with its
 * selectin load, and the lazy load of one relationship of one object (what a synchronous
 * attribute read runs), on the synchronous `Connection` of `createEngine`.
 */
describe("loading: Io generators driven synchronously", () => {
  const engine = createEngine("sqlite://:memory:");
  const statements: string[] = [];
  engine.onStatement((sql) => statements.push(sql));
  /** The synchronous Connection: its `executeRaw` answers at once (the synchronous side of the I/O edge). */
  const runner = engine.connect();

  function freshContext(): LoaderContext {
    const map = new IdentityMap();
    return {
      find: (mapper, identity) => map.find(mapper, identity),
      findObject: (mapper, value) => map.findObject(mapper, value),
      add: (state, value) => map.add(state, value),
      connection: () => done(runner),
    };
  }

  function relationshipOf(cls: unknown, key: string): RelationshipProperty {
    return (mapperOfClass(cls) as Mapper).property(key) as RelationshipProperty;
  }

  beforeAll(() => {
    Base.register(Organization, User);
    runner.execDriverSql("CREATE TABLE organizations (id INTEGER PRIMARY KEY, name VARCHAR(50))");
    runner.execDriverSql(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(30) NOT NULL, email VARCHAR(50) NOT NULL, organization_id INTEGER NOT NULL REFERENCES organizations (id))",
    );
    runner.execDriverSql("INSERT INTO organizations VALUES (1, 'acme'), (2, 'globex')");
    runner.execDriverSql("INSERT INTO users VALUES (1, 'ann', 'ann@acme', 1), (2, 'bob', 'bob@acme', 1), (3, 'cy', 'cy@globex', 2)");
  });

  it("runs a statement and its selectin load under runSync", () => {
    statements.length = 0;
    const plan = select(Organization).options(selectinload(Organization.users)).orderBy(Organization.id).plan;
    const orgs = runSync(executePlan(plan.node, plan.elements, freshContext(), { populateExisting: false, postLoad: runPostLoads, column: true })) as Organization[];
    expect(orgs.map((o) => [o.name, (o.users as User[]).map((u) => u.name)])).toEqual([
      ["acme", ["ann", "bob"]],
      ["globex", ["cy"]],
    ]);
    expect(statements).toHaveLength(2);
  });

  it("lazy-loads one relationship of one object under runSync: a collection by SQL, a many-to-one from the identity map", () => {
    const context = freshContext();
    const plan = select(Organization).where(Organization.id.eq(1)).plan;
    const [acme] = runSync(executePlan(plan.node, plan.elements, context, { populateExisting: false, postLoad: runPostLoads, column: true })) as Organization[];
    const state = stateOf(acme);
    if (state === undefined) throw new Error("no state");
    statements.length = 0;
    const users = runSync(loadRelationship(state, relationshipOf(Organization, "users"), context)) as User[];
    expect(users.map((u) => u.name)).toEqual(["ann", "bob"]);
    expect(statements).toHaveLength(1);
    const ann = stateOf(users[0]);
    if (ann === undefined) throw new Error("no state");
    expect(runSync(loadRelationship(ann, relationshipOf(User, "organization"), context))).toBe(acme);
    expect(statements).toHaveLength(1);
  });

  it("refuses an asynchronous connection under runSync", () => {
    const plan = select(Organization).plan;
    const context = { ...freshContext(), connection: () => io(Promise.resolve(runner)) };
    expect(() => runSync(executePlan(plan.node, plan.elements, context, { populateExisting: false, postLoad: runPostLoads, column: true }))).toThrow(InvalidRequestError);
  });
});
