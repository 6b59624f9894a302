import { describe, expect, it } from "vitest";
import { Result } from "../../../src/core/engine/result.ts";
import { InvalidRequestError, MultipleResultsFound, NoResultFound, ResourceClosedError } from "../../../src/shared/errors.ts";

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

  it("shares its rows with scalars(): what one fetched the other does not see, and first() closes both", () => {
    const result = Result.ofColumn([a, b], meta);
    expect(result.fetchmany(1)).toEqual([[a]]);
    expect(result.scalars().all()).toEqual([b]);
    expect(result.all()).toEqual([]);
    const partly = Result.ofColumn([a, b], meta);
    expect(partly.scalars().first()).toBe(a);
    expect(() => partly.all()).toThrow(ResourceClosedError);
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

/**
 * SQLAlchemy 2.0's two ends of a result (engine/result.py `IteratorResult._soft_close`, cursor.py
 * `NoCursorDQLFetchStrategy._non_result`): read to its end it is soft closed and fetches return
 * nothing; `close()` and the one-row methods (`_only_one_row` ends with a hard close) make every
 * further fetch raise ResourceClosedError.
 */
describe("closing: read to the end vs closed", () => {
  const objects = () => new Result([{ n: 1 }, { n: 2 }], { ...meta, keys: ["n"] });

  it("all() then all(), fetchmany(), fetchone() and iteration: nothing, no error, not closed", () => {
    const result = objects();
    expect(result.all()).toHaveLength(2);
    expect(result.all()).toEqual([]);
    expect(result.fetchall()).toEqual([]);
    expect(result.fetchmany(3)).toEqual([]);
    expect(result.fetchone()).toBeNull();
    expect([...result]).toEqual([]);
    expect(result.closed).toBe(false);
    // Soft closed: the one-row methods still answer, from no rows (then close).
    expect(result.first()).toBeNull();
    expect(result.closed).toBe(true);
  });

  it("first(), one(), oneOrNone(), scalar(), scalarOne(), scalarOneOrNone() close the result, whatever they found", () => {
    const cases: [string, (r: Result<{ n: number }>) => unknown][] = [
      ["first", (r) => r.first()],
      ["one on two rows", (r) => r.one()],
      ["oneOrNone on two rows", (r) => r.oneOrNone()],
      ["scalar", (r) => r.scalar()],
      ["scalarOne on two rows", (r) => r.scalarOne()],
      ["scalarOneOrNone on two rows", (r) => r.scalarOneOrNone()],
    ];
    for (const [what, call] of cases) {
      const result = objects();
      try {
        call(result);
      } catch (error) {
        expect(error, what).toBeInstanceOf(MultipleResultsFound);
      }
      expect(result.closed, what).toBe(true);
      expect(() => result.all(), what).toThrow(ResourceClosedError);
      expect(() => result.fetchone(), what).toThrow("This result object is closed.");
      expect(() => result.fetchmany(1), what).toThrow(ResourceClosedError);
      expect(() => result.first(), what).toThrow(ResourceClosedError);
      expect(() => [...result], what).toThrow(ResourceClosedError);
      expect(result.keys(), what).toEqual(["n"]);
    }
    const empty = new Result<{ n: number }>([], { ...meta, keys: ["n"] });
    expect(() => empty.one()).toThrow(NoResultFound);
    expect(() => empty.oneOrNone()).toThrow(ResourceClosedError);
  });

  it("one() names 'exactly one', oneOrNone() 'one or none', as SQLAlchemy's messages", () => {
    expect(() => objects().one()).toThrow("Multiple rows were found when exactly one was required");
    expect(() => objects().oneOrNone()).toThrow("Multiple rows were found when one or none was required");
    expect(() => objects().scalars().one()).toThrow("Multiple rows were found when exactly one was required");
  });

  it("close() closes the result and every view over it; ResourceClosedError is an InvalidRequestError", () => {
    const result = objects();
    const scalars = result.scalars();
    const mappings = result.mappings();
    result.close();
    result.close();
    expect(scalars.closed).toBe(true);
    expect(() => scalars.all()).toThrow(ResourceClosedError);
    expect(() => mappings.fetchone()).toThrow(ResourceClosedError);
    expect(() => result.unique().all()).toThrow(InvalidRequestError);
    const viaView = objects();
    viaView.scalars().close();
    expect(viaView.closed).toBe(true);
  });

  it("iteration reads as it goes: breaking out leaves the rest; close() mid-way stops it", () => {
    const result = new Result([{ n: 1 }, { n: 2 }, { n: 3 }], { ...meta, keys: ["n"] });
    for (const row of result) {
      expect(row).toEqual({ n: 1 });
      break;
    }
    expect(result.fetchone()).toEqual({ n: 2 });
    expect(result.all()).toEqual([{ n: 3 }]);
    const closing = new Result([{ n: 1 }, { n: 2 }], { ...meta, keys: ["n"] });
    expect(() => {
      for (const _ of closing) closing.close();
    }).toThrow(ResourceClosedError);
  });

  it("async iteration follows the same rules", async () => {
    const result = objects();
    const seen: unknown[] = [];
    for await (const row of result) seen.push(row);
    expect(seen).toEqual([{ n: 1 }, { n: 2 }]);
    result.close();
    await expect(async () => {
      for await (const _ of result) void _;
    }).rejects.toThrow(ResourceClosedError);
  });
});

describe("mappings() and tuples()", () => {
  it("Core rows: mappings() hands the object rows over as they are, with fetchone, fetchmany and partitions", () => {
    const rows = [{ n: 1 }, { n: 2 }, { n: 3 }];
    expect(new Result(rows, { ...meta, keys: ["n"] }).mappings().all()).toBe(rows);
    const mappings = new Result(rows, { ...meta, keys: ["n"] }).mappings();
    expect(mappings.keys()).toEqual(["n"]);
    expect(mappings.fetchone()).toEqual({ n: 1 });
    expect(mappings.fetchmany(1)).toEqual([{ n: 2 }]);
    expect([...mappings.partitions(5)]).toEqual([[{ n: 3 }]]);
    expect(mappings.fetchone()).toBeNull();
    expect(new Result([{ n: 1 }, { n: 1 }], { ...meta, keys: ["n"] }).mappings().unique().all()).toEqual([{ n: 1 }]);
  });

  it("tuple rows: mappings() keys each element, the first of a repeated key winning", () => {
    const keys = ["User", "name", "User"];
    const result = new Result([[a, "ann", b]], { ...meta, keys });
    expect(result.mappings().one()).toEqual({ User: a, name: "ann" });
    expect(Result.ofColumn([a, b], { ...meta, keys: ["User"] }).mappings().all()).toEqual([{ User: a }, { User: b }]);
  });

  it("tuples(): ORM rows are the same result; Core rows become their values in key order", () => {
    const orm = new Result([[a, 1]], { ...meta, keys: ["User", "id"] });
    expect(orm.tuples()).toBe(orm);
    const core = new Result([{ id: 1, name: "ann" }, { id: 2, name: "bob" }], { ...meta, keys: ["id", "name"] });
    const tuples = core.tuples();
    expect(tuples.fetchone()).toEqual([1, "ann"]);
    expect(core.all()).toEqual([{ id: 2, name: "bob" }]);
    expect(new Result([{ n: 1 }, { n: 1 }], { ...meta, keys: ["n"] }).tuples().unique().all()).toEqual([[1]]);
  });

  it("scalars(key): by key or index on tuple rows, by key or index on object rows; an unknown key raises", () => {
    const tuples = () => new Result([[a, "ann"]], { ...meta, keys: ["User", "name"] });
    expect(tuples().scalars("name" as never).all()).toEqual(["ann"]);
    expect(tuples().scalars(1).all()).toEqual(["ann"]);
    expect(tuples().scalars().all()).toEqual([a]);
    expect(() => tuples().scalars("nope" as never)).toThrow("Could not locate column in row for column 'nope'");
    const objects = () => new Result([{ id: 7, name: "ann" }], { ...meta, keys: ["id", "name"] });
    expect(objects().scalars("name").all()).toEqual(["ann"]);
    expect(objects().scalars(1 as never).all()).toEqual(["ann"]);
  });

  it("unique() carries into scalars() and mappings() made from it", () => {
    const rows = () => new Result([[a, 1], [a, 1], [b, 2]], { ...meta, keys: ["User", "id"], uniqueRequired: true });
    expect(rows().unique().scalars().all()).toEqual([a, b]);
    expect(rows().unique().mappings().all()).toEqual([{ User: a, id: 1 }, { User: b, id: 2 }]);
    expect(() => rows().mappings().all()).toThrow(InvalidRequestError);
    expect(rows().unique().one.bind(rows().unique())).toThrow(MultipleResultsFound);
    expect(new Result([[a, 1], [a, 1]], { ...meta, keys: ["User", "id"] }).unique().one()).toEqual([a, 1]);
  });
});
