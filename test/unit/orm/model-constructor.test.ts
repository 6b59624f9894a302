import { describe, expect, it } from "vitest";
import { ArgumentError, ForeignKey, Integer, StringType, declarativeBase, mappedColumn, relationship } from "../../../src/index.ts";

const Base = declarativeBase();

class Team extends Base.model("teams", {
  id: mappedColumn(Integer, { primaryKey: true }),
  players: relationship<Player[]>("Player", { backPopulates: "team" }),
}) {}

class Player extends Base.model("players", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(30)),
  teamId: mappedColumn(Integer, ForeignKey("teams.id"), { name: "team_id" }),
  team: relationship<Team>("Team", { backPopulates: "players" }),
}) {}

/** A subclass with its own accessor for a mapped attribute: the constructor goes through it. */
class LoudPlayer extends Base.model("loud_players", {
  id: mappedColumn(Integer, { primaryKey: true }),
  name: mappedColumn(StringType(30)),
}) {
  override get name(): string | null {
    return super.name;
  }
  override set name(value: string | null) {
    super.name = value === null ? null : value.toUpperCase();
  }
}

Base.register(Team, Player, LoudPlayer);

describe("new Model({...})", () => {
  it("sets each attribute through its setter: values validated, relationships synced both ways", () => {
    const team = new Team({ id: 1 });
    const player = new Player({ id: 7, name: "ann", team });
    expect([player.id, player.name]).toEqual([7, "ann"]);
    expect(team.players).toEqual([player]);
    expect(() => new Player({ id: 8, name: 5 as never })).toThrow(ArgumentError);
    expect(() => new Player({ nope: 1 } as never)).toThrow('Player has no mapped attribute "nope"');
  });

  it("uses a subclass's own accessor for an attribute", () => {
    expect(new LoudPlayer({ id: 1, name: "bo" }).name).toBe("BO");
  });

  it("gives each instance its own values", () => {
    const a = new Player({ id: 1, name: "a" });
    const b = new Player({ id: 2 });
    expect([a.name, b.id]).toEqual(["a", 2]);
    a.name = "changed";
    const c = new Player({ id: 3 });
    expect([c.id, c.name, b.name]).toEqual([3, null, null]);
  });
});
