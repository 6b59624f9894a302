import type { RelationshipPlanning } from "../loading/loader-strategy.ts";
import { PopulatingLoader } from "./populating-loader.ts";

/**
 * `containsEager()` (an option only): the relationship is populated from a join the statement
 * already has; the loader adds no join of its own, only reads the target's columns from it.
 */
export class ContainsEagerLoader extends PopulatingLoader<"contains_eager"> {
  readonly name = "contains_eager";
  readonly eager = true;

  plan(planning: RelationshipPlanning): void {
    planning.join(true);
  }

  explain(carrier: string): { statements: string; addsStatements: number } {
    return { statements: `0 (from ${carrier}'s own join)`, addsStatements: 0 };
  }
}
