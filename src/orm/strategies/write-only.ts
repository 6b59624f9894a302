import type { AwaitedLoad, LoaderStrategy } from "../loading/loader-strategy.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { WriteOnlyCollection } from "./write-only-collection.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { installRelationshipAccessor } from "./relationship-accessor.ts";
import { loadFromMemoryOrSelect, readOrMissingGreenlet } from "./unloaded-read.ts";

/**
 * `lazy: "write_only"`: the attribute is a `WriteOnlyCollection` (add, remove, `select()` for
 * reading); it is never populated, so queries plan nothing for it and eager options are refused.
 */
export class WriteOnlyLoader implements LoaderStrategy<"write_only"> {
  readonly name = "write_only";
  readonly eager = false;
  readonly joinsIntoStatement = false;
  readonly needsWholeResult = false;
  readonly populates = false;
  readonly unloadedNote = "a write-only collection";

  initClassAttribute(property: RelationshipProperty, prototype: object): void {
    installRelationshipAccessor(property, prototype, (state) => new WriteOnlyCollection(state, property));
  }

  plan(): void {}

  /** Not reached through the accessor (it returns the collection); as a lazy read otherwise. */
  readUnloaded(state: InstanceState, property: RelationshipProperty): unknown {
    return readOrMissingGreenlet(state, property, false);
  }

  loadAwaited(_state: InstanceState, _property: RelationshipProperty, load: AwaitedLoad): Promise<unknown> {
    return loadFromMemoryOrSelect(load);
  }

  explain(): { statements: string; addsStatements: number } {
    return { statements: "0", addsStatements: 0 };
  }
}
