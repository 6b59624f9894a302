import { beforeAll, describe, expect, it } from "vitest";
import { InvalidRequestError, select } from "../../../../src/index.ts";
import { asSync, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { AttributesBase, Author } from "../../../fixtures/attribute-models/library.ts";
import { seedLibrary } from "./attributes-support.ts";

/**
 * Under the synchronous Session, reading a deferred columnProperty (a mapped expression, which has
 * no load of its own) raises InvalidRequestError without SQL, as under AsyncSession. Before, the
 * read went to the relationship loader and failed with a TypeError.
 */
describe("Session: reading a deferred mapped expression", () => {
  const ctx = useSessionDatabase({ name: "sqlite", url: "sqlite://:memory:", session: "sync" }, "sync_deferred_expression", AttributesBase.metadata);
  beforeAll(() => seedLibrary(ctx.engine));

  it("raises InvalidRequestError naming the attribute, with no SQL", () => {
    using session = asSync(ctx.openSession());
    const author = session.scalars(select(Author).where(Author.id.eq(1))).one();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    expect(() => author.bestScore).toThrow(InvalidRequestError);
    expect(() => author.bestScore).toThrow(/bestScore/);
    expect(recorder.statements).toEqual([]);
  });
});
