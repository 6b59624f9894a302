import type { ColumnElement } from "../../core/sql/column-element.ts";
import type { Io } from "../../shared/io.ts";
import { and } from "../../core/sql/elements.ts";
import { ColumnRef } from "../../core/sql/from-clause.ts";
import type { FromNode, JoinNode, Node, SelectNode, SubqueryNode } from "../../core/sql/nodes.ts";
import { select as coreSelect } from "../../core/sql/select.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type PlanElement, type PostLoad, loadedColumns, planEntity } from "../loading/load-plan.ts";
import { setCollection } from "../loading/load-rows.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { targetCriteria } from "./child-query.ts";
import type { PostLoadContext, RelationshipPlanning, RunChildGroups } from "../loading/loader-strategy.ts";
import { PopulatingLoader } from "./populating-loader.ts";
import { columnOn, joinKey, localValues, relationshipOrdering } from "./relationship-keys.ts";

/**
 * `lazy: "subquery"` / `subqueryload()`: the statement that loaded the parents runs again as a
 * subquery of their join keys, joined to the related table:
 * `SELECT anon_1.users_id, posts.* FROM (SELECT DISTINCT users.id AS users_id FROM users WHERE …) AS anon_1
 *  JOIN posts ON posts.user_id = anon_1.users_id ORDER BY anon_1.users_id`.
 */
export class SubqueryLoader extends PopulatingLoader<"subquery"> {
  readonly name = "subquery";
  readonly eager = true;
  override readonly needsWholeResult = true;

  plan(planning: RelationshipPlanning): void {
    // As SQLAlchemy's: the child statement carries every option of the statement.
    planning.loadAfter(this, planning.tree);
  }

  postLoad(post: PostLoad, parents: readonly InstanceState[], context: PostLoadContext): Io<void> {
    return loadSubquery(post, parents, context.source, context.parentOwner, context.runChildGroups);
  }

  explain(): { statements: string; addsStatements: number } {
    return { statements: "1", addsStatements: 1 };
  }
}

function* loadSubquery(
  post: PostLoad,
  parents: readonly InstanceState[],
  source: SelectNode,
  parentOwner: FromNode,
  runChildGroups: RunChildGroups,
): Io<void> {
  const property = post.property;
  const join = property.join;
  const target = join.target as Mapper;
  const labels = join.pairs.map((p) => `${p.local.tableName}_${p.local.name}`);
  const inner: SelectNode = Object.freeze({
    ...source,
    columns: join.pairs.map((p, i) => Object.freeze({ kind: "label", name: labels[i] as string, element: columnOn(parentOwner, p.local).node }) as Node),
    columnKeys: labels,
    distinct: true,
    // The parents' order matters only to which parents a LIMIT keeps.
    orderBy: source.limit || source.offset ? source.orderBy : [],
    forUpdate: undefined,
  });
  const subquery: SubqueryNode = Object.freeze({ kind: "subquery", query: inner, name: `anon_${post.path.length}` });
  const keys = join.pairs.map((p, i) => new ColumnRef(labels[i] as string, labels[i] as string, p.local.type, subquery));
  let from: FromNode;
  if (join.secondary) {
    const secondary = join.secondary;
    const toSecondary = and(...join.pairs.map((p, i) => columnOn(secondary.table.node, p.remote).eq(keys[i] as never)));
    const toTarget = and(...secondary.targetPairs.map((p) => columnOn(target.table.node, p.remote).eq(p.local as never)));
    from = joinNode(joinNode(subquery, secondary.table.node, toSecondary.node), target.table.node, toTarget.node);
  } else {
    const on = and(...join.pairs.map((p, i) => columnOn(target.table.node, p.remote).eq(keys[i] as never)));
    from = joinNode(subquery, target.table.node, on.node);
  }
  const columns = loadedColumns(target, post.tree);
  const base = coreSelect(...(keys as ColumnElement<unknown>[]), ...columns.map((c) => c.column)).node;
  const criteria = targetCriteria(target, post);
  const node: SelectNode = Object.freeze({
    ...base,
    from: [from],
    where: criteria.length === 0 ? undefined : criteria.length === 1 ? criteria[0] : Object.freeze({ kind: "clause-list", operator: "AND", clauses: criteria }),
    orderBy: [...keys.map((k) => k.asc().node), ...relationshipOrdering(property, target.table.node)],
  });
  const planned = planEntity(node, target, keys.length, post.tree, post.path);
  const elements: PlanElement[] = keys.map((_, i) => ({ kind: "column", offset: i }));
  elements.push({ kind: "entity", load: planned.load });
  const groups = yield* runChildGroups({ node: planned.node, elements, repeatsRows: planned.requireUnique });
  for (const state of parents) {
    const items = groups.get(joinKey(localValues(state, property))) ?? [];
    if (join.uselist) setCollection(state, property, items);
    else state.storeAt(property.slot, items[0] ?? null);
  }
}

function joinNode(left: FromNode, right: FromNode, on: Node): JoinNode {
  return Object.freeze({ kind: "join", left, right, on, type: "INNER" });
}
