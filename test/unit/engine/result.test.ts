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

describe("fetchmany() and partitions() (SQLAlchemy's)", () => {
  const rows = () => new Result([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }, { n: 5 }], { ...meta, keys: ["n"] });

  it("fetchmany(size) hands out the next rows, fewer at the end, then []; other fetches see only what is left", () => {
    const result = rows();
    expect(result.fetchmany(2)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(result.first()).toEqual({ n: 3 });
    const again = rows();
    again.fetchmany(4);
    expect(again.fetchmany(4)).toEqual([{ n: 5 }]);
    expect(again.fetchmany(4)).toEqual([]);
    expect(rows().scalars().fetchmany(3)).toEqual([1, 2, 3]);
  });

  it("partitions(size) yields lists of size, the last shorter; a bad size is an ArgumentError", () => {
    expect([...rows().partitions(2)]).toEqual([[{ n: 1 }, { n: 2 }], [{ n: 3 }, { n: 4 }], [{ n: 5 }]]);
    expect([...rows().scalars().partitions(5)]).toEqual([[1, 2, 3, 4, 5]]);
    expect(() => rows().fetchmany(0)).toThrow(/size must be a whole number/);
    expect(() => [...rows().partitions(1.5)]).toThrow(/size must be a whole number/);
  });

  it("both keep the unique() requirement of joined eager collections", () => {
    const required = Result.ofColumn([a, a], { ...meta, uniqueRequired: true });
    expect(() => required.fetchmany(1)).toThrow(InvalidRequestError);
    expect(Result.ofColumn([a, a, b], { ...meta, uniqueRequired: true }).unique().fetchmany(5)).toEqual([[a], [b]]);
  });
});
