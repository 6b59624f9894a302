import { ArgumentError, InvalidRequestError } from "../../shared/errors.ts";
import type { TableColumn } from "../../core/schema/column.ts";
import { and } from "../../core/sql/elements.ts";
import type { ColumnNode, FromNode, JoinNode, LabelNode, Node, OrderingNode, SelectNode } from "../../core/sql/nodes.ts";
import { typeOfNode } from "../../core/sql/result-columns.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { columnOn, pairsCondition, relationshipOrdering } from "../mapper/join-columns.ts";
import type { ResultElement } from "./result-layout.ts";
import type { LoaderOption } from "./loader-option.ts";
import type { LoaderStrategy, RelationshipPlanning } from "./loader-strategy.ts";
import { loaderStrategy } from "./loader-strategy-table.ts";
import { LoaderCriteriaOption, entityCriteria } from "./loader-criteria.ts";
import { LoadTree } from "./load-tree.ts";
import { applyStatementCriteria } from "./statement-criteria.ts";
import { replaceOwner } from "../mapper/replace-owner.ts";
import { discriminatorCriterion, inlineSubclassColumns } from "../mapper/inheritance.ts";
import { SelectinPolymorphicOption } from "./selectin-polymorphic.ts";
import { type PolymorphicRows, polymorphicRows } from "./polymorphic-rows.ts";
import { loadedColumnOn } from "../mapper/expression-property.ts";

/** Strategies whose relationship stays unloaded and decides what a read does. */
export type ReadStrategy = "select" | "raise" | "raise_on_sql";

/** A relationship loaded by a statement of its own once the parents are in memory. */
export interface PostLoad {
  readonly property: RelationshipProperty;
  /** The strategy that runs it (selectin, subquery, immediate). */
  readonly strategy: LoaderStrategy;
  /** The options below this relationship, for the child statement. */
  readonly tree: LoadTree | undefined;
  /** Mappers from the root to the parent, for stopping configured eager loads at cycles. */
  readonly path: readonly Mapper[];
  /** `and()` criteria the options put on the relationship, against its target's table (child statement's WHERE). */
  readonly criteria: readonly Node[];
}

/** A relationship populated from the same row as its parent (joinedload, containsEager). */
export interface JoinedLoad {
  readonly property: RelationshipProperty;
  readonly entity: EntityLoad;
  /** joined, or contains_eager. */
  readonly strategy: LoaderStrategy;
  /** containsEager: the statement's own join, not one the loader added. */
  readonly fromStatement: boolean;
}

/** How one entity of a row is built, and what loads along with it. */
export interface EntityLoad {
  readonly mapper: Mapper;
  /** The FROM item its columns come from (its table, or an eager join's alias). */
  readonly owner: FromNode;
  /** Row position of the entity's first column. */
  readonly offset: number;
  /** Slot of each column, in row order from `offset`. */
  readonly slots: readonly number[];
  /** Row positions (from `offset`) of the primary key columns, in key order. */
  readonly pkPositions: readonly number[];
  readonly joined: readonly JoinedLoad[];
  readonly post: readonly PostLoad[];
  /**
   * Relationships left unloaded whose read behaviour differs from the configured one (by option),
   * and columns left unloaded by `defer`/`loadOnly` with `raiseload` (as `"raise"`).
   */
  readonly readOverrides: readonly (readonly [slot: number, strategy: ReadStrategy])[];
  /** Relationships that never load (noload): they read as empty. */
  readonly noloadSlots: readonly RelationshipProperty[];
  /** Relationships that stay unloaded (lazy): `populateExisting` resets them to unloaded. */
  readonly lazySlots: readonly number[];
  /** The options at this entity's path: kept on its instances so later explicit loads apply the rest. */
  readonly tree: LoadTree | undefined;
  /** An inheritance hierarchy's entity: each row's class by its discriminator (absent for other models). */
  readonly polymorphic?: PolymorphicRows;
}

export type PlanElement = { readonly kind: "column"; readonly offset: number } | { readonly kind: "entity"; readonly load: EntityLoad };

/** A statement ready to run: the final SQL tree, how each row becomes a tuple, and what follows it. */
export interface QueryPlan {
  readonly node: SelectNode;
  readonly elements: readonly PlanElement[];
  /** A joined eager collection repeats parents across rows: the result must be made unique. */
  readonly requireUnique: boolean;
}

