import { ArgumentError, InvalidRequestError } from "../../shared/errors.ts";
import type { TableColumn } from "../../core/schema/column.ts";
import { type ColumnElement, booleanElement } from "../../core/sql/column-element.ts";
import { bindNode } from "../../core/sql/coercions.ts";
import { Integer } from "../../core/types/type-constructors.ts";
import type { SqlType } from "../../core/types/sql-type.ts";
import type { BinaryNode, FromNode, Node } from "../../core/sql/nodes.ts";
import { type InstanceState, UNLOADED, stateOf } from "../state/instance-state.ts";
import type { Mapper } from "./mapper.ts";
import type { ColumnPair, RelationshipProperty } from "./relationship-property.ts";
import { columnOn } from "./join-columns.ts";
import { replaceOwner } from "./replace-owner.ts";
import { selectNode } from "../../core/sql/select-node.ts";

/**
 * A relationship as one comparison sees it: the property, the FROM item of its parent (the
 * parent's table or an alias of it), the alias `ofType()` named for its target, and the extra
 * criteria `and()` added.
 */
export interface RelationshipSide {
  readonly property: RelationshipProperty;
  readonly parentOwner: FromNode;
  readonly targetOwner: FromNode | undefined;
  readonly criteria: readonly Node[];
}

/** One term of a join condition, written as SQLAlchemy's `primaryjoin` is: referenced column first. */
interface Term {
  readonly referenced: { readonly column: TableColumn<unknown>; readonly side: Side };
  readonly referencing: { readonly column: TableColumn<unknown>; readonly side: Side };
}

type Side = "parent" | "target" | "secondary";

/** The `1` of `EXISTS (SELECT 1 …)`. */
const SELECT_ONE: Node = Object.freeze({ kind: "raw-column", sql: "1", type: Integer as SqlType<unknown> });

/**
 * `EXISTS (SELECT 1 FROM target WHERE <join> AND <criterion>)`, correlated to the enclosing
 * query (SQLAlchemy's `_criterion_exists`, behind `any()`, `has()` and the NULL comparisons of
 * collections). A many-to-many selects from the target and its association table. A
 * self-referential relationship without `ofType()` aliases the target anonymously and moves the
 * criterion onto that alias, as SQLAlchemy does.
 */
export function criterionExists(side: RelationshipSide, criterion?: Node): ColumnElement<boolean> {
  const { property } = side;
  const target = property.join.target as Mapper;
  let targetOwner = side.targetOwner ?? target.table.node;
  let extra = [...side.criteria, ...(criterion ? [criterion] : [])];
  if (side.targetOwner === undefined && targetOwner === baseTableOf(side.parentOwner)) {
    const anonymous: FromNode = Object.freeze({ kind: "alias", element: target.table.node, name: `${target.table.node.name}_1` });
    extra = extra.map((c) => replaceOwner(c, targetOwner, anonymous));
    targetOwner = anonymous;
  }
  const secondary = property.join.secondary?.table.node;
  const owners = { parent: side.parentOwner, target: targetOwner, secondary };
  const where = andNodes([...termsOf(property).map((t) => equate(t, owners)), ...extra]);
  const from = secondary ? [targetOwner, secondary] : [targetOwner];
  const query = selectNode({
    columns: [SELECT_ONE],
    columnKeys: [undefined],
    from,
    where,
    // SQLAlchemy's correlate_except(target[, secondary]): every other FROM item the criteria name
    // comes from the enclosing query.
    correlate: ownersIn(where).filter((o) => !from.includes(o)),
  });
  return booleanElement({ kind: "exists", query });
}

/**
 * The comparison of the relationship with one object (SQLAlchemy's `_optimized_compare` in the
 * reverse direction): the join condition with the target's columns replaced by the object's
 * values. `Post.author.eq(user)` → `? = posts.user_id`; `User.posts.contains(post)` →
 * `users.id = ?`; a many-to-many goes through an anonymous alias of the association table,
 * which joins the enclosing query's FROM list (`users.id = post_tags_1.post_id AND ? = post_tags_1.tag_id`).
 */
