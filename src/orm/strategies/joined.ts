import type { AwaitedLoad, LoaderStrategy, RelationshipPlanning } from "../loading/loader-strategy.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { installRelationshipAccessor } from "./relationship-accessor.ts";
import { NOT_LOADED_NOTE, loadFromMemoryOrSelect, readOrMissingGreenlet } from "./unloaded-read.ts";

/**
 * `lazy: "joined"` / `joinedload()`: an aliased `LEFT OUTER JOIN` (or `JOIN`, `innerjoin`) in the
 * parents' statement, the target's columns appended, its rows split into instances as the parents
 * load. A collection repeats parents across rows, so the result needs `unique()`, and a LIMIT
 * statement is wrapped in a subquery first.
 */
export class JoinedLoader implements LoaderStrategy<"joined"> {
  readonly name = "joined";
  readonly eager = true;
  readonly joinsIntoStatement = true;
  readonly needsWholeResult = false;
  readonly populates = true;
  readonly unloadedNote = NOT_LOADED_NOTE;

  initClassAttribute(property: RelationshipProperty, prototype: object): void {
    installRelationshipAccessor(property, prototype);
  }

  plan(planning: RelationshipPlanning): void {
    planning.join(false);
  }

  /** Left unloaded (a cycle stopped it, or the object came from another query): as a lazy read. */
  readUnloaded(state: InstanceState, property: RelationshipProperty): unknown {
    return readOrMissingGreenlet(state, property, false);
  }

  loadAwaited(_state: InstanceState, _property: RelationshipProperty, load: AwaitedLoad): Promise<unknown> {
    return loadFromMemoryOrSelect(load);
  }

  explain(carrier: string): { statements: string; addsStatements: number } {
    return { statements: `0 (joined into ${carrier})`, addsStatements: 0 };
  }
}
