import type { ColumnNode, FromNode, Node } from "../../core/sql/nodes.ts";

/** Kinds whose parts are no columns of this query's FROM items: left as they are. */
const OPAQUE = new Set<Node["kind"]>(["bind", "column-default", "null", "boolean", "raw-column", "text", "select", "compound-select", "exists", "scalar-subquery"]);

/**
 * `node` with every column of `from` moved onto `to` (SQLAlchemy's `ClauseAdapter`): a criterion
 * written against a class (`User.name.eq("x")`) applied to that class's alias. Subqueries keep
 * their columns; unchanged parts of the tree are shared, not copied.
 */
export function replaceOwner(node: Node, from: FromNode, to: FromNode): Node {
  if (node.kind === "column") return node.owner === from ? Object.freeze({ ...node, owner: to } satisfies ColumnNode) : node;
  if (OPAQUE.has(node.kind)) return node;
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const next = key === "type" ? value : replaceIn(value, from, to);
    if (next !== value) changed = true;
    copy[key] = next;
  }
  return changed ? (Object.freeze(copy) as unknown as Node) : node;
}

function replaceIn(value: unknown, from: FromNode, to: FromNode): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => replaceIn(item, from, to));
    return items.some((item, i) => item !== value[i]) ? Object.freeze(items) : value;
  }
  if (typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "string") {
    return replaceOwner(value as Node, from, to);
  }
  return value;
}

/** Kinds `replaceOwnerDeep` leaves as they are: FROM items (a subquery's own FROM list) and values. */
const DEEP_OPAQUE = new Set<Node["kind"]>(["bind", "column-default", "null", "boolean", "raw-column", "text", "table", "alias", "subquery", "cte", "join"]);

/**
 * `replaceOwner` that also goes into subqueries: a correlated subquery over the class's table (a
 * column property's `count(*) … WHERE posts.author_id = authors.id`) moved onto an alias then
 * correlates to the alias. Only for expressions meant to be correlated: an uncorrelated subquery of
 * the same table would become correlated.
 */
export function replaceOwnerDeep(node: Node, from: FromNode, to: FromNode): Node {
  if (node.kind === "column") return node.owner === from ? Object.freeze({ ...node, owner: to } satisfies ColumnNode) : node;
  // The table itself, where a subquery names it (its correlate() list): the alias instead.
  if (node === from) return to;
  if (DEEP_OPAQUE.has(node.kind)) return node;
  let changed = false;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    const next = key === "type" ? value : replaceDeepIn(value, from, to);
    if (next !== value) changed = true;
    copy[key] = next;
  }
  return changed ? (Object.freeze(copy) as unknown as Node) : node;
}

function replaceDeepIn(value: unknown, from: FromNode, to: FromNode): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => replaceDeepIn(item, from, to));
    return items.some((item, i) => item !== value[i]) ? Object.freeze(items) : value;
  }
  if (typeof value === "object" && value !== null && typeof (value as { kind?: unknown }).kind === "string") {
    return replaceOwnerDeep(value as Node, from, to);
  }
  return value;
}