export function compareToInstance(side: RelationshipSide, instance: unknown): ColumnElement<boolean> {
  const state = targetState(side.property, instance);
  const secondaryTable = side.property.join.secondary?.table.node;
  const secondary: FromNode | undefined = secondaryTable && Object.freeze({ kind: "alias", element: secondaryTable, name: `${secondaryTable.name}_1` });
  const owners = { parent: side.parentOwner, target: undefined, secondary };
  const terms = termsOf(side.property).map((term) => {
    const bound = (column: TableColumn<unknown>) => bindNode(valueOf(side.property, state, column), column.type);
    const left = term.referenced.side === "target" ? bound(term.referenced.column) : columnNode(term.referenced, owners);
    const right = term.referencing.side === "target" ? bound(term.referencing.column) : columnNode(term.referencing, owners);
    return Object.freeze({ kind: "binary", operator: "=", left, right } satisfies BinaryNode);
  });
  return booleanElement(andNodes(terms));
}

/**
 * A many-to-one's foreign key against NULL (`Post.author.eq(null)` → `posts.user_id IS NULL`), or
 * with `negate`, against not NULL.
 */
export function foreignKeyIsNull(side: RelationshipSide, negate: boolean): ColumnElement<boolean> {
  const tests: Node[] = side.property.join.pairs.map((p) =>
    Object.freeze({ kind: "unary", operator: negate ? "IS NOT NULL" : "IS NULL", operand: columnOn(side.parentOwner, p.local).node }),
  );
  return booleanElement(andNodes(tests));
}

/**
 * `Post.author.ne(user)`: a many-to-one whose foreign key is the target's primary key compares
 * the key column by column, NULL counting as different (`posts.user_id <> ? OR posts.user_id IS
 * NULL`); any other relationship tests that no related row has the object's primary key
 * (`NOT EXISTS (… AND target.id = ?)`), as SQLAlchemy's `__ne__`.
 */
export function differsFromInstance(side: RelationshipSide, instance: unknown): ColumnElement<boolean> {
  const { property } = side;
  const state = targetState(property, instance);
  if (property.join.direction === "many-to-one" && property.join.useGet) {
    const tests = property.join.pairs.map((p): Node => {
      const column = columnOn(side.parentOwner, p.local).node;
      const differs: Node = { kind: "binary", operator: "<>", left: column, right: bindNode(valueOf(property, state, p.remote), p.local.type) };
      return { kind: "clause-list", operator: "OR", clauses: [differs, { kind: "unary", operator: "IS NULL", operand: column }] };
    });
    return booleanElement(andNodes(tests));
  }
  return booleanElement({ kind: "unary", operator: "NOT", operand: primaryKeyExists(side, state).node });
}

/** `EXISTS (… AND target.pk = ?)`: the relationship holds the object (a many-to-many `contains()`'s negation uses it). */
export function primaryKeyExists(side: RelationshipSide, state: InstanceState): ColumnElement<boolean> {
  const target = side.property.join.target as Mapper;
  const owner = side.targetOwner ?? target.table.node;
  const keys: Node[] = target.primaryKey.map((pk) => ({
    kind: "binary",
    operator: "=",
    left: columnOn(owner, pk.column).node,
    right: bindNode(valueOf(side.property, state, pk.column), pk.column.type),
  }));
  return criterionExists(side, andNodes(keys));
}

/** The state of `instance`, checked to be an object of the relationship's target class. */
export function targetState(property: RelationshipProperty, instance: unknown): InstanceState {
  const state = stateOf(instance);
  const target = property.join.target as Mapper;
  if (state === undefined) {
    throw new ArgumentError(
      `${property.path}: a mapped instance is expected for a relationship comparison to an object, got ${describe(instance)}; ` +
        `to compare with criteria use ${property.join.uselist ? "any" : "has"}(...)`,
    );
  }
  if (state.mapper !== target) {
    throw new ArgumentError(`${property.path} relates to ${target.className} objects; got a ${state.mapper.className}`);
  }
  return state;
}

