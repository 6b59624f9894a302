import { InvalidRequestError } from "../../shared/errors.ts";
import type { AwaitedLoad, LoaderStrategy, RelationshipPlanning } from "../loading/loader-strategy.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { installRelationshipAccessor } from "./relationship-accessor.ts";

/**
 * `lazy: "raise"` / `raiseload()`: reading the unloaded relationship raises SQLAlchemy's
 * `InvalidRequestError`, even when memory could answer; so does awaiting it.
 */
export class RaiseLoader implements LoaderStrategy<"raise"> {
  readonly name = "raise";
  readonly eager = false;
  readonly joinsIntoStatement = false;
  readonly needsWholeResult = false;
  readonly populates = true;
  readonly unloadedNote = "reading it raises InvalidRequestError";

  initClassAttribute(property: RelationshipProperty, prototype: object): void {
    installRelationshipAccessor(property, prototype);
  }

  plan(planning: RelationshipPlanning): void {
    planning.leaveUnloaded(this.name);
  }

  readUnloaded(state: InstanceState, property: RelationshipProperty): unknown {
    throw notAvailable(state, property, this.name);
  }

  async loadAwaited(_state: InstanceState, _property: RelationshipProperty, load: AwaitedLoad): Promise<unknown> {
    return load.read();
  }

  explain(): { statements: string; addsStatements: number } {
    return { statements: "0", addsStatements: 0 };
  }
}

/** SQLAlchemy's text for a read a raise strategy refuses (users search for it). */
export function notAvailable(state: InstanceState, property: RelationshipProperty, strategy: string): InvalidRequestError {
  return new InvalidRequestError(`'${state.mapper.className}.${property.key}' is not available due to lazy='${strategy}'`);
}
