import { describe, expect, it } from "vitest";
import type { LoaderStrategies, LoaderStrategy, StrategyName } from "../../../src/orm/loading/loader-strategy.ts";
import { LOADER_STRATEGIES } from "../../../src/orm/strategies/registry.ts";
import { JoinedLoader } from "../../../src/orm/strategies/joined.ts";
import { LazyLoader } from "../../../src/orm/strategies/select.ts";

const ALL: readonly StrategyName[] = ["select", "joined", "selectin", "subquery", "immediate", "raise", "raise_on_sql", "noload", "write_only", "contains_eager"];

describe("loader strategy registry", () => {
  it("registers one strategy per name, under its own name", () => {
    expect(Object.keys(LOADER_STRATEGIES).sort()).toEqual([...ALL].sort());
    for (const name of ALL) expect(LOADER_STRATEGIES[name].name).toBe(name);
  });

  it("post loads are exactly the strategies with a postLoad hook", () => {
    const withPostLoad = ALL.filter((name) => (LOADER_STRATEGIES[name] as LoaderStrategy).postLoad !== undefined);
    expect(withPostLoad.sort()).toEqual(["immediate", "selectin", "subquery"]);
  });

  it("does not compile with a strategy left out or filed under another name", () => {
    const { joined: _, ...withoutJoined } = LOADER_STRATEGIES;
    // @ts-expect-error joined is missing
    const missing: LoaderStrategies = withoutJoined;
    // @ts-expect-error a LazyLoader is not the joined strategy
    const misfiled: LoaderStrategies = { ...LOADER_STRATEGIES, joined: new LazyLoader() };
    const complete: LoaderStrategies = { ...LOADER_STRATEGIES, joined: new JoinedLoader() };
    expect([missing, misfiled, complete].length).toBe(3);
  });
});