/**
 * The object's value of a target column, as the comparison binds it. A primary key column falls
 * back to the identity an expired instance keeps; any other unloaded value cannot be read without
 * SQL, so the message says how to load it first.
 */
function valueOf(property: RelationshipProperty, state: InstanceState, column: TableColumn<unknown>): unknown {
  const target = property.join.target as Mapper;
  const attribute = target.columns.find((c) => c.column === column);
  if (attribute === undefined) throw new InvalidRequestError(`internal: ${column.name} is not a mapped column of ${target.className}`);
  const value = state.valueAt(attribute.slot);
  if (value !== UNLOADED) return value;
  const pkIndex = target.primaryKey.indexOf(attribute);
  const identity = state.hasIdentity ? state.identity : undefined;
  if (pkIndex >= 0 && identity !== undefined) return identity[pkIndex];
  throw new InvalidRequestError(
    `Can't compare ${property.path} with ${target.describe(state)}: its attribute '${attribute.key}' is not loaded ` +
      `(${state.unloadedReason ?? "never loaded"}). Load it first: \`await obj.awaitableAttrs.${attribute.key}\` or \`await session.refresh(obj)\`.`,
  );
}

/** The join condition's terms: parent ↔ target, or parent ↔ secondary then secondary ↔ target. */
function termsOf(property: RelationshipProperty): Term[] {
  const join = property.join;
  const towardTarget = (p: ColumnPair, remoteSide: Side): Term =>
    join.direction === "many-to-one"
      ? { referenced: { column: p.remote, side: remoteSide }, referencing: { column: p.local, side: "parent" } }
      : { referenced: { column: p.local, side: "parent" }, referencing: { column: p.remote, side: remoteSide } };
  if (!join.secondary) return join.pairs.map((p) => towardTarget(p, "target"));
  return [
    ...join.pairs.map((p) => towardTarget(p, "secondary")),
    ...join.secondary.targetPairs.map((p): Term => ({ referenced: { column: p.remote, side: "target" }, referencing: { column: p.local, side: "secondary" } })),
  ];
}

type Owners = { readonly parent: FromNode; readonly target: FromNode | undefined; readonly secondary: FromNode | undefined };

function columnNode(end: Term["referenced"], owners: Owners): Node {
  const owner = owners[end.side];
  return owner === undefined ? end.column.node : columnOn(owner, end.column).node;
}

function equate(term: Term, owners: Owners): Node {
  return Object.freeze({ kind: "binary", operator: "=", left: columnNode(term.referenced, owners), right: columnNode(term.referencing, owners) });
}

function andNodes(nodes: readonly Node[]): Node {
  return nodes.length === 1 ? (nodes[0] as Node) : Object.freeze({ kind: "clause-list", operator: "AND", clauses: nodes });
}

function baseTableOf(owner: FromNode): FromNode {
  return owner.kind === "alias" ? owner.element : owner;
}

/** The FROM items whose columns `node` names (not looking into subqueries). */
function ownersIn(node: Node): FromNode[] {
  const owners: FromNode[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (typeof n !== "object" || n === null || typeof (n as { kind?: unknown }).kind !== "string") return;
    const item = n as Node;
    if (item.kind === "column") {
      if (item.owner && !owners.includes(item.owner)) owners.push(item.owner);
      return;
    }
    if (item.kind === "bind" || item.kind === "select" || item.kind === "compound-select" || item.kind === "exists" || item.kind === "scalar-subquery") return;
    for (const [key, value] of Object.entries(item)) if (key !== "type") visit(value);
  };
  visit(node);
  return owners;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "function") return `the class ${value.name || "(anonymous)"}`;
  if (typeof value === "object") return `a ${value.constructor?.name ?? "plain object"}`;
  return `the ${typeof value} ${JSON.stringify(value)}`;
}
