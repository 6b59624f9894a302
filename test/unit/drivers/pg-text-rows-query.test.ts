/**
 * The pg `Query` subclass that keeps data rows as pg's protocol parser made them (no second array
 * per row). Checked against the installed pg's own `Query` class, so that a pg release that changes
 * the internals it touches shows here rather than as a silent fallback.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import type { PgQueryConstructor } from "../../../src/core/drivers/pg/pg-api.ts";
import { textRowsQuery } from "../../../src/core/drivers/pg/text-rows-query.ts";

const identity = { getTypeParser: () => (value: string) => value };
type Internals = { _result: { rows: unknown[] }; _canceledDueToError: unknown };

describe("textRowsQuery", () => {
  it("subclasses the installed pg's Query: a data row's cells are kept as the very array pg parsed", () => {
    const TextRows = textRowsQuery(pg.Query as unknown as PgQueryConstructor);
    expect(TextRows).toBeDefined();
    expect(textRowsQuery(pg.Query as unknown as PgQueryConstructor)).toBe(TextRows);
    const query = new (TextRows as PgQueryConstructor)({ text: "SELECT 1", values: [], rowMode: "array", types: identity });
    expect(query).toBeInstanceOf(pg.Query);
    const cells = ["1", null, "ann"];
    query.handleDataRow({ fields: cells });
    expect((query as unknown as Internals)._result.rows).toEqual([cells]);
    expect((query as unknown as Internals)._result.rows[0]).toBe(cells);
  });

  it("takes the config's text, values, name and query mode as pg's own Query does (without pg's copy of the config)", () => {
    const TextRows = textRowsQuery(pg.Query as unknown as PgQueryConstructor) as PgQueryConstructor;
    const values = [1, "a"];
    const config = { text: "SELECT $1, $2", values, rowMode: "array" as const, types: identity, name: "s1", queryMode: "extended" as const };
    const ours = new TextRows(config) as unknown as Record<string, unknown>;
    const theirs = new pg.Query(config as never) as unknown as Record<string, unknown>;
    for (const field of ["text", "values", "name", "queryMode", "portal", "rows", "binary"]) expect(ours[field]).toEqual(theirs[field]);
    expect(ours.values).toBe(values);
    expect((ours as unknown as Internals)._result.rows).toEqual([]);
    expect(ours._canceledDueToError).toBe(false);
  });

  it("a row description records the columns and builds no per-column parsers (nothing reads them)", () => {
    const query = new (textRowsQuery(pg.Query as unknown as PgQueryConstructor) as PgQueryConstructor)({ text: "SELECT 1", values: [], rowMode: "array", types: identity });
    const fields = [{ name: "id", dataTypeID: 23 }];
    (query as unknown as { handleRowDescription(message: { fields: unknown }): void }).handleRowDescription({ fields });
    const result = (query as unknown as { _result: { fields: unknown; _parsers?: unknown } })._result;
    expect(result.fields).toBe(fields);
    expect(result._parsers).toBeUndefined();
  });

  it("drops the rows after an error, as pg's own Query does", () => {
    const query = new (textRowsQuery(pg.Query as unknown as PgQueryConstructor) as PgQueryConstructor)({ text: "SELECT 1", values: [], rowMode: "array", types: identity });
    (query as unknown as Internals)._canceledDueToError = new Error("boom");
    query.handleDataRow({ fields: ["1"] });
    expect((query as unknown as Internals)._result.rows).toEqual([]);
  });

  it("gives undefined (pg's plain Query is used) for a Query class without the internals it relies on", () => {
    class OtherQuery {
      handleDataRow(): void {}
    }
    expect(textRowsQuery(OtherQuery as unknown as PgQueryConstructor)).toBeUndefined();
  });
});
