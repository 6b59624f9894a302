import type { AwaitedLoad, LoaderStrategy, RelationshipPlanning, StrategyName } from "../loading/loader-strategy.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { installRelationshipAccessor } from "./relationship-accessor.ts";
import { NOT_LOADED_NOTE, loadFromMemoryOrSelect, readOrMissingGreenlet } from "./unloaded-read.ts";

/**
 * What the strategies that fill the attribute share (select, joined, selectin, subquery,
 * immediate, contains_eager; SQLAlchemy's `AbstractRelationshipLoader`): the ordinary accessor; an
 * unloaded read answered from memory or raising `MissingGreenlet` with the fix; an awaited load
 * from memory or by its SELECT. Each strategy says how it plans and explains itself.
 */
export abstract class PopulatingLoader<N extends StrategyName> implements LoaderStrategy<N> {
  abstract readonly name: N;
  abstract readonly eager: boolean;
  readonly joinsIntoStatement: boolean = false;
  readonly needsWholeResult: boolean = false;
  readonly populates = true;
  readonly unloadedNote = NOT_LOADED_NOTE;
  /** The unloaded read is the lazy strategy's own (its MissingGreenlet says the relationship is lazy). */
  protected readonly lazyRead: boolean = false;

  initClassAttribute(property: RelationshipProperty, prototype: object): void {
    installRelationshipAccessor(property, prototype);
  }

  abstract plan(planning: RelationshipPlanning): void;

  /** Left unloaded (a cycle stopped it, the object came from another query, or it expired). */
  readUnloaded(state: InstanceState, property: RelationshipProperty): unknown {
    return readOrMissingGreenlet(state, property, this.lazyRead);
  }

  loadAwaited(_state: InstanceState, _property: RelationshipProperty, load: AwaitedLoad): Promise<unknown> {
    return loadFromMemoryOrSelect(load);
  }

  abstract explain(carrier: string): { readonly statements: string; readonly addsStatements: number };
}
