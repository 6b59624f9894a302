import type { AwaitedLoad, LoaderStrategy, RelationshipPlanning } from "../loading/loader-strategy.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { installRelationshipAccessor } from "./relationship-accessor.ts";
import { NOT_LOADED_NOTE, loadFromMemoryOrSelect, readOrMissingGreenlet } from "./unloaded-read.ts";

/**
 * `lazy: "select"` (the default) / `lazyload()`: the query leaves the relationship unloaded. Under
 * the async API a property read cannot run the lazy SELECT, so a read answers from memory (a NULL
 * key, a many-to-one's target in the identity map) or raises `MissingGreenlet` with the fix;
 * `await obj.awaitableAttrs.rel` runs it.
 */
export class LazyLoader implements LoaderStrategy<"select"> {
  readonly name = "select";
  readonly eager = false;
  readonly joinsIntoStatement = false;
  readonly needsWholeResult = false;
  readonly populates = true;
  readonly unloadedNote = NOT_LOADED_NOTE;

  initClassAttribute(property: RelationshipProperty, prototype: object): void {
    installRelationshipAccessor(property, prototype);
  }

  plan(planning: RelationshipPlanning): void {
    planning.leaveUnloaded(this.name);
  }

  readUnloaded(state: InstanceState, property: RelationshipProperty): unknown {
    return readOrMissingGreenlet(state, property, true);
  }

  loadAwaited(_state: InstanceState, _property: RelationshipProperty, load: AwaitedLoad): Promise<unknown> {
    return loadFromMemoryOrSelect(load);
  }

  explain(): { statements: string; addsStatements: number } {
    return { statements: "0", addsStatements: 0 };
  }
}
