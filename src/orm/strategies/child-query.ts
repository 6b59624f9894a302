import type { Expression } from "../../core/sql/coercions.ts";
import { type ColumnElement, booleanElement } from "../../core/sql/column-element.ts";
import type { Node, OrderingNode, SelectNode } from "../../core/sql/nodes.ts";
import { Select, select as coreSelect } from "../../core/sql/select.ts";
import { and } from "../../core/sql/elements.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { RelationshipProperty } from "../mapper/relationship-property.ts";
import { type PlanElement, loadedColumns, planEntity } from "../loading/load-plan.ts";
import type { LoadTree } from "../loading/load-tree.ts";
import type { ChildQuery } from "../loading/loader-strategy.ts";
import { entityCriteria } from "../loading/loader-criteria.ts";
import { discriminatorCriterion } from "../mapper/inheritance.ts";
import { entityShape } from "../query/polymorphic-entity.ts";
import { columnOn, relationshipOrdering } from "./relationship-keys.ts";

/**
 * What a relationship's child statement loads with: the options below the relationship (their
 * `withLoaderCriteria()` among them), the path so far, and the `and()` criteria the option put on
 * the relationship itself.
 */
export interface ChildLoad {
  readonly tree: LoadTree | undefined;
  readonly path: readonly Mapper[];
  readonly criteria?: readonly Node[];
}

/**
 * `SELECT <keys>, <target columns> FROM <target> [JOIN <secondary>] WHERE <criteria> ORDER BY <relationship order>`
 * (keys among the target's columns selected once),
 * planned with the options below the relationship (so nested eager loads chain on).
 */
export function childQuery(
  property: RelationshipProperty,
  keys: readonly ColumnElement<unknown>[],
  criteria: Expression<boolean>,
  below: ChildLoad,
  options: { ordering?: readonly OrderingNode[]; from?: "secondary" | "none" } = {},
): ChildQuery {
  const join = property.join;
  const target = join.target as Mapper;
  // An inheritance hierarchy's target without column options: its shape, "inline" subclasses' tables joined.
  const shape = target.inheritance !== undefined && (below.tree?.columns.length ?? 0) === 0 && !join.secondary ? entityShape(target) : undefined;
  let columns = shape !== undefined ? [...shape.columns] : loadedColumns(target, below.tree);
  // A key column the target loads anyway is selected once, first, as SQLAlchemy's ORM select
  // renders a repeated column once (`SELECT users.organization_id, users.id, users.name …`); the
  // key's elements then read the target's own positions. A key on another table (a secondary,
  // a joined subclass's) is selected apart.
  const keyed = shape === undefined && !join.secondary && keys.length > 0 ? keys.map((key) => columns.find((c) => c.column === key)) : undefined;
  const shared = keyed !== undefined && keyed.every((c) => c !== undefined);
  if (shared) columns = [...(keyed as ColumnProperty[]), ...columns.filter((c) => !keyed.includes(c))];
  let statement = coreSelect(...(shared ? [] : keys), ...columns.map((c) => c.column)).where(criteria);
  const extra = targetCriteria(target, below);
  // A single-table subclass as the target: only the rows of its class.
  const discriminator = target.inheritance === undefined ? undefined : discriminatorCriterion(target);
  if (discriminator !== undefined) extra.push(discriminator);
  if (extra.length > 0) statement = statement.where(...extra.map(booleanElement));
  // A joined-table subclass as the target: its columns come from its tables joined on the key.
  const spanned = shape?.from ?? (target.inheritance !== undefined && target.inheritance.tables.length > 1 ? target.inheritance.from : undefined);
  if (spanned !== undefined && !join.secondary) statement = new Select(Object.freeze({ ...statement.node, from: [...statement.node.from, spanned] }));
  if (join.secondary && options.from !== "none") {
    const on = and(...join.secondary.targetPairs.map((p) => columnOn(target.table.node, p.remote).eq(p.local as never)));
    statement = statement.selectFrom(target.table).join(join.secondary.table, on);
  }
  const ordering = [...(options.ordering ?? []), ...relationshipOrdering(property, target.table.node)];
  const node: SelectNode = ordering.length > 0 ? Object.freeze({ ...statement.node, orderBy: [...statement.node.orderBy, ...ordering] }) : statement.node;
  const planned = planEntity(node, target, shared ? 0 : keys.length, below.tree, below.path, shared ? columns : shape?.columns);
  const elements: PlanElement[] = keys.map((_, i) => ({ kind: "column", offset: i }));
  elements.push({ kind: "entity", load: planned.load });
  return { node: planned.node, elements, repeatsRows: planned.requireUnique };
}

/**
 * The WHERE criteria a child statement adds for its target (SQLAlchemy turns both into a
 * `LoaderCriteriaOption` on it): the relationship's `and()` criteria, then the statement's
 * `withLoaderCriteria()` for the target, against its table.
 */
export function targetCriteria(target: Mapper, below: ChildLoad): Node[] {
  return [...(below.criteria ?? []), ...entityCriteria(below.tree?.criteria ?? [], target)];
}