/** A statement option: a loader option, or `withLoaderCriteria()`. */
export type StatementOption = LoaderOption | LoaderCriteriaOption | SelectinPolymorphicOption;

/**
 * Builds the plan of an ORM select from its statement, layout and options. `withLoaderCriteria()`
 * options narrow the statement's own FROM entities and joins first, then travel with the loader
 * options of every entity to the loads that follow.
 */
export function planQuery(node: SelectNode, layout: readonly ResultElement[], options: readonly StatementOption[]): QueryPlan {
  const criteria = options.filter((o) => o instanceof LoaderCriteriaOption);
  const loaderOptions = options.filter((o): o is LoaderOption => !(o instanceof LoaderCriteriaOption) && !(o instanceof SelectinPolymorphicOption));
  const selectinPolymorphic = new Map<Mapper, readonly Mapper[]>();
  for (const o of options) if (o instanceof SelectinPolymorphicOption) selectinPolymorphic.set(o.base, [...(selectinPolymorphic.get(o.base) ?? []), ...o.classes]);
  const trees = treesByEntity(layout, loaderOptions);
  if (criteria.length > 0) {
    node = applyStatementCriteria(node, layout, criteria);
    for (const element of layout) {
      if (element.kind !== "entity") continue;
      let tree = trees.get(element.mapper);
      if (tree === undefined) trees.set(element.mapper, (tree = new LoadTree()));
      tree.criteria = criteria;
    }
  }
  return new QueryPlanner(node, layout, selectinPolymorphic).plan(trees);
}

/**
 * Plans the statement that loads one relationship's targets (selectin, subquery, immediate): the
 * target entity's columns at `offset`, with the options below the relationship.
 */
export function planEntity(
  node: SelectNode,
  mapper: Mapper,
  offset: number,
  tree: LoadTree | undefined,
  path: readonly Mapper[],
  columns?: readonly ColumnProperty[],
): { node: SelectNode; load: EntityLoad; requireUnique: boolean } {
  const planner = new QueryPlanner(node, []);
  const load = planner.entity(mapper, offset, mapper.table.node, tree, path, columns);
  return { node: planner.finish(), load, requireUnique: planner.requireUnique };
}

function treesByEntity(layout: readonly ResultElement[], options: readonly LoaderOption[]): Map<Mapper, LoadTree> {
  const trees = new Map<Mapper, LoadTree>();
  const entities = layout.filter((e) => e.kind === "entity").map((e) => e.mapper);
  for (const option of options) {
    const first = option.steps[0];
    let mapper: Mapper | undefined;
    if (option.root !== undefined) {
      mapper = entities.find((m) => m === option.root);
    } else if (first === undefined) {
      const column = option.columns[0]?.columns[0] as unknown as TableColumn<unknown> | undefined;
      mapper = entities.find((m) => m.columns.some((c) => c.column === column) || m.expressions.some((e) => e.attribute === (column as unknown)));
    } else if (first.attribute === "*") {
      mapper = entities[0];
    } else {
      const attribute = first.attribute;
      mapper = entities.find((m) => m === attribute.parent || m.relationship(attribute.key) === attribute.property);
    }
    if (mapper === undefined) {
      throw new ArgumentError(`Loader option ${option} does not start from an entity of this statement (${entities.map((m) => m.className).join(", ")})`);
    }
    let tree = trees.get(mapper);
    if (tree === undefined) trees.set(mapper, (tree = new LoadTree()));
    tree.add(option, mapper);
  }
  return trees;
}

/**
 * The options of one entity of the select. Options name a class's attributes, so an aliased
 * entity (selected from an alias: `owner`) takes none of its class's — as SQLAlchemy binds them
 * to the class, not to its aliases — only the statement's `withLoaderCriteria`.
 */
function treeOf(trees: ReadonlyMap<Mapper, LoadTree>, element: Extract<ResultElement, { kind: "entity" }>): LoadTree | undefined {
  const tree = trees.get(element.mapper);
  if (element.owner === undefined || tree === undefined) return tree;
  if (tree.criteria.length === 0) return undefined;
  const own = new LoadTree();
  own.criteria = tree.criteria;
  return own;
}

/** Whether a configured eager strategy stops here: at a cycle, or past `joinDepth`. */
function stopsAtCycle(property: RelationshipProperty, path: readonly Mapper[]): boolean {
  const depth = property.spec.options.joinDepth;
  if (depth !== undefined) return path.length > depth;
  return path.includes(property.join.target as Mapper);
}

