import { expect, it } from "vitest";
import { FlushError, IntegrityError, PendingRollbackError, select } from "../../../../src/index.ts";
import { describeEachSessionKind, errorOf, useSessionDatabase } from "../../../support/session-kinds.ts";
import { StatementRecorder } from "../../../support/statements.ts";
import { GraphBase, Organization, User } from "../../../fixtures/uow-models/graph.ts";
import { countRows, resetGraph, summary } from "./uow-support.ts";

describeEachSessionKind("unit of work: bad input", (db) => {
  const ctx = useSessionDatabase(db, "uow_bad_input", GraphBase.metadata);

  it("two new objects with one primary key: FlushError naming them, before any SQL", async () => {
    await resetGraph(ctx);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    session.addAll([new Organization({ id: 1, name: "Acme" }), new User({ id: 5, name: "ann" }), new User({ id: 5, name: "bob" })]);
    const error = await errorOf(() => session.flush());
    expect(error).toBeInstanceOf(FlushError);
    expect((error as Error).message).toContain("New instance User(id=5) has the same primary key (id) as another new instance User(id=5)");
    expect(recorder.statements).toEqual([]);
    expect(await countRows(ctx.engine, "organizations")).toBe(0);
  });

  it("a new object with the key of a persistent one: FlushError, nothing written", async () => {
    await resetGraph(ctx);
    await using session = ctx.openSession();
    session.add(new Organization({ id: 1, name: "Acme" }));
    await session.flush();
    const recorder = new StatementRecorder(ctx.sessionEngine);
    session.add(new Organization({ id: 1, name: "Acme again" }));
    await expect(async () => session.flush()).rejects.toThrow(/same primary key \(id\) as the persistent instance Organization\(id=1\)/);
    expect(recorder.statements).toEqual([]);
  });

  it("a NOT NULL violation rolls the whole flush back: nothing half-written, PendingRollbackError until rollback()", async () => {
    await resetGraph(ctx);
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const org = new Organization({ name: "Acme" });
    const ann = new User({ name: "ann", organization: org });
    // @ts-expect-error users.name is NOT NULL without a default: the type requires it; untyped callers fail at flush
    const nameless = new User({ organization: org });
    session.addAll([org, ann, nameless]);
    const error = await errorOf(() => session.flush());
    expect(error).toBeInstanceOf(IntegrityError);
    // The organization's INSERT ran, then the users' INSERT failed; the transaction was rolled back.
    expect(summary(recorder.statements)[0]).toBe("INSERT organizations");
    expect(summary(recorder.statements).at(-1)).toBe("INSERT users");
    expect(recorder.all.at(-1)?.sql).toBe("ROLLBACK");
    await expect(async () => session.execute(select(User))).rejects.toBeInstanceOf(PendingRollbackError);
    await session.rollback();
    expect(session.new).toEqual([]);
    for (const table of ["organizations", "users"]) expect(await countRows(ctx.engine, table)).toBe(0);
  });
});
