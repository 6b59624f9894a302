import { describe, expect, it } from "vitest";
import { ArgumentError, declarativeBase, Integer, mappedColumn, relationship, StringType } from "../../../src/index.ts";
import { MAPPER } from "../../../src/orm/mapper/registry.ts";

describe("model options: versionIdCol", () => {
  const spec = {
    id: mappedColumn(Integer, { primaryKey: true }),
    version: mappedColumn(Integer, { nullable: false }),
    token: mappedColumn(StringType(32)),
    items: relationship<object[]>("Item"),
  } as const;

  it("names the mapper's version column; the default generator counts from 1", () => {
    const Base = declarativeBase();
    const Thing = Base.model("things", spec, { versionIdCol: "version" });
    const mapper = Thing[MAPPER];
    expect(mapper.versionColumn?.key).toBe("version");
    const next = mapper.versionGenerator as (current: unknown) => unknown;
    expect([next(null), next(1), next(41)]).toEqual([1, 2, 42]);
    expect(Base.model("plain", spec)[MAPPER].versionColumn).toBeUndefined();
  });

  it("takes a generator typed by the column, or false for a version the database makes", () => {
    const Base = declarativeBase();
    const Tokens = Base.model("tokens", spec, { versionIdCol: "token", versionIdGenerator: (current: string | null) => `${current ?? ""}x` });
    expect((Tokens[MAPPER].versionGenerator as (c: unknown) => unknown)("x")).toBe("xx");
    expect(Base.model("server", spec, { versionIdCol: "version", versionIdGenerator: false })[MAPPER].versionGenerator).toBe(false);
    // @ts-expect-error: a generator of the wrong type for the column
    Base.model("wrong", spec, { versionIdCol: "version", versionIdGenerator: (current: number | null) => String(current) });
  });

  it("rejects a key that is not a column attribute, and a generator without a column", () => {
    const Base = declarativeBase();
    // @ts-expect-error: not an attribute of the spec
    expect(() => Base.model("a", spec, { versionIdCol: "missing" })).toThrow(ArgumentError);
    // @ts-expect-error: a relationship, not a column
    expect(() => Base.model("b", spec, { versionIdCol: "items" })).toThrow(/versionIdCol "items" is not a column attribute/);
    expect(() => Base.model("c", spec, { versionIdGenerator: false })).toThrow(/versionIdGenerator needs versionIdCol/);
  });
});