/** The strategy a relationship loads with: the option for its path, else its configured strategy. */
export function effectiveStrategy(
  property: RelationshipProperty,
  tree: LoadTree | undefined,
  path: readonly Mapper[],
): { strategy: LoaderStrategy; innerjoin: boolean | "unnested" } {
  const fromOption = tree?.strategyFor(property.key);
  const named = fromOption === undefined || fromOption === "default" ? undefined : loaderStrategy(fromOption);
  // An option that does not say innerjoin keeps the relationship's (as SQLAlchemy's joinedload).
  const innerjoin = tree?.entries.get(property.key)?.innerjoin ?? property.spec.options.innerjoin ?? false;
  const configured = loaderStrategy(property.strategy);
  if (!configured.populates) {
    // A write-only collection is never populated; other options (a wildcard's raise) leave it be.
    if (named?.eager && tree?.entries.has(property.key)) {
      throw new InvalidRequestError(`'${property.path}' does not support object population - eager loading cannot be applied.`);
    }
    return { strategy: configured, innerjoin: false };
  }
  if (named !== undefined) return { strategy: named, innerjoin };
  if (configured.eager && stopsAtCycle(property, path)) return { strategy: loaderStrategy("select"), innerjoin: false };
  return { strategy: configured, innerjoin };
}

class QueryPlanner {
  #node: SelectNode;
  readonly #layout: readonly ResultElement[];
  readonly #extraColumns: Node[] = [];
  readonly #extraOrderBy: OrderingNode[] = [];
  #from: FromNode[];
  #aliasCount = new Map<string, number>();
  requireUnique = false;

  readonly #selectinPolymorphic: ReadonlyMap<Mapper, readonly Mapper[]>;

  constructor(node: SelectNode, layout: readonly ResultElement[], selectinPolymorphic: ReadonlyMap<Mapper, readonly Mapper[]> = new Map()) {
    this.#selectinPolymorphic = selectinPolymorphic;
    this.#node = node;
    this.#layout = layout;
    this.#from = [...node.from];
  }

  plan(trees: Map<Mapper, LoadTree>): QueryPlan {
    const layout = this.#applyColumnOptions(trees);
    const wrapped = this.#wrapForLimit(trees);
    const elements: PlanElement[] = layout.map((element) => {
      if (element.kind === "column") return { kind: "column", offset: element.offset };
      const tree = treeOf(trees, element);
      const owner = wrapped ?? element.owner ?? element.mapper.table.node;
      return { kind: "entity", load: this.entity(element.mapper, element.offset, owner, tree, [], element.columns) };
    });
    return { node: this.finish(), elements, requireUnique: this.requireUnique };
  }

