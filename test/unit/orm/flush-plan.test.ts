/**
 * The flush planner without a database: given states (new, changed, deleted), the plan's order
 * of INSERT/UPDATE and DELETE, its foreign key syncs, association rows, postUpdate UPDATEs, and
 * the FlushError of a cycle.
 */
import { describe, expect, it } from "vitest";
import { FlushError, ForeignKey, Integer, StringType, declarativeBase, mappedColumn, relationship } from "../../../src/index.ts";
import type { Mapper } from "../../../src/orm/mapper/mapper.ts";
import { type InstanceState, STATE } from "../../../src/orm/state/instance-state.ts";
import { type FlushInput, type FlushPlan, type FlushStep, planFlush } from "../../../src/orm/unit-of-work/flush-plan.ts";
import { formatFlushPlan } from "../../../src/orm/unit-of-work/format-flush-plan.ts";
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
    // As the session numbers them in add() order.
    pending: (input.pending ?? []).map((object, i) => Object.assign(stateOf(object), { insertOrder: i + 1 })),
    modified: (input.modified ?? []).map(stateOf),
    deleted: (input.deleted ?? []).map(stateOf),
    tableRank: (mapper: Mapper) => ranks.get(mapper.table) ?? 0,
  };
  return planFlush(flushInput);
}

const describeStates = (states: readonly InstanceState[]) => states.map((s) => s.mapper.describe(s));

