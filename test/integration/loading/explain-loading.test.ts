import { beforeAll, expect, it } from "vitest";
import { explainLoading, joinedload, raiseload, select, selectinload } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { LoadingBase, Organization, Post, User } from "../../fixtures/loading-models/blog.ts";
import { seedBlog } from "./loading-support.ts";

/** `explainLoading(stmt)`: each path's strategy and statement count, without running anything. */
describeEachSessionKind("loading: explainLoading", (db) => {
  const ctx = useSessionDatabase(db, "loading_explain", LoadingBase.metadata);
  beforeAll(() => seedBlog(ctx));

  it("names each path's strategy and runs no SQL; the statement then emits what it said", async () => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    const statement = select(Organization).options(selectinload(Organization.users).joinedload(User.posts));
    const explanation = explainLoading(statement);
    expect(recorder.all).toEqual([]);
    const byPath = new Map(explanation.steps.map((s) => [s.path, s]));
    expect(byPath.get("Organization")?.strategy).toBe("(the statement)");
    expect(byPath.get("Organization.users")).toMatchObject({ strategy: "selectin", statements: "1 per 500 parents" });
    expect(byPath.get("Organization.users.posts")?.strategy).toBe("joined");
    expect(byPath.get("Organization.users.posts.author")?.strategy).toBe("select");
    expect(byPath.get("Organization.users.posts.author")?.note).toContain("MissingGreenlet");
    expect(explanation.minimumStatements).toBe(2);
    expect(explanation.requiresUnique).toBe(false);
    expect(String(explanation)).toContain("Organization.users.posts");

    await using session = ctx.openSession();
    const { statements } = await recorder.during(async () => (await session.scalars(statement)).all());
    expect(statements).toHaveLength(explanation.minimumStatements);
  });

  it("says when the result needs unique(), and what raiseload does", () => {
    const joined = explainLoading(select(Organization).options(joinedload(Organization.users)));
    expect(joined.requiresUnique).toBe(true);
    expect(joined.minimumStatements).toBe(1);
    expect(String(joined)).toContain("unique()");

    const raising = explainLoading(select(Post).options(raiseload("*")));
    const author = raising.steps.find((s) => s.path === "Post.author");
    expect(author?.strategy).toBe("raise");
    expect(author?.note).toContain("raises");
  });
});