  /** loadOnly/defer/undefer on the statement's own entities: their columns in the SELECT change. */
  #applyColumnOptions(trees: Map<Mapper, LoadTree>): readonly ResultElement[] {
    if (![...trees.values()].some((t) => t.columns.length > 0)) return this.#layout;
    const node = this.#node;
    const columns: Node[] = [];
    const columnKeys: (string | undefined)[] = [];
    const layout = this.#layout.map((element): ResultElement => {
      const offset = columns.length;
      if (element.kind === "column") {
        columns.push(node.columns[element.offset] as Node);
        columnKeys.push(node.columnKeys[element.offset]);
        return { kind: "column", offset };
      }
      const tree = treeOf(trees, element);
      const loaded = tree && tree.columns.length > 0 ? loadedColumns(element.mapper, tree) : element.columns;
      for (const c of loaded) {
        columns.push(element.owner ? loadedColumnOn(element.owner, c) : c.column.node);
        columnKeys.push(c.key);
      }
      // Everything else of the element stays (an aliased entity's row key among it).
      return { ...element, columns: loaded, offset };
    });
    this.#node = Object.freeze({ ...node, columns, columnKeys });
    return layout;
  }

  /**
   * A LIMIT/OFFSET would cut a joined collection's rows, not parents: like SQLAlchemy, the parent
   * query goes into a subquery (`FROM (SELECT … LIMIT ?) AS anon_1 LEFT OUTER JOIN …`) and the eager
   * joins attach to it. Done when the selected column names are distinct; returns the subquery.
   */
  #wrapForLimit(trees: Map<Mapper, LoadTree>): FromNode | undefined {
    const node = this.#node;
    if (node.limit === undefined && node.offset === undefined) return undefined;
    const collects = this.#layout.some(
      (e) =>
        e.kind === "entity" &&
        e.mapper.relationships.some((r) => r.join.uselist && effectiveStrategy(r, treeOf(trees, e), [e.mapper]).strategy.joinsIntoStatement),
    );
    // Columns, and labelled expressions (a column property's): each is a column of the subquery.
    const names = node.columns.map((c) => (c.kind === "column" || c.kind === "label" ? c.name : undefined));
    if (!collects || names.some((n) => n === undefined) || new Set(names).size !== names.length) return undefined;
    const subquery: FromNode = Object.freeze({ kind: "subquery", query: node, name: "anon_1" });
    const outer = (column: ColumnNode | LabelNode): ColumnNode =>
      Object.freeze({ kind: "column", owner: subquery, name: column.name, type: column.kind === "column" ? column.type : typeOfNode(column) });
    const columns = (node.columns as (ColumnNode | LabelNode)[]).map(outer);
    // The outer ORDER BY names the subquery's columns: a column by name, a labelled expression by its label.
    const byExpression = new Map<Node, ColumnNode>();
    for (const c of node.columns as (ColumnNode | LabelNode)[]) if (c.kind === "label") byExpression.set(c.element, outer(c));
    const orderBy = node.orderBy
      .filter((o) => (o.element.kind === "column" && names.includes(o.element.name)) || byExpression.has(o.element))
      .map((o) => Object.freeze({ ...o, element: byExpression.get(o.element) ?? outer(o.element as ColumnNode) }));
    this.#node = Object.freeze({
      ...node,
      columns,
      from: [subquery],
      where: undefined,
      groupBy: [],
      having: undefined,
      orderBy,
      limit: undefined,
      offset: undefined,
      distinct: false,
      forUpdate: undefined,
      ctes: [],
    });
    this.#from = [subquery];
    return subquery;
  }

  /** The final statement: the original with eager joins and their columns. */
  finish(): SelectNode {
    if (this.#extraColumns.length === 0 && this.#from === this.#node.from) return this.#node;
    return Object.freeze({
      ...this.#node,
      columns: [...this.#node.columns, ...this.#extraColumns],
      columnKeys: [...this.#node.columnKeys, ...this.#extraColumns.map(() => undefined)],
      from: this.#from,
      orderBy: [...this.#node.orderBy, ...this.#extraOrderBy],
    });
  }

  /**
   * Plans one entity whose columns are at `offset` (already in the statement when `columns` is
   * given, or when `ownColumns` says the caller selected them).
   */
  entity(
    mapper: Mapper,
    offset: number,
    owner: FromNode,
    tree: LoadTree | undefined,
    path: readonly Mapper[],
    columns?: readonly ColumnProperty[],
  ): EntityLoad {
    const loaded = columns ?? loadedColumns(mapper, tree);
    const joined: JoinedLoad[] = [];
    const post: PostLoad[] = [];
    const readOverrides: (readonly [number, ReadStrategy])[] = [];
    const lazySlots: number[] = [];
    const noloadSlots: RelationshipProperty[] = [];
    const below = [...path, mapper];
    for (const property of mapper.relationships) {
      const { strategy, innerjoin } = effectiveStrategy(property, tree, below);
      const childTree = tree?.child(property.key);
      const criteria = tree?.criteriaFor(property.key) ?? [];
      const planning: RelationshipPlanning = {
        property,
        tree: childTree,
        join: (ownJoin) => {
          const eager = ownJoin ? undefined : { innerjoin, criteria };
          joined.push({ property, entity: this.#joined(property, owner, childTree, below, eager), strategy, fromStatement: ownJoin });
        },
        loadAfter: (postStrategy, postTree) => post.push({ property, strategy: postStrategy, tree: postTree, path: below, criteria }),
        leaveUnloaded: (readAs) => {
          lazySlots.push(property.slot);
          if (readAs !== property.strategy) readOverrides.push([property.slot, readAs]);
        },
        neverLoad: () => noloadSlots.push(property),
      };
      strategy.plan(planning);
    }
    for (const column of raiseloadColumns(mapper, tree)) if (!loaded.includes(column)) readOverrides.push([column.slot, "raise"]);
    const slots = loaded.map((c) => c.slot);
    const pkPositions = mapper.primaryKey.map((pk) => {
      const at = loaded.indexOf(pk);
      if (at < 0) throw new InvalidRequestError(`internal: ${mapper.className}'s primary key ${pk.key} is not among the loaded columns`);
      return at;
    });
    // What the instances keep for their own loads later: the options, without the criteria that do not propagate.
    const forInstances = tree?.propagating();
    const kept = forInstances === undefined || forInstances.isEmpty ? undefined : forInstances;
    const load: EntityLoad = { mapper, owner, offset, slots, pkPositions, joined, post, readOverrides, noloadSlots, lazySlots, tree: kept };
    if (mapper.inheritance === undefined) return load;
    const named = [...(this.#selectinPolymorphic.get(mapper) ?? []), ...(tree?.subclasses ?? [])];
    const polymorphic = polymorphicRows(mapper, loaded, named.length === 0 ? undefined : named);
    return polymorphic === undefined ? load : { ...load, polymorphic };
  }

  /**
   * Adds `LEFT OUTER JOIN target AS alias ON …` (`eager`; else uses the statement's own join) and
   * the target's columns. The ON clause carries the option's `and()` criteria and the propagating
   * `withLoaderCriteria()` of the target, moved onto the alias (SQLAlchemy's eager join
   * `_extra_criteria`); a many-to-many puts them on the target's ON.
   */
  #joined(
    property: RelationshipProperty,
    parentOwner: FromNode,
    tree: LoadTree | undefined,
    path: readonly Mapper[],
    eager: { readonly innerjoin: boolean | "unnested"; readonly criteria: readonly Node[] } | undefined,
  ): EntityLoad {
    const join = property.join;
    const target = join.target as Mapper;
    if (target.inheritance !== undefined && target.inheritance.tables.length > 1) {
      throw new InvalidRequestError(
        `${property.path} leads to ${target.className}, whose rows span the tables ${target.inheritance.tables.map((t) => t.name).join(", ")}; ` +
          `joined eager loading of a joined-table subclass is not supported yet: load it with selectinload(${property.path}) instead`,
      );
    }
    if (join.uselist && eager) this.requireUnique = true;
    let targetOwner: FromNode = target.table.node;
    if (eager) {
      const { innerjoin } = eager;
      targetOwner = this.#alias(target.table.node.name, target.table.node);
      const discriminator = target.inheritance === undefined ? undefined : discriminatorCriterion(target);
      const extra = [
        ...(discriminator === undefined ? [] : [replaceOwner(discriminator, target.table.node, targetOwner)]),
        ...eager.criteria.map((c) => replaceOwner(c, target.table.node, targetOwner)),
        ...entityCriteria(tree?.propagating().criteria ?? [], target, targetOwner),
      ];
      const withExtra = (on: Node): Node => (extra.length === 0 ? on : Object.freeze({ kind: "clause-list", operator: "AND", clauses: [on, ...extra] }));
      // As SQLAlchemy: an inner join below an outer one is nested inside it (so the outer rows
      // stay); "unnested" makes it an outer join at the same level instead.
      const belowOuter = outerJoinHolding(this.#from, parentOwner) !== undefined;
      const type = innerjoin === false || (innerjoin === "unnested" && belowOuter) ? "LEFT OUTER" : "INNER";
      if (join.secondary) {
        const secondaryOwner = this.#alias(join.secondary.table.node.name, join.secondary.table.node);
        this.#attach(parentOwner, secondaryOwner, pairsCondition(join.pairs, parentOwner, secondaryOwner).node, type);
        this.#attach(secondaryOwner, targetOwner, withExtra(pairsCondition(join.secondary.targetPairs, secondaryOwner, targetOwner).node), type);
      } else {
        this.#attach(parentOwner, targetOwner, withExtra(pairsCondition(join.pairs, parentOwner, targetOwner).node), type);
      }
    }
    // A joined collection keeps the relationship's order after the statement's own.
    if (join.uselist && eager) this.#extraOrderBy.push(...relationshipOrdering(property, targetOwner));
    const columns = loadedColumns(target, tree);
    const offset = this.#node.columns.length + this.#extraColumns.length;
    for (const c of columns) this.#extraColumns.push(loadedColumnOn(targetOwner, c));
    return this.entity(target, offset, targetOwner, tree, path, columns);
  }

  #alias(name: string, table: FromNode): FromNode {
    const n = (this.#aliasCount.get(name) ?? 0) + 1;
    this.#aliasCount.set(name, n);
    return Object.freeze({ kind: "alias", element: table as never, name: `${name}_${n}` });
  }

  /**
   * Joins `right` onto the FROM item holding `anchor` (the parent), or starts a FROM item from it.
   * An INNER join of a parent that an outer join brought in goes inside that outer join's right
   * side: `a LEFT OUTER JOIN (b JOIN c ON …) ON …`.
   */
  #attach(anchor: FromNode, right: FromNode, on: Node, type: JoinNode["type"]): void {
    const index = this.#from.findIndex((f) => contains(f, anchor));
    if (index < 0) {
      this.#from = [...this.#from, Object.freeze({ kind: "join", left: anchor, right, on, type })];
      return;
    }
    const from = this.#from[index] as FromNode;
    const outer = type === "INNER" ? outerJoinHolding([from], anchor) : undefined;
    const joined = outer === undefined ? Object.freeze({ kind: "join" as const, left: from, right, on, type }) : nestInto(from, outer, right, on);
    this.#from = this.#from.map((f, i) => (i === index ? joined : f));
  }
}

/** The columns of `mapper` the options leave loaded (primary key always), and its mapped expressions (`columnProperty()`). */
export function loadedColumns(mapper: Mapper, tree: LoadTree | undefined): ColumnProperty[] {
  const all: ColumnProperty[] = [...(mapper.expressions.length > 0 ? mapper.columnsAndExpressions : mapper.columns)];
  if (mapper.inheritance !== undefined) all.push(...inlineSubclassColumns(mapper));
  let loaded = all.filter((c) => !c.deferred);
  for (const directive of tree?.columns ?? []) {
    const named = new Set(directive.columns.map((c) => c as unknown));
    // An option names a mapped expression by its class-level attribute.
    const isNamed = (c: ColumnProperty): boolean => named.has(c.column) || named.has((c as { attribute?: unknown }).attribute);
    if (directive.mode === "loadOnly") loaded = all.filter((c) => c.column.primaryKey || isNamed(c));
    else if (directive.mode === "defer") loaded = loaded.filter((c) => c.column.primaryKey || !isNamed(c));
    else loaded = all.filter((c) => loaded.includes(c) || isNamed(c));
  }
  return loaded;
}

/** The columns `defer(…, { raiseload: true })` / `loadOnly(…, { raiseload: true })` make raise when left unloaded. */
function raiseloadColumns(mapper: Mapper, tree: LoadTree | undefined): ColumnProperty[] {
  const raising = new Set<ColumnProperty>();
  for (const directive of tree?.columns ?? []) {
    const named = new Set(directive.columns.map((c) => c as unknown));
    for (const c of mapper.columns) {
      if (directive.mode === "undefer" && named.has(c.column)) raising.delete(c);
      else if (directive.raiseload && (directive.mode === "defer") === named.has(c.column)) raising.add(c);
    }
  }
  return [...raising];
}

/** The innermost LEFT OUTER join whose right side holds `target`, if any. */
function outerJoinHolding(from: readonly FromNode[], target: FromNode): JoinNode | undefined {
  for (const f of from) {
    if (f.kind !== "join") continue;
    const inRight = contains(f.right, target);
    const deeper = outerJoinHolding(inRight ? [f.right] : [f.left], target);
    if (deeper !== undefined) return deeper;
    if (inRight && f.type === "LEFT OUTER") return f;
  }
  return undefined;
}

/** `tree` with `outer`'s right side replaced by `(right side) JOIN right ON on`. */
function nestInto(tree: FromNode, outer: JoinNode, right: FromNode, on: Node): FromNode {
  if (tree === outer) {
    const nested: JoinNode = Object.freeze({ kind: "join", left: outer.right, right, on, type: "INNER" });
    return Object.freeze({ ...outer, right: nested });
  }
  if (tree.kind !== "join") return tree;
  return Object.freeze({ ...tree, left: nestInto(tree.left, outer, right, on), right: nestInto(tree.right, outer, right, on) });
}

function contains(from: FromNode, target: FromNode): boolean {
  if (from === target) return true;
  return from.kind === "join" && (contains(from.left, target) || contains(from.right, target));
}

