/**
 * The keys of ORM rows, as SQLAlchemy 2.0 gives them (orm/context.py: an entity's `_label_name` is
 * its class name; a column's comes from `SelectState._column_naming_convention`, which names a
 * repeated key `<key>_1`, `<key>_2`… and an anonymous expression `_no_label`).
 */
import { describe, expect, it } from "vitest";
import { func, select } from "../../../src/index.ts";
import type { EntitySelect } from "../../../src/orm/query/entity-select.ts";
import { asTupleRow, tupleRowPrototype } from "../../../src/core/engine/tuple-row.ts";
import { Organization, User } from "../../fixtures/loading-models/blog.ts";

const keysOf = (statement: unknown) => (statement as EntitySelect<readonly unknown[]>).resultKeys;

describe("ORM result keys", () => {
  it("an entity by its class name, a column by its key (the attribute's, not the table column's)", () => {
    expect(keysOf(select(User))).toEqual(["User"]);
    expect(keysOf(select(User, Organization))).toEqual(["User", "Organization"]);
    expect(keysOf(select(User, User.name, User.organizationId))).toEqual(["User", "name", "organizationId"]);
  });

  it("a label by its name, a function by its name, an anonymous expression _no_label", () => {
    expect(keysOf(select(User, User.name.label("n"), func.count(User.id)))).toEqual(["User", "n", "count"]);
    expect(keysOf(select(User, User.id.add(1), User.id.add(2)))).toEqual(["User", "_no_label", "_no_label_1"]);
  });

  it("a repeated column key gets _1, _2; entity keys are not deduplicated", () => {
    expect(keysOf(select(User, User.name, Organization.name, User.name))).toEqual(["User", "name", "name_1", "name_2"]);
    expect(keysOf(select(User, User))).toEqual(["User", "User"]);
  });

  it("keys survive the builder methods", () => {
    expect(keysOf(select(User, User.name).where(User.id.eq(1)).orderBy(User.id).limit(2))).toEqual(["User", "name"]);
  });
});

describe("tuple rows with keys", () => {
  it("read by index, by key and by destructuring; a key shadowed by an array member keeps the array's meaning", () => {
    const row = asTupleRow(["u", "ann", 99, "x"], tupleRowPrototype(["User", "name", "length", "0"]));
    const [user, name] = row;
    expect([user, name]).toEqual(["u", "ann"]);
    expect((row as unknown as { User: string }).User).toBe("u");
    expect((row as unknown as { name: string }).name).toBe("ann");
    expect(row.length).toBe(4);
    expect(Array.isArray(row)).toBe(true);
    expect(Object.keys(row)).toEqual(["0", "1", "2", "3"]);
    expect(JSON.stringify(row)).toBe('["u","ann",99,"x"]');
    // map() and slice() give plain arrays: their elements no longer line up with the keys.
    expect(Object.getPrototypeOf(row.map((v) => v))).toBe(Array.prototype);
  });

  it("one prototype per list of keys", () => {
    expect(tupleRowPrototype(["A", "b"])).toBe(tupleRowPrototype(["A", "b"]));
    expect(tupleRowPrototype(["A", "b"])).not.toBe(tupleRowPrototype(["A", "c"]));
  });
});
