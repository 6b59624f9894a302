import { describe, expect, it } from "vitest";
import { planDowngrade, planUpgrade } from "../../../src/migrations/graph/migration-plan.ts";
import { resolveTarget } from "../../../src/migrations/graph/resolve-target.ts";
import { RevisionGraph } from "../../../src/migrations/graph/revision-graph.ts";
import type { DownRevision, RevisionScript } from "../../../src/migrations/graph/revision-script.ts";
import { headsAfterDowngrade, headsAfterStamp, headsAfterUpgrade } from "../../../src/migrations/graph/version-heads.ts";
import {
  AmbiguousRevisionError,
  DuplicateRevisionError,
  InvalidTargetError,
  MultipleHeadsError,
  RevisionCycleError,
  RevisionNotFoundError,
} from "../../../src/migrations/migration-errors.ts";

function script(revision: string, downRevision: DownRevision): RevisionScript {
  return { revision, downRevision, upgrade: () => {}, downgrade: () => {} };
}

/** a1 → b2 → c3 (linear). */
const linear = new RevisionGraph([script("c3", "b2"), script("a1", null), script("b2", "a1")]);

/**
 * a1 → b2 → c3 ─┐
 *        └→ d4 ─┴→ e5 (merge) → f6
 */
const branched = new RevisionGraph([
  script("a1", null),
  script("b2", "a1"),
  script("c3", "b2"),
  script("d4", "b2"),
  script("e5", ["c3", "d4"]),
  script("f6", "e5"),
]);

/** b2 branches into c3 and d4, unmerged. */
const twoHeads = new RevisionGraph([script("a1", null), script("b2", "a1"), script("c3", "b2"), script("d4", "b2")]);

const ids = (revisions: readonly { id: string }[]): string[] => revisions.map((r) => r.id);

describe("RevisionGraph", () => {
  it("orders parents before children and finds heads and bases", () => {
    expect(linear.ids).toEqual(["a1", "b2", "c3"]);
    expect(linear.heads).toEqual(["c3"]);
    expect(linear.bases).toEqual(["a1"]);
    expect(branched.ids).toEqual(["a1", "b2", "c3", "d4", "e5", "f6"]);
    expect(branched.get("b2").isBranchPoint).toBe(true);
    expect(branched.get("e5").isMergePoint).toBe(true);
    expect(twoHeads.heads).toEqual(["c3", "d4"]);
  });

  it("resolves unique prefixes and refuses ambiguous or unknown ones", () => {
    const graph = new RevisionGraph([script("ae1027a6acf", null), script("ae1975ea83b", "ae1027a6acf"), script("1b2c", "ae1975ea83b")]);
    expect(graph.get("ae10").id).toBe("ae1027a6acf");
    expect(graph.get("1b").id).toBe("1b2c");
    expect(() => graph.get("ae1")).toThrow(AmbiguousRevisionError);
    expect(() => graph.get("ae1")).toThrow("Multiple revisions start with 'ae1': ae1027a6acf, ae1975ea83b");
    expect(() => graph.get("zz")).toThrow(RevisionNotFoundError);
  });

  it("reports a missing down revision, a duplicate id and a cycle", () => {
    expect(() => new RevisionGraph([script("a1", null), script("b2", "x9")])).toThrow(
      "Revision x9 referenced from b2 is not present",
    );
    expect(() => new RevisionGraph([script("a1", null), script("a1", null)])).toThrow(DuplicateRevisionError);
    expect(() => new RevisionGraph([script("a1", null), script("b2", ["a1", "c3"]), script("c3", "b2")])).toThrow(RevisionCycleError);
    expect(() => new RevisionGraph([script("a1", "a1")])).toThrow("Cycle is detected in revisions (a1)");
  });

  it("refuses `head` when there are several heads", () => {
    expect(() => resolveTarget(twoHeads, "head", [])).toThrow(MultipleHeadsError);
    expect(resolveTarget(twoHeads, "heads", [])).toEqual(["c3", "d4"]);
  });
});

