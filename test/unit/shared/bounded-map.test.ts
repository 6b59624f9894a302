import { describe, expect, it } from "vitest";
import { setBounded } from "../../../src/shared/bounded-map.ts";

describe("setBounded", () => {
  it("drops the oldest entry when a new key would pass the bound", () => {
    const map = new Map([["a", 1], ["b", 2]]);
    setBounded(map, "c", 3, 2);
    expect([...map]).toEqual([["b", 2], ["c", 3]]);
  });

  it("replaces a key it holds without dropping another", () => {
    const map = new Map([["a", 1], ["b", 2]]);
    setBounded(map, "a", 10, 2);
    expect([...map]).toEqual([["a", 10], ["b", 2]]);
  });
});
