import type { RelationshipPlanning } from "../loading/loader-strategy.ts";
import { PopulatingLoader } from "./populating-loader.ts";

/**
 * `lazy: "joined"` / `joinedload()`: an aliased `LEFT OUTER JOIN` (or `JOIN`, `innerjoin`) in the
 * parents' statement, the target's columns appended, its rows split into instances as the parents
 * load. A collection repeats parents across rows, so the result needs `unique()`, and a LIMIT
 * statement is wrapped in a subquery first.
 */
export class JoinedLoader extends PopulatingLoader<"joined"> {
  readonly name = "joined";
  readonly eager = true;
  override readonly joinsIntoStatement = true;

  plan(planning: RelationshipPlanning): void {
    planning.join(false);
  }

  explain(carrier: string): { statements: string; addsStatements: number } {
    return { statements: `0 (joined into ${carrier})`, addsStatements: 0 };
  }
}
