import { describe, expect, it } from "vitest";
import { Result } from "../../../src/core/engine/result.ts";
import { InvalidRequestError, MultipleResultsFound } from "../../../src/shared/errors.ts";

const meta = { keys: ["0"], rowsAffected: 0, lastInsertId: undefined };
const a = { name: "a" };
const b = { name: "b" };

describe("Result.ofColumn (one-column results held as values)", () => {
  it("scalars() hands over the values; rows are one-element tuples when asked for", () => {
    expect(Result.ofColumn([a, b], meta).scalars().all()).toEqual([a, b]);
    expect(Result.ofColumn([a, b], meta).all()).toEqual([[a], [b]]);
    expect([...Result.ofColumn([a, b], meta)]).toEqual([[a], [b]]);
    expect(Result.ofColumn([a, b], meta).scalar()).toBe(a);
    expect(Result.ofColumn([], meta).first()).toBeNull();
    expect(() => Result.ofColumn([a, b], meta).scalarOne()).toThrow(MultipleResultsFound);
  });

  it("keeps its position: what first() consumed, scalars() does not return", () => {
    const result = Result.ofColumn([a, b], meta);
    expect(result.first()).toEqual([a]);
    expect(result.scalars().all()).toEqual([]);
    const partly = Result.ofColumn([a, b], meta);
    expect(partly.scalars().first()).toBe(a);
    expect(partly.all()).toEqual([]);
  });

  it("unique() and the unique-required rule behave as for tuple rows", () => {
    expect(Result.ofColumn([a, a, b], meta).unique().scalars().all()).toEqual([a, b]);
    const required = { ...meta, uniqueRequired: true };
    expect(() => Result.ofColumn([a, a], required).scalars().all()).toThrow(InvalidRequestError);
    expect(Result.ofColumn([a, a], required).unique().scalars().all()).toEqual([a]);
  });
});
