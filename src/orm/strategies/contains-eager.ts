import type { AwaitedLoad, LoaderStrategy, RelationshipPlanning } from "../loading/loader-strategy.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { installRelationshipAccessor } from "./relationship-accessor.ts";
import { NOT_LOADED_NOTE, loadFromMemoryOrSelect, readOrMissingGreenlet } from "./unloaded-read.ts";

/**
 * `containsEager()` (an option only): the relationship is populated from a join the statement
 * already has; the loader adds no join of its own, only reads the target's columns from it.
 */
export class ContainsEagerLoader implements LoaderStrategy<"contains_eager"> {
  readonly name = "contains_eager";
  readonly eager = true;
  readonly joinsIntoStatement = false;
  readonly needsWholeResult = false;
  readonly populates = true;
  readonly unloadedNote = NOT_LOADED_NOTE;

  initClassAttribute(property: RelationshipProperty, prototype: object): void {
    installRelationshipAccessor(property, prototype);
  }

  plan(planning: RelationshipPlanning): void {
    planning.join(true);
  }

  readUnloaded(state: InstanceState, property: RelationshipProperty): unknown {
    return readOrMissingGreenlet(state, property, false);
  }

  loadAwaited(_state: InstanceState, _property: RelationshipProperty, load: AwaitedLoad): Promise<unknown> {
    return loadFromMemoryOrSelect(load);
  }

  explain(carrier: string): { statements: string; addsStatements: number } {
    return { statements: `0 (from ${carrier}'s own join)`, addsStatements: 0 };
  }
}
