import type { AwaitedLoad, LoaderStrategy, RelationshipPlanning } from "../loading/loader-strategy.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { notAvailable } from "./raise.ts";
import { installRelationshipAccessor } from "./relationship-accessor.ts";
import { readFromMemory } from "./unloaded-read.ts";

/**
 * `lazy: "raise_on_sql"` / `raiseload(…, { sqlOnly: true })`: a read that memory answers (a NULL
 * key, a many-to-one's target in the identity map) works; one that would need SQL raises, awaited
 * or not.
 */
export class RaiseOnSqlLoader implements LoaderStrategy<"raise_on_sql"> {
  readonly name = "raise_on_sql";
  readonly eager = false;
  readonly joinsIntoStatement = false;
  readonly needsWholeResult = false;
  readonly populates = true;
  readonly unloadedNote = "reading it raises unless no SQL is needed";

  initClassAttribute(property: RelationshipProperty, prototype: object): void {
    installRelationshipAccessor(property, prototype);
  }

  plan(planning: RelationshipPlanning): void {
    planning.leaveUnloaded(this.name);
  }

  readUnloaded(state: InstanceState, property: RelationshipProperty): unknown {
    const known = readFromMemory(state, property);
    if (known !== UNLOADED) return known;
    throw notAvailable(state, property, this.name);
  }

  loadAwaited(_state: InstanceState, _property: RelationshipProperty, load: AwaitedLoad): Promise<unknown> {
    return load.operation(async () => {
      const known = load.inMemory();
      return known !== UNLOADED ? known : load.read();
    });
  }

  explain(): { statements: string; addsStatements: number } {
    return { statements: "0", addsStatements: 0 };
  }
}
