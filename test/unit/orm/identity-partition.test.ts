import { describe, expect, it } from "vitest";
import { IdentityPartition } from "../../../src/orm/session/identity-partition.ts";
/** Stand-ins for instances: the partition only stores and returns them. */
const state = (name: string): object => ({ name });

function contents(partition: IdentityPartition): string[] {
  const states: object[] = [];
  partition.forEach((s) => states.push(s));
  return states.map((s) => (s as unknown as { name: string }).name).sort();
}

describe("IdentityPartition", () => {
  it("finds what it holds by integer, string and other keys, and nothing else", () => {
    const p = new IdentityPartition();
    p.set(1, state("one"));
    p.set("1", state("string one"));
    p.set(-3, state("minus three"));
    p.set(2.5, state("two and a half"));
    p.set("users\u00015n", state("bigint five"));
    expect((p.get(1) as unknown as { name: string }).name).toBe("one");
    expect((p.get("1") as unknown as { name: string }).name).toBe("string one");
    expect((p.get(-3) as unknown as { name: string }).name).toBe("minus three");
    expect((p.get(2.5) as unknown as { name: string }).name).toBe("two and a half");
    expect((p.get("users\u00015n") as unknown as { name: string }).name).toBe("bigint five");
    expect(p.get(2)).toBeUndefined();
    expect(p.get(0)).toBeUndefined();
    expect(p.size).toBe(5);
  });

  it("keeps far-apart integer keys without iterating the gaps", () => {
    const p = new IdentityPartition();
    p.set(1_000_000_000, state("far"));
    p.set(5, state("near"));
    p.set(2_147_483_647, state("int32 max"));
    p.set(2 ** 40, state("beyond int32"));
    expect(p.size).toBe(4);
    expect(contents(p)).toEqual(["beyond int32", "far", "int32 max", "near"]);
    expect((p.get(1_000_000_000) as unknown as { name: string }).name).toBe("far");
  });

  it("holds 10,000 sequential keys and iterates each once", () => {
    const p = new IdentityPartition();
    for (let i = 1; i <= 10_000; i++) p.set(i, state(String(i)));
    expect(p.size).toBe(10_000);
    const seen = new Set<object>();
    p.forEach((s) => seen.add(s));
    expect(seen.size).toBe(10_000);
    expect((p.get(9_999) as unknown as { name: string }).name).toBe("9999");
  });

  it("replaces on a second set, and deletes, wherever the key lives", () => {
    const p = new IdentityPartition();
    p.set(1, state("a"));
    p.set(1, state("b"));
    p.set(5_000, state("c")); // refused by the array (too far past its end): kept in the map
    for (let i = 2; i < 4_000; i++) p.set(i, state(`n${i}`));
    p.set(5_000, state("d")); // the array could take it now; it must stay in one place
    expect(p.size).toBe(4_000);
    expect((p.get(1) as unknown as { name: string }).name).toBe("b");
    expect((p.get(5_000) as unknown as { name: string }).name).toBe("d");
    p.delete(1);
    p.delete(5_000);
    p.delete(123_456); // absent: no effect
    expect(p.get(1)).toBeUndefined();
    expect(p.get(5_000)).toBeUndefined();
    expect(p.size).toBe(3_998);
    expect(contents(p)).not.toContain("d");
  });
});
