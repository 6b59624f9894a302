import { beforeAll, expect, it } from "vitest";
import { ForeignKey, Integer, StringType, declarativeBase, mappedColumn, relationship, select, selectinload } from "../../../src/index.ts";
import { describeEachSessionKind, useSessionDatabase } from "../../support/session-kinds.ts";
import { StatementRecorder } from "../../support/statements.ts";
import { shapes } from "./loading-support.ts";

/** teams → players (loaded by option) → medals (configured `lazy: "subquery"`: its statement embeds the players' one). */
const Base = declarativeBase();
class Team extends Base.model("sr_teams", {
  id: mappedColumn(Integer, { primaryKey: true }),
  players: relationship<Player[]>("Player"),
}) {}
class Player extends Base.model("sr_players", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(10), { nullable: false }),
  teamId: mappedColumn(Integer, ForeignKey("sr_teams.id"), { name: "team_id" }),
  medals: relationship<Medal[], "subquery">("Medal", { lazy: "subquery", orderBy: ["id"] }),
}) {}
class Medal extends Base.model("sr_medals", {
  id: mappedColumn(Integer, { primaryKey: true }),
  kind: mappedColumn(StringType(10), { nullable: false }),
  playerId: mappedColumn(Integer, ForeignKey("sr_players.id"), { name: "player_id" }),
}) {}
Base.register(Team, Player, Medal);

const PLAYERS = 'SELECT "sr_players"."team_id", "sr_players"."id", "sr_players"."name" FROM "sr_players" WHERE "sr_players"."team_id" IN (?, ?)';

/**
 * A selectin load without options below it keeps its statement per relationship and number of
 * keys and binds each chunk's keys into it (as SQLAlchemy's cached selectin statement expands its
 * `IN` parameter): a second load of the same shape must read its own parents' children, and a
 * load below it that embeds the statement must see the same keys.
 */
describeEachSessionKind("loading: a selectin statement reused with other keys", (db) => {
  const ctx = useSessionDatabase(db, "loading_selectin_reuse", Base.metadata);
  beforeAll(async () => {
    await ctx.reset();
    await using session = ctx.openSession();
    session.addAll([1, 2, 3, 4].map((id) => new Team({ id })));
    await session.flush();
    session.addAll(["ann", "bob", "cid", "dee", "eve"].map((name, i) => new Player({ id: i + 1, name, teamId: [1, 2, 2, 3, 4][i] as number })));
    await session.flush();
    session.addAll([new Medal({ id: 1, kind: "gold", playerId: 2 }), new Medal({ id: 2, kind: "iron", playerId: 4 }), new Medal({ id: 3, kind: "tin", playerId: 5 })]);
    await session.commit();
  });

  const load = async (ids: [number, number]) => {
    const recorder = new StatementRecorder(ctx.sessionEngine);
    await using session = ctx.openSession();
    const { value: teams, statements } = await recorder.during(async () =>
      (await session.scalars(select(Team).options(selectinload(Team.players)).where(Team.id.in(ids)).orderBy(Team.id))).all(),
    );
    const read = teams.map((t) => `${t.id}:${t.players.map((p) => `${p.name}[${p.medals.map((m) => m.kind).join(",")}]`).join(",")}`);
    return { read, statements };
  };

  it("two loads of the same shape each bind and read their own keys", async () => {
    const first = await load([1, 2]);
    const second = await load([3, 4]);
    expect(shapes(first.statements)[1]).toBe(PLAYERS);
    expect(shapes(second.statements)[1]).toBe(PLAYERS);
    expect(first.statements[1]?.params).toEqual([1, 2]);
    expect(second.statements[1]?.params).toEqual([3, 4]);
    expect(first.read).toEqual(["1:ann[]", "2:bob[gold],cid[]"]);
    expect(second.read).toEqual(["3:dee[iron]", "4:eve[tin]"]);
  });

  it("a subquery load below it embeds the reused statement with the same keys", async () => {
    await load([1, 2]);
    const { statements, read } = await load([2, 4]);
    expect(statements).toHaveLength(3);
    expect(shapes(statements)[2]).toContain('"sr_players"."team_id" IN (?, ?)');
    expect(statements[2]?.params).toEqual(expect.arrayContaining([2, 4]));
    expect(statements[2]?.params).not.toContain(1);
    expect(read).toEqual(["2:bob[gold],cid[]", "4:eve[tin]"]);
  });
});
