import type { FromNode, Node, SelectNode } from "../../core/sql/nodes.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import type { ResultElement } from "./result-layout.ts";
import { type LoaderCriteriaOption, entityCriteria } from "./loader-criteria.ts";

/**
 * A statement with its `withLoaderCriteria()` options applied to the entities it selects from
 * and joins (SQLAlchemy's `_adjust_for_extra_criteria` and the joins' `_extra_criteria`): an
 * entity joined to gets the criteria in that join's ON clause; every other FROM entity (those the
 * columns select, the FROM list's own, and those the WHERE clause names) in the WHERE clause. An
 * alias of an entity is covered with `includeAliases`, its criteria moved onto the alias.
 */
export function applyStatementCriteria(node: SelectNode, layout: readonly ResultElement[], options: readonly LoaderCriteriaOption[]): SelectNode {
  const mappers = mappersByTable(layout, options);
  const criteriaOf = (owner: FromNode): Node[] => {
    const table = owner.kind === "alias" ? owner.element : owner;
    const mapper = table.kind === "table" ? mappers.get(table) : undefined;
    if (mapper === undefined) return [];
    const covering = owner === table ? options : options.filter((o) => o.includeAliases);
    return entityCriteria(covering, mapper, owner);
  };
  const joinedTo = new Set<FromNode>();
  const from = node.from.map((f) => withJoinCriteria(f, criteriaOf, joinedTo));
  const owners: FromNode[] = [];
  const addOwner = (owner: FromNode | undefined): void => {
    if (owner !== undefined && (owner.kind === "table" || owner.kind === "alias") && !joinedTo.has(owner) && !owners.includes(owner)) owners.push(owner);
  };
  for (const f of node.from) leavesOf(f).forEach(addOwner);
  for (const element of layout) if (element.kind === "entity") addOwner(element.owner ?? element.mapper.table.node);
  if (node.where !== undefined) surfaceOwners(node.where).forEach(addOwner);
  const where = owners.flatMap(criteriaOf);
  if (where.length === 0 && from.every((f, i) => f === node.from[i])) return node;
  const combined = where.length === 0 ? node.where : andOf(node.where === undefined ? where : [node.where, ...where]);
  return Object.freeze({ ...node, from, where: combined });
}

/** `from` with the criteria of each entity joined to added to its join's ON; the entities joined to go in `joinedTo`. */
function withJoinCriteria(from: FromNode, criteriaOf: (owner: FromNode) => Node[], joinedTo: Set<FromNode>): FromNode {
  if (from.kind !== "join") return from;
  const left = withJoinCriteria(from.left, criteriaOf, joinedTo);
  const right = withJoinCriteria(from.right, criteriaOf, joinedTo);
  const extra = from.right.kind === "table" || from.right.kind === "alias" ? criteriaOf(from.right) : [];
  if (from.right.kind !== "join") joinedTo.add(from.right);
  if (extra.length === 0 && left === from.left && right === from.right) return from;
  return Object.freeze({ ...from, left, right, on: extra.length === 0 ? from.on : andOf([from.on, ...extra]) });
}

/**
 * The mappers whose tables the statement may name: its entities', those their relationships
 * reach (joined along them or by hand), and the classes the options name.
 */
function mappersByTable(layout: readonly ResultElement[], options: readonly LoaderCriteriaOption[]): Map<FromNode, Mapper> {
  const byTable = new Map<FromNode, Mapper>();
  const pending: Mapper[] = [];
  for (const element of layout) if (element.kind === "entity") pending.push(element.mapper);
  for (const option of options) {
    const mapper = mapperOfClass(option.entity);
    if (mapper !== undefined) pending.push(mapper);
  }
  for (let mapper = pending.pop(); mapper !== undefined; mapper = pending.pop()) {
    if (byTable.has(mapper.table.node)) continue;
    byTable.set(mapper.table.node, mapper);
    for (const property of mapper.relationships) pending.push(property.join.target as Mapper);
  }
  return byTable;
}

function leavesOf(from: FromNode): FromNode[] {
  return from.kind === "join" ? [...leavesOf(from.left), ...leavesOf(from.right)] : [from];
}

/** The FROM items whose columns `node` names outside subqueries (SQLAlchemy's `surface_expressions`). */
function surfaceOwners(node: Node): FromNode[] {
  const owners: FromNode[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== "object" || value === null || typeof (value as { kind?: unknown }).kind !== "string") return;
    const item = value as Node;
    if (item.kind === "column") {
      if (item.owner !== undefined) owners.push(item.owner);
      return;
    }
    if (item.kind === "bind" || item.kind === "select" || item.kind === "compound-select" || item.kind === "exists" || item.kind === "scalar-subquery") return;
    for (const [key, child] of Object.entries(item)) if (key !== "type") visit(child);
  };
  visit(node);
  return owners;
}

function andOf(clauses: readonly Node[]): Node {
  return clauses.length === 1 ? (clauses[0] as Node) : Object.freeze({ kind: "clause-list", operator: "AND", clauses });
}
