import { ArgumentError } from "../../shared/errors.ts";
import type { TableColumn } from "../../core/schema/column.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { ColumnDirective, LoadStep, LoaderOption, OptionStrategy } from "./loader-option.ts";

/** What the options say about one relationship: its strategy (if any) and what lies below it. */
export interface LoadTreeEntry {
  readonly strategy: OptionStrategy;
  /** Set when an option said it; otherwise the relationship's `innerjoin` applies. */
  readonly innerjoin: boolean | "unnested" | undefined;
  readonly children: LoadTree;
}

/**
 * The loader options of a statement, merged into a tree per entity: relationship key → entry,
 * an optional wildcard (`raiseload("*")`), and the column directives for the entity itself.
 * Options name paths; everything they do not name keeps its configured strategy.
 */
export class LoadTree {
  readonly entries = new Map<string, LoadTreeEntry>();
  wildcard: OptionStrategy | undefined = undefined;
  readonly columns: ColumnDirective[] = [];

  get isEmpty(): boolean {
    return this.entries.size === 0 && this.wildcard === undefined && this.columns.length === 0;
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
    if (children === undefined || this.wildcard === undefined || children.wildcard !== undefined) return children;
    const inherited = new LoadTree();
    for (const [k, entry] of children.entries) inherited.entries.set(k, entry);
    inherited.columns.push(...children.columns);
    inherited.wildcard = this.wildcard;
    return inherited;
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
      current = property.join.target as Mapper;
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
      children: existing?.children ?? new LoadTree(),
    };
    this.entries.set(key, entry);
    return entry.children;
  }
}

function checkColumnOf(mapper: Mapper, column: TableColumn<unknown>, option: LoaderOption): void {
  if (!mapper.columns.some((c) => c.column === column)) {
    throw new ArgumentError(`${option}: the column ${column.tableName}.${column.name} is not a column of ${mapper.className}`);
  }
}
