import { ArgumentError } from "../../shared/errors.ts";
import type { Expression } from "./coercions.ts";
import { FromClause } from "./from-clause.ts";
import type { FromNode } from "./nodes.ts";

/**
 * The protocol by which things that are not FROM items join like one (SQLAlchemy's
 * `__clause_element__` as `join()` sees it): a mapped class stands for its table, a relationship
 * attribute for its target table along its join condition. Keeping the protocol in `sql/` lets
 * Core's `select().join()` take them without importing the ORM.
 */
export const JOIN_TARGET: unique symbol = Symbol.for("tsalchemy.joinTarget");

/** One `JOIN` a target expands into. */
export interface JoinStep {
  /** The FROM item joined. */
  readonly target: FromClause;
  /** Its ON clause; `undefined` infers it from the foreign key (as for a table). */
  readonly on: Expression<boolean> | undefined;
  /** The FROM item the join starts from when the select has none yet (a relationship's parent table). */
  readonly from?: FromClause;
  /** Criteria ANDed to the ON clause, given or inferred (a single-table subclass's discriminator values). */
  readonly criterion?: Expression<boolean>;
}

/**
 * Something `join()` accepts besides a FROM item: a mapped class or a relationship attribute.
 * `toward`, given when a relationship is the ON clause (`join(Manager, User.manager)`), is the
 * FROM item the joins must end at: an alias of the relationship's target.
 */
export interface Joinable {
  [JOIN_TARGET](toward?: FromClause): readonly JoinStep[];
}

/** What `join()`, `outerjoin()` and `joinFrom()` take: a table, alias, subquery, CTE, mapped class or relationship. */
export type JoinTarget = FromClause | Joinable;

function isJoinable(value: unknown): value is Joinable {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as Partial<Joinable>)[JOIN_TARGET] === "function";
}

/** The joins `target` stands for: one for a FROM item or mapped class; two for a many-to-many relationship. */
export function joinStepsOf(target: unknown, where: string): readonly JoinStep[] {
  if (target instanceof FromClause) return [{ target, on: undefined }];
  if (isJoinable(target)) return target[JOIN_TARGET]();
  throw new ArgumentError(`${where} expects a table, alias, subquery, mapped class or relationship attribute, got ${describe(target)}`);
}

/**
 * The joins of `join(target, relationship)`: the relationship's, ending at the FROM item `target`
 * names (SQLAlchemy's `join(aliased_class, Class.relationship)`).
 */
export function joinStepsToward(relationship: unknown, target: unknown, where: string): readonly JoinStep[] {
  if (!isJoinable(relationship)) {
    throw new ArgumentError(`${where} takes as its ON clause a SQL expression or a relationship attribute, got ${describe(relationship)}`);
  }
  const steps = joinStepsOf(target, where);
  const only = steps[0];
  if (steps.length !== 1 || only === undefined || only.on !== undefined) {
    throw new ArgumentError(`${where} with a relationship as the ON clause takes a table, alias or mapped class as the target`);
  }
  return relationship[JOIN_TARGET](only.target);
}

/** The one FROM item `target` names: a FROM item or a mapped class, not a relationship. */
export function fromItemOf(target: unknown, where: string): FromNode {
  const steps = joinStepsOf(target, where);
  const only = steps[0];
  if (steps.length !== 1 || only === undefined || only.on !== undefined) {
    throw new ArgumentError(`${where} takes a table, alias, subquery or mapped class; a relationship names a join, not a FROM item`);
  }
  return only.target.node;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 60))}`;
  if (typeof value === "function") return `the unmapped class ${value.name || "(anonymous)"}`;
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return typeof value;
}
