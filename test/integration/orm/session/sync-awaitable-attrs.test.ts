import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Engine, Session, StrictLoadingError, createEngine } from "../../../../src/index.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { Base, Organization, User, shapes } from "./session-support.ts";

/**
 * `obj.awaitableAttrs.relationship` under the synchronous Session: the read itself loads, so the
 * promise settles with the loaded value (before: the async load was driven synchronously and
 * failed with "An asynchronous call was reached from the synchronous API").
 */
describe("Session: awaitableAttrs", () => {
  let engine: Engine;
  beforeEach(() => {
    engine = createEngine("sqlite://:memory:");
    Base.metadata.createAll(engine);
    using setup = new Session(engine);
    setup.add(new Organization({ id: 1, name: "Acme" }));
    setup.flush();
    setup.add(new User({ id: 1, name: "ann", email: "ann@example.com", organizationId: 1 }));
    setup.commit();
  });
  afterEach(() => engine.dispose());

  it("awaitableAttrs of an unloaded relationship settles with the value the read loads, in one SELECT", async () => {
    using session = new Session(engine);
    const acme = session.getOne(Organization, 1);
    const recorder = new StatementRecorder(engine);
    const users = await acme.awaitableAttrs.users;
    expect(users.map((u) => u.name)).toEqual(["ann"]);
    expect(shapes(recorder.statements)).toEqual([
      'SELECT "users"."id", "users"."name", "users"."email", "users"."organization_id" FROM "users" WHERE "users"."organization_id" = ?',
    ]);
    expect(await acme.awaitableAttrs.users).toBe(users);
    expect(recorder.statements).toHaveLength(1);
  });

  it('awaitableAttrs is an explicit load: strictLoading "raise" allows it, and still refuses the plain read', async () => {
    using session = new Session(engine, { strictLoading: "raise" });
    const ann = session.getOne(User, 1);
    session.expungeAll();
    const annAgain = session.getOne(User, 1);
    expect(() => annAgain.organization).toThrow(StrictLoadingError);
    const organization = await annAgain.awaitableAttrs.organization;
    expect(organization.name).toBe("Acme");
    expect(ann).not.toBe(annAgain);
  });
});
