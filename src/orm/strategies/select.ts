import type { RelationshipPlanning } from "../loading/loader-strategy.ts";
import { PopulatingLoader } from "./populating-loader.ts";

/**
 * `lazy: "select"` (the default) / `lazyload()`: the query leaves the relationship unloaded. Under
 * the async API a property read cannot run the lazy SELECT, so a read answers from memory (a NULL
 * key, a many-to-one's target in the identity map) or raises `MissingGreenlet` with the fix;
 * `await obj.awaitableAttrs.rel` runs it.
 */
export class LazyLoader extends PopulatingLoader<"select"> {
  readonly name = "select";
  readonly eager = false;
  protected override readonly lazyRead = true;

  plan(planning: RelationshipPlanning): void {
    planning.leaveUnloaded(this.name);
  }

  explain(): { statements: string; addsStatements: number } {
    return { statements: "0", addsStatements: 0 };
  }
}
