import type { AwaitedLoad, LoaderStrategy, RelationshipPlanning } from "../loading/loader-strategy.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { installRelationshipAccessor } from "./relationship-accessor.ts";

/** `lazy: "noload"` / `noload()`: the relationship never loads; it reads as empty (`[]` or `null`). */
export class NoLoader implements LoaderStrategy<"noload"> {
  readonly name = "noload";
  readonly eager = false;
  readonly joinsIntoStatement = false;
  readonly needsWholeResult = false;
  readonly populates = true;
  readonly unloadedNote = "reads as empty";

  initClassAttribute(property: RelationshipProperty, prototype: object): void {
    installRelationshipAccessor(property, prototype);
  }

  plan(planning: RelationshipPlanning): void {
    planning.neverLoad();
  }

  readUnloaded(_state: InstanceState, property: RelationshipProperty): unknown {
    return property.join.uselist ? [] : null;
  }

  async loadAwaited(_state: InstanceState, _property: RelationshipProperty, load: AwaitedLoad): Promise<unknown> {
    return load.read();
  }

  explain(): { statements: string; addsStatements: number } {
    return { statements: "0", addsStatements: 0 };
  }
}
