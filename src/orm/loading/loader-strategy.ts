import type { NamedParams } from "../../core/engine/executable.ts";
import type { FromNode, SelectNode } from "../../core/sql/nodes.ts";
import type { Io } from "../../shared/io.ts";
import type { LoadStrategy } from "../mapping/relationship.ts";
import type { IdentityLookup } from "../mapper/lazy-read.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import type { InstanceState } from "../state/instance-state.ts";
import type { PlanElement, PostLoad, ReadStrategy } from "./load-plan.ts";
import type { LoadTree } from "./load-tree.ts";

/** Every strategy a relationship can load with: SQLAlchemy's `lazy=` values, and `contains_eager` (option only). */
export type StrategyName = LoadStrategy | "contains_eager";

/**
 * How one relationship loads, in every place loading is decided: SQLAlchemy's `LoaderStrategy`
 * (`init_class_attribute`, `setup_query`, `create_row_processor`) plus what the async API adds —
 * the synchronous read of an unloaded attribute and its awaited load. One implementation per
 * strategy in `src/orm/strategies/`, collected in a registry typed over `StrategyName`; the layers
 * below reach it through `loaderStrategy(name)` (docs/adr/0009-loader-strategy-per-file.md).
 */
export interface LoaderStrategy<N extends StrategyName = StrategyName> {
  readonly name: N;
  /** Loads as the parent loads (joined, selectin, subquery, immediate, contains_eager): stopped at cycles when configured, refused by write-only relationships. */
  readonly eager: boolean;
  /** Adds a JOIN to the parents' statement, so a joined collection multiplies its rows (a LIMIT is then applied in a subquery). */
  readonly joinsIntoStatement: boolean;
  /** Re-runs the parents' statement: a result streamed per batch (`yieldPer`) cannot use it. */
  readonly needsWholeResult: boolean;
  /** Whether the attribute ever holds loaded objects (false for write-only collections: eager options are refused). */
  readonly populates: boolean;
  /** Installs the class attribute for a relationship configured with this strategy (SQLAlchemy's `init_class_attribute`). */
  initClassAttribute(property: RelationshipProperty, prototype: object): void;
  /** This relationship's part of a statement's plan (SQLAlchemy's `setup_query`). */
  plan(planning: RelationshipPlanning): void;
  /** Loads the relationship of `parents` once their rows are in memory (selectin, subquery, immediate only); an `Io` generator (docs/adr/0014). */
  postLoad?(post: PostLoad, parents: readonly InstanceState[], context: PostLoadContext): Io<void>;
  /** A synchronous read of the unloaded relationship of a persistent or detached object: an answer from memory, or the error that says how to load it. */
  readUnloaded(state: InstanceState, property: RelationshipProperty): unknown;
  /**
   * `await obj.awaitableAttrs.rel`: the awaited load, through the session. Async, as the API it
   * serves: its `AwaitedLoad` is the session's (guard, autoflush); the SQL itself is the
   * `loadRelationship` generator behind `load.select()`.
   */
  loadAwaited(state: InstanceState, property: RelationshipProperty, load: AwaitedLoad): Promise<unknown>;
  /** `explainLoading` for a path this strategy loads; `carrier` names the statement it rides on. */
  explain(carrier: string): { readonly statements: string; readonly addsStatements: number };
  /** `explainLoading` for a path left unloaded with this strategy: what reading it does. */
  readonly unloadedNote: string;
}

/** The registry's shape: one strategy per name, so a strategy left out does not compile. */
export type LoaderStrategies = { readonly [N in StrategyName]: LoaderStrategy<N> };

/** What the planner offers a strategy for one relationship of the entity being planned. */
export interface RelationshipPlanning {
  readonly property: RelationshipProperty;
  /** The options below this relationship. */
  readonly tree: LoadTree | undefined;
  /** Populates it from this statement's rows: through an eager JOIN the planner adds, or (`ownJoin`) the statement's own join. */
  join(ownJoin: boolean): void;
  /** Loads it in a statement of its own after the parents, with the options in `tree`. */
  loadAfter(strategy: LoaderStrategy, tree: LoadTree | undefined): void;
  /** Leaves it unloaded; a later read behaves as `readAs` says. */
  leaveUnloaded(readAs: ReadStrategy): void;
  /** Never loads it: it reads as empty. */
  neverLoad(): void;
}

/** A statement loading a relationship's targets, with leading key columns that say which parent each row is for. */
export interface ChildQuery {
  readonly node: SelectNode;
  readonly elements: readonly PlanElement[];
  /** Joined eager collections below the child repeat its rows. */
  readonly repeatsRows?: boolean;
  /** Values of the statement's named parameters (a reused selectin statement's keys), over the parents' statement's. */
  readonly params?: NamedParams;
}

/** Runs one child statement and returns its `[key…, instance]` rows (`yield* runChild(query)`). */
export type RunChild = (query: ChildQuery) => Io<unknown[][]>;

/**
 * Runs one child statement and returns its instances grouped by parent: under `joinKey` of each
 * row's leading key values (`yield* runChildGroups(query)`), with no tuple per row.
 */
export type RunChildGroups = (query: ChildQuery) => Io<Map<unknown, unknown[]>>;

/** What a post load runs with: the child statements' runner, the parents' statement, and the identity map. */
export interface PostLoadContext {
  readonly runChild: RunChild;
  readonly runChildGroups: RunChildGroups;
  /** The statement that loaded the parents (subquery loads embed it). */
  readonly source: SelectNode;
  /** The FROM item the parents' columns come from in `source`. */
  readonly parentOwner: FromNode;
  readonly lookup: IdentityLookup;
}

/** What the session offers an awaited relationship load. */
export interface AwaitedLoad {
  /** The attribute's synchronous read (its getter). */
  read(): unknown;
  /** Runs `work` as one session operation: the concurrency guard, then autoflush. */
  operation<T>(work: () => Promise<T>): Promise<T>;
  /** The value when memory has it (NULL key, identity map; never with criteria), kept on the object; else `UNLOADED`. */
  inMemory(): unknown;
  /** Loads it with its per-parent SELECT (counted by N+1 detection). */
  select(): Promise<unknown>;
}
