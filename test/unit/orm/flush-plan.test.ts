/**
 * The flush planner without a database: given states (new, changed, deleted), the plan's order
 * of INSERT/UPDATE and DELETE, its foreign key syncs, association rows, postUpdate UPDATEs, and
 * the FlushError of a cycle.
 */
import { describe, expect, it } from "vitest";
import { FlushError, ForeignKey, Integer, StringType, declarativeBase, mappedColumn, relationship } from "../../../src/index.ts";
import type { Mapper } from "../../../src/orm/mapper/mapper.ts";
import { type InstanceState, STATE } from "../../../src/orm/state/instance-state.ts";
import { type FlushInput, type FlushPlan, planFlush } from "../../../src/orm/unit-of-work/flush-plan.ts";
import { Category, GraphBase, Organization, Post, Tag, User } from "../../fixtures/uow-models/graph.ts";

const stateOf = (object: object): InstanceState => (object as { [STATE]: InstanceState })[STATE];

/** An object as if loaded from its row: persistent, no changes. */
function persistent<T extends object>(object: T): T {
  stateOf(object).markLoaded();
  return object;
}

function plan(input: { pending?: object[]; modified?: object[]; deleted?: object[] }, base = GraphBase): FlushPlan {
  const ranks = new Map(base.metadata.sortedTables.map((t, i) => [t, i]));
  const flushInput: FlushInput = {
    pending: (input.pending ?? []).map(stateOf),
    modified: (input.modified ?? []).map(stateOf),
    deleted: (input.deleted ?? []).map(stateOf),
    tableRank: (mapper: Mapper) => ranks.get(mapper.table) ?? 0,
  };
  return planFlush(flushInput);
}

const describeStates = (states: readonly InstanceState[]) => states.map((s) => s.mapper.describe(s));

describe("planFlush", () => {
  it("saves a parent before the child that references it, whatever order they were added in, with the child's key synced from it", () => {
    const org = new Organization({ id: 1, name: "acme" });
    const user = new User({ id: 10, name: "ann" });
    user.organization = org;
    const result = plan({ pending: [user, org] });
    expect(describeStates(result.saves)).toEqual(["Organization(id=1)", "User(id=10)"]);
    const [sync] = result.syncs.get(stateOf(user)) ?? [];
    expect(sync?.source).toBe(stateOf(org));
  });

  it("a self-referential tree saves each parent row before its children", () => {
    const root = new Category({ id: 1, name: "root" });
    const child = new Category({ id: 2, name: "child" });
    const grandchild = new Category({ id: 3, name: "grandchild" });
    child.parent = root;
    grandchild.parent = child;
    const result = plan({ pending: [grandchild, child, root] });
    expect(describeStates(result.saves)).toEqual(["Category(id=1)", "Category(id=2)", "Category(id=3)"]);
  });

  it("a table's UPDATEs come before its INSERTs; tables in dependency order", () => {
    const old = persistent(new User({ id: 5, name: "old" }));
    old.name = "renamed";
    const fresh = new User({ id: 6, name: "new" });
    const org = new Organization({ id: 1, name: "acme" });
    const result = plan({ pending: [fresh, org], modified: [old] });
    expect(describeStates(result.saves)).toEqual(["Organization(id=1)", "User(id=5)", "User(id=6)"]);
  });

  it("many-to-many: association rows for the added objects, written once for both sides of a backPopulates pair", () => {
    const post = new Post({ id: 1, title: "p" });
    const red = new Tag({ id: 1, name: "red" });
    const blue = new Tag({ id: 2, name: "blue" });
    post.tags = [red, blue];
    const result = plan({ pending: [post, red, blue] });
    expect(result.secondary.map((r) => [r.action, r.parent.mapper.describe(r.parent), r.child.mapper.describe(r.child)])).toEqual([
      ["insert", "Post(id=1)", "Tag(id=1)"],
      ["insert", "Post(id=1)", "Tag(id=2)"],
    ]);
  });

  it("deletes children before the parents they reference", () => {
    const org = persistent(new Organization({ id: 1, name: "acme" }));
    const user = persistent(new User({ id: 10, name: "ann", organizationId: 1 }));
    const post = persistent(new Post({ id: 100, title: "p", userId: 10 }));
    const result = plan({ deleted: [org, user, post] });
    expect(describeStates(result.deletes)).toEqual(["Post(id=100)", "User(id=10)", "Organization(id=1)"]);
  });

  describe("rows that reference each other", () => {
    const build = (postUpdate: boolean) => {
      const Base = declarativeBase();
      class Writer extends Base.model(`writers_${postUpdate}`, {
        id: mappedColumn(Integer, { primaryKey: true }),
        name: mappedColumn(StringType(30)),
        favoriteId: mappedColumn(Integer, ForeignKey(`essays_${postUpdate}.id`), { name: "favorite_id" }),
        favorite: relationship<Essay | null>("Essay", { foreignKeys: ["favoriteId"], postUpdate }),
      }) {}
      class Essay extends Base.model(`essays_${postUpdate}`, {
        id: mappedColumn(Integer, { primaryKey: true }),
        writerId: mappedColumn(Integer, ForeignKey(`writers_${postUpdate}.id`), { name: "writer_id" }),
        writer: relationship<Writer | null>("Writer", { foreignKeys: ["writerId"] }),
      }) {}
      Base.register(Writer, Essay);
      const writer = new Writer({ id: 1, name: "w" });
      const essay = new Essay({ id: 7 });
      essay.writer = writer;
      writer.favorite = essay;
      return { Base, writer, essay };
    };

    it("without postUpdate: a FlushError that names the cycle and suggests postUpdate", () => {
      const { Base, writer, essay } = build(false);
      expect(() => plan({ pending: [writer, essay] }, Base)).toThrow(FlushError);
      expect(() => plan({ pending: [writer, essay] }, Base)).toThrow(/Writer\(id=1\) → Essay\(id=7\) → Writer\(id=1\)|Essay\(id=7\) → Writer\(id=1\) → Essay\(id=7\)/);
      expect(() => plan({ pending: [writer, essay] }, Base)).toThrow(/postUpdate: true/);
    });

    it("with postUpdate on one side: both rows INSERTed in order, that foreign key written by an UPDATE after", () => {
      const { Base, writer, essay } = build(true);
      const result = plan({ pending: [writer, essay] }, Base);
      expect(describeStates(result.saves)).toEqual(["Writer(id=1)", "Essay(id=7)"]);
      expect(result.postUpdates.map((s) => [s.dest.mapper.describe(s.dest), s.source?.mapper.describe(s.source)])).toEqual([["Writer(id=1)", "Essay(id=7)"]]);
      expect(result.syncs.get(stateOf(writer))).toBeUndefined();
    });

    it("with postUpdate, deleting both clears that foreign key first instead of a cycle", () => {
      const { Base, writer, essay } = build(true);
      persistent(writer);
      persistent(essay);
      const result = plan({ deleted: [writer, essay] }, Base);
      expect(result.clearsBeforeDeletes.map((s) => [s.dest.mapper.describe(s.dest), s.source])).toEqual([["Writer(id=1)", null]]);
      expect(describeStates(result.deletes)).toEqual(["Essay(id=7)", "Writer(id=1)"]);
    });
  });
});
