import { ArgumentError } from "../../shared/errors.ts";
import type { TableColumn } from "../../core/schema/column.ts";
import type { Node } from "../../core/sql/nodes.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { LoaderCriteriaOption } from "./loader-criteria.ts";
import type { ColumnDirective, LoadStep, LoaderOption, OptionStrategy } from "./loader-option.ts";

/** What the options say about one relationship: its strategy (if any) and what lies below it. */
export interface LoadTreeEntry {
  readonly strategy: OptionStrategy;
  /** Set when an option said it; otherwise the relationship's `innerjoin` applies. */
  readonly innerjoin: boolean | "unnested" | undefined;
  /** `and()` criteria of the relationship (against its target's table): what its load selects is limited by them. */
  readonly criteria: readonly Node[];
  readonly children: LoadTree;
}

/**
 * The loader options of a statement, merged into a tree per entity: relationship key → entry,
 * an optional wildcard (`raiseload("*")`), and the column directives for the entity itself.
 * Options name paths; everything they do not name keeps its configured strategy.
 *
 * `withLoaderCriteria()` options hold at every level (SQLAlchemy carries them to each load the
 * statement leads to): `child()` hands them down.
 */
export class LoadTree {
  readonly entries = new Map<string, LoadTreeEntry>();
  wildcard: OptionStrategy | undefined = undefined;
  readonly columns: ColumnDirective[] = [];
  /** The statement's `withLoaderCriteria()` options, for every entity loaded at or below this level. */
  criteria: readonly LoaderCriteriaOption[] = [];
  /** Subclasses named by `ofType()` on the path to this level: their own columns load too (by selectin polymorphic loading). */
  readonly subclasses: Mapper[] = [];

  get isEmpty(): boolean {
    return this.entries.size === 0 && this.wildcard === undefined && this.columns.length === 0 && this.criteria.length === 0 && this.subclasses.length === 0;
  }

  /** The `and()` criteria the options put on the relationship `key` at this level. */
  criteriaFor(key: string): readonly Node[] {
    return this.entries.get(key)?.criteria ?? [];
  }

  /**
   * This level with only the criteria options that propagate to loaders: what the instances it
   * loads keep for their lazy loads, and what joined and immediate loads apply (SQLAlchemy's
   * `propagate_to_loaders`).
   */
  propagating(): LoadTree {
    if (this.criteria.every((c) => c.propagateToLoaders)) return this;
    return this.#copy(this.entries, this.wildcard, this.criteria.filter((c) => c.propagateToLoaders));
  }

  /** The strategy the options give `key` at this level, if they give one. */
  strategyFor(key: string): OptionStrategy | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.strategy !== "default") return entry.strategy;
    return entry === undefined ? this.wildcard : undefined;
  }

  /**
   * The options below `key`. A wildcard reaches the entities loaded along named paths too (as
   * SQLAlchemy's unbound `raiseload("*")` does), unless the path sets a wildcard of its own.
   */
  child(key: string): LoadTree | undefined {
    const children = this.entries.get(key)?.children;
    // The wildcard reaches only named paths; the criteria reach every load.
    const inheritsWildcard = children !== undefined && this.wildcard !== undefined && children.wildcard === undefined;
    const inheritsCriteria = this.criteria.length > 0 && children?.criteria !== this.criteria;
    if (!inheritsWildcard && !inheritsCriteria) return children;
    const wildcard = inheritsWildcard ? this.wildcard : children?.wildcard;
    return (children ?? new LoadTree()).#copy(children?.entries ?? new Map(), wildcard, this.criteria);
  }

  /** A tree with this one's column directives, and the given entries, wildcard and criteria. */
  #copy(entries: ReadonlyMap<string, LoadTreeEntry>, wildcard: OptionStrategy | undefined, criteria: readonly LoaderCriteriaOption[]): LoadTree {
    const copy = new LoadTree();
    for (const [k, entry] of entries) copy.entries.set(k, entry);
    copy.columns.push(...this.columns);
    copy.subclasses.push(...this.subclasses);
    copy.wildcard = wildcard;
    copy.criteria = criteria;
    return copy;
  }

  /** Adds one option whose path starts at `mapper`. */
  add(option: LoaderOption, mapper: Mapper): void {
    let tree: LoadTree = this;
    let current = mapper;
    option.steps.forEach((s, index) => {
      if (s.attribute === "*") {
        if (index !== option.steps.length - 1) throw new ArgumentError(`${option}: "*" can only end a path`);
        tree.wildcard = s.strategy;
        return;
      }
      const property = s.attribute.property;
      if (s.attribute.parent !== current && current.relationship(property.key) !== property) {
        throw new ArgumentError(
          `${option}: ${s.attribute} does not belong to ${current.className}; each step of a chain must be a relationship of the previous step's target`,
        );
      }
      tree = tree.#enter(property.key, s);
      // `ofType(Subclass)`: the path goes on from the subclass, whose own columns load too.
      const subclass = s.attribute.subclass;
      if (subclass !== undefined && !tree.subclasses.includes(subclass)) tree.subclasses.push(subclass);
      current = subclass ?? (property.join.target as Mapper);
    });
    for (const directive of option.columns) {
      for (const column of directive.columns) checkColumnOf(current, column as unknown as TableColumn<unknown>, option);
      tree.columns.push(directive);
    }
  }

  #enter(key: string, s: LoadStep): LoadTree {
    const existing = this.entries.get(key);
    // A later option that names a strategy wins over a pass-through ("default") step.
    const strategy = existing && s.strategy === "default" ? existing.strategy : s.strategy;
    const entry: LoadTreeEntry = {
      strategy,
      innerjoin: s.innerjoin ?? existing?.innerjoin,
      // A step without criteria (a chain passing through) keeps those another option gave.
      criteria: s.criteria ?? existing?.criteria ?? [],
      children: existing?.children ?? new LoadTree(),
    };
    this.entries.set(key, entry);
    return entry.children;
  }
}

function checkColumnOf(mapper: Mapper, column: TableColumn<unknown>, option: LoaderOption): void {
  if (!mapper.columns.some((c) => c.column === column) && !mapper.expressions.some((e) => e.attribute === (column as unknown))) {
    throw new ArgumentError(`${option}: the column ${column.tableName}.${column.name} is not a column of ${mapper.className}`);
  }
}
