import { afterEach, describe, expect, it, vi } from "vitest";
import { NPlusOneError, type NPlusOneReport, Session, select, selectinload } from "../../../../src/index.ts";
import { LoadingBase, Organization, User } from "../../../fixtures/loading-models/blog.ts";
import { summary, thrown, useSyncDatabase } from "./sync-support.ts";

/** Twelve organizations with two users each: enough parents to cross the default threshold (10). */
function seedMany(session: Session): void {
  for (let id = 1; id <= 12; id++) session.add(new Organization({ id, name: `org${id}` }));
  session.flush();
  for (let id = 1; id <= 12; id++) {
    session.add(new User({ id: id * 2 - 1, name: `u${id * 2 - 1}`, email: null, organizationId: id }));
    session.add(new User({ id: id * 2, name: `u${id * 2}`, email: null, organizationId: id }));
  }
}

/**
 * N+1 detection under the synchronous Session, where it matters most: a plain loop reading each
 * parent's relationship runs one lazy SELECT per parent, silently. `detectNPlusOne` reports the
 * relationship with the fix once the threshold is reached; the fix (selectinload) loads every
 * parent's collection in one more statement.
 */
describe("sync Session: N+1 detection", () => {
  const ctx = useSyncDatabase(LoadingBase.metadata, seedMany);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("a loop reading each parent's collection runs one SELECT per parent and is reported once, at the threshold, with the fix", () => {
    const reports: NPlusOneReport[] = [];
    using session = new Session(ctx.engine, { detectNPlusOne: { onDetect: (report) => reports.push(report) } });
    const organizations = session.execute(select(Organization).orderBy(Organization.id)).scalars().all();
    const loop = ctx.recorder.duringSync(() => organizations.map((o) => o.users.length));
    expect(loop.value).toEqual(Array(12).fill(2));
    expect(summary(loop.statements)).toEqual(Array(12).fill("SELECT users"));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ attribute: "Organization.users", count: 10, fix: "select(Organization).options(selectinload(Organization.users))" });
    expect(reports[0]?.message).toContain("N+1 loading: Organization.users was loaded one parent at a time 10 times in this transaction");
  });

  it('onDetect "warn" (the default) emits an NPlusOneWarning; "raise" stops the loop at the threshold', () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    {
      using session = new Session(ctx.engine, { detectNPlusOne: {} });
      for (const o of session.execute(select(Organization)).scalars().all()) void o.users;
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toContain("selectinload(Organization.users)");
    }
    using session = new Session(ctx.engine, { detectNPlusOne: { onDetect: "raise", threshold: 3 } });
    const organizations = session.execute(select(Organization).orderBy(Organization.id)).scalars().all();
    ctx.recorder.clear();
    let read = 0;
    const error = thrown(() => {
      for (const o of organizations) {
        void o.users;
        read++;
      }
    });
    expect(error).toBeInstanceOf(NPlusOneError);
    expect(error.message).toContain("Organization.users");
    expect(read).toBe(2);
    expect(ctx.recorder.statements).toHaveLength(3);
  });

  it("a many-to-one read in a loop is counted too (targets not in the session)", () => {
    const reports: NPlusOneReport[] = [];
    using session = new Session(ctx.engine, { detectNPlusOne: { threshold: 5, onDetect: (report) => reports.push(report) } });
    const users = session.execute(select(User).where(User.id.in(Array.from({ length: 12 }, (_, i) => i * 2 + 1)))).scalars().all();
    const loop = ctx.recorder.duringSync(() => users.map((u) => u.organization?.name));
    expect(loop.statements).toHaveLength(12);
    expect(reports.map((r) => r.attribute)).toEqual(["User.organization"]);
  });

  it("selectinload fixes it: two statements for every parent and child, nothing in the loop, nothing reported", () => {
    const reports: NPlusOneReport[] = [];
    using session = new Session(ctx.engine, { detectNPlusOne: { onDetect: (report) => reports.push(report) } });
    const query = ctx.recorder.duringSync(() => session.execute(select(Organization).options(selectinload(Organization.users))).scalars().all());
    expect(summary(query.statements)).toEqual(["SELECT organizations", "SELECT users"]);
    expect(ctx.recorder.duringSync(() => query.value.map((o) => o.users.length))).toEqual({ value: Array(12).fill(2), statements: [] });
    expect(reports).toEqual([]);
  });

  it("counts start again with each transaction", () => {
    const reports: NPlusOneReport[] = [];
    using session = new Session(ctx.engine, { detectNPlusOne: { threshold: 8, onDetect: (report) => reports.push(report) } });
    const first = session.execute(select(Organization).orderBy(Organization.id).limit(6)).scalars().all();
    for (const o of first) void o.users;
    session.commit();
    const second = session.execute(select(Organization).orderBy(Organization.id).offset(6)).scalars().all();
    for (const o of second) void o.users;
    expect(reports).toEqual([]);
  });
});
