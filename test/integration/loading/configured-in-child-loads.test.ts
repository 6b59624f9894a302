import { beforeAll, expect, it } from "vitest";
import { ForeignKey, Integer, StringType, declarativeBase, mappedColumn, relationship, select, selectinload, subqueryload } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { loaded, shapes } from "./loading-support.ts";

/** orgs → members (no configured strategy) → badge (configured `lazy: "joined"`, no cycle back). */
const Base = declarativeBase();
class Org extends Base.model("cc_orgs", {
  id: mappedColumn(Integer, { primaryKey: true }),
  members: relationship<Member[]>("Member", { orderBy: ["id"] }),
}) {}
class Member extends Base.model("cc_members", {
  id: mappedColumn(Integer, { primaryKey: true }),
  orgId: mappedColumn(Integer, ForeignKey("cc_orgs.id"), { name: "org_id" }),
  badgeId: mappedColumn(Integer, ForeignKey("cc_badges.id"), { name: "badge_id" }),
  badge: relationship<Badge | null, "joined">("Badge", { lazy: "joined" }),
}) {}
class Badge extends Base.model("cc_badges", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(10)),
}) {}
Base.register(Org, Member, Badge);

const JOIN_BADGE = 'LEFT OUTER JOIN "cc_badges" AS "cc_badges_1" ON "cc_badges_1"."id" = "cc_members"."badge_id"';

/**
 * The statement a selectin or subquery load runs for a collection applies the children's own
 * configured eager strategies, as SQLAlchemy's child queries do; only a cycle back to a mapper on
 * the path stops them (configured-strategies.test.ts).
 */
describeEachSessionKind("loading: configured strategies inside child loads", (db) => {
  const ctx = useSessionDatabase(db, "loading_configured_children", Base.metadata);
  beforeAll(async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    session.addAll([new Org({ id: 1 }), new Badge({ id: 1, name: "gold" }), new Badge({ id: 2, name: "iron" })]);
    await session.flush();
    session.addAll([new Member({ id: 1, orgId: 1, badgeId: 1 }), new Member({ id: 2, orgId: 1, badgeId: null }), new Member({ id: 3, orgId: 1, badgeId: 2 })]);
    await session.commit();
  });

  for (const [name, option] of [["selectinload", selectinload], ["subqueryload", subqueryload]] as const) {
    it(`${name}(Org.members): the members' statement joins their configured badge; reading it needs no SQL`, async () => {
      const recorder = new StatementRecorder(ctx.sessionEngine);
      await using session = ctx.openSession();
      const { value: orgs, statements } = await recorder.during(async () => (await session.scalars(select(Org).options(option(Org.members)))).all());
      expect(statements).toHaveLength(2);
      expect(shapes(statements)[1]).toContain(JOIN_BADGE);
      recorder.clear();
      expect(loaded(orgs[0]?.members ?? []).map((m) => m.badge?.name ?? null)).toEqual(["gold", null, "iron"]);
      expect(recorder.statements).toEqual([]);
    });
  }
});
