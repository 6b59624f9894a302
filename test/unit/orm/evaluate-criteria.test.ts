/**
 * The in-memory evaluator of `synchronizeSession: "evaluate"` without a database: values it can
 * compare as SQL would, and values of different kinds it cannot (the object is expired instead).
 */
import { describe, expect, it } from "vitest";
import { not } from "../../../src/index.ts";
import { mapperOfClass } from "../../../src/orm/mapper/registry.ts";
import type { Mapper } from "../../../src/orm/mapper/mapper.ts";
import { EXPIRED, compileEvaluator } from "../../../src/orm/query/evaluate-criteria.ts";
import { type InstanceState, STATE } from "../../../src/orm/state/instance-state.ts";
import { User } from "../../fixtures/uow-models/graph.ts";

const mapper = mapperOfClass(User) as Mapper;
const values = (user: User) => (user as unknown as { [STATE]: InstanceState })[STATE].slots();
const evaluate = (criterion: { node: unknown }, user: User) => compileEvaluator(criterion.node as never, mapper, undefined)(values(user));

describe("compileEvaluator", () => {
  const ann = new User({ id: 5, name: "ann", email: null });

  it("compares values of one kind as SQL does, NULL making the comparison NULL", () => {
    expect(evaluate(User.id.eq(5), ann)).toBe(true);
    expect(evaluate(User.id.ne(5), ann)).toBe(false);
    expect(evaluate(User.name.gt("al"), ann)).toBe(true);
    expect(evaluate(User.email.eq("x"), ann)).toBe(null);
  });

  it("a comparison of values of different kinds (a string against a number) is left to the database: EXPIRED, not false", () => {
    // The database may convert "5" to 5 (MySQL, SQLite's affinity) and match the row: in memory
    // neither `=` (false) nor `<>` (true) can be trusted.
    expect(evaluate(User.id.eq("5" as never), ann)).toBe(EXPIRED);
    expect(evaluate(User.id.ne("5" as never), ann)).toBe(EXPIRED);
    expect(evaluate(User.id.lt("6" as never), ann)).toBe(EXPIRED);
    expect(evaluate(User.id.isDistinctFrom("5" as never), ann)).toBe(EXPIRED);
  });
});

describe("compileEvaluator: IN and BETWEEN", () => {
  const ann = new User({ id: 5, name: "ann", email: null });

  it("IN matches a value of the same kind, is EXPIRED when a value of another kind could match, NULL after a NULL", () => {
    expect(evaluate(User.id.in([4, 5]), ann)).toBe(true);
    expect(evaluate(User.id.in([4, "5" as never]), ann)).toBe(EXPIRED);
    expect(evaluate(User.id.in([4, null as never]), ann)).toBe(null);
    expect(evaluate(User.id.notIn([4, 6]), ann)).toBe(true);
  });

  it("BETWEEN is inclusive at both ends; NOT of it its negation", () => {
    expect(evaluate(User.id.between(5, 9), ann)).toBe(true);
    expect(evaluate(User.id.between(6, 9), ann)).toBe(false);
    expect(evaluate(not(User.id.between(1, 5)), ann)).toBe(false);
  });
});