/** The plan's steps of one kind. */
function stepsOf<K extends FlushStep["kind"]>(result: FlushPlan, kind: K): Extract<FlushStep, { kind: K }>[] {
  return result.steps.filter((step): step is Extract<FlushStep, { kind: K }> => step.kind === kind);
}

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
    expect(stepsOf(result, "secondary").flatMap((step) => step.rows).map((r) => [r.action, r.parent.mapper.describe(r.parent), r.child.mapper.describe(r.child)])).toEqual([
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
      expect(stepsOf(result, "post-update").flatMap((step) => step.syncs).map((s) => [s.dest.mapper.describe(s.dest), s.source?.mapper.describe(s.source)])).toEqual([["Writer(id=1)", "Essay(id=7)"]]);
      expect(result.syncs.get(stateOf(writer))).toBeUndefined();
    });

    it("with postUpdate, deleting both clears that foreign key first instead of a cycle", () => {
      const { Base, writer, essay } = build(true);
      persistent(writer);
      persistent(essay);
      const result = plan({ deleted: [writer, essay] }, Base);
      expect(stepsOf(result, "post-update").flatMap((step) => step.syncs).map((s) => [s.dest.mapper.describe(s.dest), s.source])).toEqual([["Writer(id=1)", null]]);
      expect(describeStates(result.deletes)).toEqual(["Essay(id=7)", "Writer(id=1)"]);
    });
  });

  describe("batches: rows of the same shape share a step", () => {
    const shape = (result: FlushPlan) =>
      result.steps.map((step) => ("states" in step ? `${step.kind} ${describeStates(step.states).join(" ")}` : step.kind));

    it("new rows of one table giving the same columns are one INSERT step; a row giving other columns starts the next", () => {
      const a = new User({ id: 10, name: "a" });
      const b = new User({ id: 11, name: "b" });
      const withEmail = new User({ id: 12, name: "c", email: "c@x" });
      const d = new User({ id: 13, name: "d" });
      const result = plan({ pending: [a, b, withEmail, d] });
      expect(shape(result)).toEqual(["insert User(id=10) User(id=11)", "insert User(id=12)", "insert User(id=13)"]);
      const [first, second] = stepsOf(result, "insert");
      expect(first?.columns.map((c) => c.column.name)).toEqual(["id", "name"]);
      expect(second?.columns.map((c) => c.column.name)).toEqual(["id", "name", "email"]);
      expect(first?.keysKnown).toBe(true);
    });

    it("a row taking its foreign key from a row of the open INSERT waits for the next one; its siblings join it there", () => {
      const root = new Category({ id: 1, name: "root", parentId: null });
      const other = new Category({ id: 2, name: "other", parentId: null });
      const child = new Category({ id: 3, name: "child" });
      const sibling = new Category({ id: 4, name: "sibling" });
      child.parent = root;
      sibling.parent = root;
      const result = plan({ pending: [root, other, child, sibling] });
      expect(shape(result)).toEqual(["insert Category(id=1) Category(id=2)", "insert Category(id=3) Category(id=4)"]);
      // Both steps give parent_id: set to NULL by hand, or synced from the parent.
      expect(stepsOf(result, "insert").map((step) => step.columns.map((c) => c.column.name))).toEqual([
        ["id", "name", "parent_id"],
        ["id", "name", "parent_id"],
      ]);
    });

    it("rows whose key the database generates are a step of their own (keysKnown false): RETURNING decides at run time how many statements", () => {
      const given = new User({ id: 20, name: "given" });
      const generated = new User({ name: "generated" });
      const result = plan({ pending: [given, generated] });
      expect(stepsOf(result, "insert").map((step) => [step.states.length, step.keysKnown])).toEqual([
        [1, true],
        [1, false],
      ]);
    });

    it("changed rows changing the same columns are one UPDATE step; unchanged ones are left out without splitting it", () => {
      const one = persistent(new User({ id: 1, name: "one", email: "1@x" }));
      const same = persistent(new User({ id: 2, name: "two", email: "2@x" }));
      const three = persistent(new User({ id: 3, name: "three", email: "3@x" }));
      const four = persistent(new User({ id: 4, name: "four", email: "4@x" }));
      one.name = "ONE";
      same.name = "two"; // set, but to the value it had
      three.name = "THREE";
      four.name = "FOUR";
      four.email = "four@x";
      const result = plan({ modified: [one, same, three, four] });
      expect(shape(result)).toEqual(["update User(id=1) User(id=3)", "update User(id=4)"]);
      expect(stepsOf(result, "update").map((step) => step.columns.map((c) => c.column.name))).toEqual([["name"], ["name", "email"]]);
    });

    it("a many-to-one assigned to a persistent object plans the foreign key column as changed", () => {
      const org = persistent(new Organization({ id: 9, name: "acme" }));
      const moved = persistent(new User({ id: 1, name: "moved", organizationId: 8 }));
      const renamed = persistent(new User({ id: 2, name: "renamed", organizationId: 8 }));
      moved.organization = org;
      renamed.name = "RENAMED";
      const result = plan({ modified: [moved, renamed] });
      expect(stepsOf(result, "update").map((step) => step.columns.map((c) => c.column.name))).toEqual([["organization_id"], ["name"]]);
    });

    it("prints as one line per step", () => {
      const org = new Organization({ id: 1, name: "acme" });
      const ann = new User({ id: 10, name: "ann" });
      const bob = new User({ id: 11, name: "bob" });
      ann.organization = org;
      bob.organization = org;
      const renamed = persistent(new User({ id: 5, name: "old" }));
      renamed.name = "renamed";
      const post = new Post({ id: 100, title: "hello" });
      post.author = ann;
      const tag = new Tag({ id: 7, name: "news" });
      post.tags = [tag];
      const gone = persistent(new Post({ id: 99, title: "gone", userId: 5 }));
      expect(formatFlushPlan(plan({ pending: [ann, bob, org, post, tag], modified: [renamed], deleted: [gone] }))).toEqual([
        "INSERT INTO organizations (id, name) × 1: Organization(id=1)",
        "UPDATE users SET name × 1: User(id=5)",
        "INSERT INTO users (id, name, organization_id) × 2: User(id=10), User(id=11)",
        "INSERT INTO posts (id, title, user_id) × 1: Post(id=100)",
        "INSERT INTO tags (id, name) × 1: Tag(id=7)",
        "INSERT INTO post_tags: Post(id=100) ↔ Tag(id=7)",
        "DELETE FROM posts × 1: Post(id=99)",
      ]);
    });
  });
});