describe("resolveTarget", () => {
  it("head, base, ids and relative steps", () => {
    expect(resolveTarget(linear, "head", [])).toEqual(["c3"]);
    expect(resolveTarget(linear, "base", ["c3"])).toEqual([]);
    expect(resolveTarget(linear, "b", [])).toEqual(["b2"]);
    expect(resolveTarget(linear, "+1", [])).toEqual(["a1"]);
    expect(resolveTarget(linear, "+2", ["a1"])).toEqual(["c3"]);
    expect(resolveTarget(linear, "-1", ["c3"])).toEqual(["b2"]);
    expect(resolveTarget(linear, "-1", ["a1"])).toEqual([]);
    expect(resolveTarget(linear, "head-2", [])).toEqual(["a1"]);
    expect(resolveTarget(linear, "a1+1", [])).toEqual(["b2"]);
  });

  it("refuses steps past the ends and across branch or merge points", () => {
    expect(() => resolveTarget(linear, "+4", [])).toThrow("Relative revision +4 didn't produce 4 migrations");
    expect(() => resolveTarget(linear, "-3", ["b2"])).toThrow(InvalidTargetError);
    expect(() => resolveTarget(branched, "+1", ["b2"])).toThrow(/ambiguous at branch point b2/);
    expect(() => resolveTarget(branched, "-1", ["e5"])).toThrow(/ambiguous at merge point e5/);
    expect(() => resolveTarget(twoHeads, "-1", ["c3", "d4"])).toThrow(/several heads/);
  });
});

describe("planning", () => {
  it("upgrades what is missing, parents first, and refuses a target below the current one", () => {
    expect(ids(planUpgrade(linear, [], ["c3"]))).toEqual(["a1", "b2", "c3"]);
    expect(ids(planUpgrade(linear, ["a1"], ["c3"]))).toEqual(["b2", "c3"]);
    expect(ids(planUpgrade(linear, ["c3"], ["c3"]))).toEqual([]);
    expect(() => planUpgrade(linear, ["c3"], ["a1"])).toThrow(/not a valid upgrade target/);
    expect(ids(planUpgrade(branched, ["c3"], ["f6"]))).toEqual(["d4", "e5", "f6"]);
  });

  it("downgrades descendants of the target only, children first", () => {
    expect(ids(planDowngrade(linear, ["c3"], []))).toEqual(["c3", "b2", "a1"]);
    expect(ids(planDowngrade(linear, ["c3"], ["a1"]))).toEqual(["c3", "b2"]);
    expect(ids(planDowngrade(twoHeads, ["c3", "d4"], ["c3"]))).toEqual([]);
    expect(ids(planDowngrade(twoHeads, ["c3", "d4"], ["b2"]))).toEqual(["d4", "c3"]);
    expect(ids(planDowngrade(branched, ["f6"], ["c3"]))).toEqual(["f6", "e5"]); // d4 stays: heads c3, d4
    expect(() => planDowngrade(linear, ["a1"], ["c3"])).toThrow(/not a valid downgrade target/);
  });
});

describe("version heads (Alembic's HeadMaintainer)", () => {
  it("updates the parent's row, inserts a base or a second branch, merges rows", () => {
    let step = headsAfterUpgrade([], branched.get("a1"));
    expect(step.changes).toEqual([{ kind: "insert", id: "a1" }]);
    step = headsAfterUpgrade(["a1"], branched.get("b2"));
    expect(step).toEqual({ heads: ["b2"], changes: [{ kind: "update", from: "a1", to: "b2" }] });
    step = headsAfterUpgrade(["b2"], branched.get("c3"));
    expect(step.heads).toEqual(["c3"]);
    step = headsAfterUpgrade(["c3"], branched.get("d4"));
    expect(step).toEqual({ heads: ["c3", "d4"], changes: [{ kind: "insert", id: "d4" }] });
    step = headsAfterUpgrade(["c3", "d4"], branched.get("e5"));
    expect(step).toEqual({
      heads: ["e5"],
      changes: [
        { kind: "delete", id: "c3" },
        { kind: "update", from: "d4", to: "e5" },
      ],
    });
  });

  it("downgrading a merge point restores both parents; a branch over a shared parent is deleted", () => {
    expect(headsAfterDowngrade(branched, ["e5"], branched.get("e5"))).toEqual({
      heads: ["c3", "d4"],
      changes: [
        { kind: "update", from: "e5", to: "c3" },
        { kind: "insert", id: "d4" },
      ],
    });
    expect(headsAfterDowngrade(branched, ["c3", "d4"], branched.get("d4"))).toEqual({
      heads: ["c3"],
      changes: [{ kind: "delete", id: "d4" }],
    });
    expect(headsAfterDowngrade(branched, ["a1"], branched.get("a1"))).toEqual({ heads: [], changes: [{ kind: "delete", id: "a1" }] });
  });

  it("stamp replaces the rows", () => {
    expect(headsAfterStamp(branched, ["c3"], ["f6"])).toEqual({
      heads: ["f6"],
      changes: [
        { kind: "delete", id: "c3" },
        { kind: "insert", id: "f6" },
      ],
    });
    expect(headsAfterStamp(branched, ["f6"], [])).toEqual({ heads: [], changes: [{ kind: "delete", id: "f6" }] });
  });
});
