import { ArgumentError } from "../../shared/errors.ts";
import type { TableColumn } from "../../core/schema/column.ts";
import type { Table } from "../../core/schema/table.ts";
import { type Expression, coerceToClause } from "../../core/sql/coercions.ts";
import type { Node } from "../../core/sql/nodes.ts";

/** One `a = b` of a hand-written join condition: a column of `one` table and a column of `other`. */
export interface JoinEquality {
  readonly one: TableColumn<unknown>;
  readonly other: TableColumn<unknown>;
}

/**
 * The equalities of a hand-written join condition (`primaryjoin` / `secondaryjoin`) between the
 * columns of two tables: `one.x = other.y AND …`, in either order, each given as (column of
 * `one`, column of `other`) — for a self-referential condition (`one === other`), as written.
 * Another term (a filter such as `posts.published = true`) is refused with the way to get it:
 * criteria on the query (`join(User.posts.and(…))`).
 *
 * Which column of each equality holds the foreign key — what makes a many-to-one or a
 * one-to-many — is decided by the caller, as SQLAlchemy's `JoinCondition` does after it finds the pairs.
 */
export function joinEqualities(condition: Expression<boolean>, one: Table, other: Table, path: string, what: string): JoinEquality[] {
  const equalities: JoinEquality[] = [];
  for (const term of andTerms(coerceToClause(condition, what))) {
    const equality = term.kind === "binary" && term.operator === "=" ? columnsOf(term.left, term.right, one, other) : undefined;
    if (equality === undefined) {
      throw new ArgumentError(
        `${path}: ${what} may only equate columns of "${one.name}" and "${other.name}" (a = b AND …); ` +
          "put other conditions on the query instead, e.g. join(Parent.children.and(criteria)).",
      );
    }
    equalities.push(equality);
  }
  return equalities;
}

function andTerms(node: Node): Node[] {
  if (node.kind === "clause-list" && node.operator === "AND") return node.clauses.flatMap(andTerms);
  if (node.kind === "grouping") return andTerms(node.element);
  return [node];
}

/** (column of `one`, column of `other`) when `a = b` links the two tables, in either order. */
function columnsOf(a: Node, b: Node, one: Table, other: Table): JoinEquality | undefined {
  const aOne = columnOf(a, one);
  const bOther = columnOf(b, other);
  if (aOne !== undefined && bOther !== undefined) return { one: aOne, other: bOther };
  const bOne = columnOf(b, one);
  const aOther = columnOf(a, other);
  if (bOne !== undefined && aOther !== undefined) return { one: bOne, other: aOther };
  return undefined;
}

function columnOf(node: Node, table: Table): TableColumn<unknown> | undefined {
  return node.kind === "column" && node.owner === table.node ? table.column(node.name) : undefined;
}

/**
 * Whether `column` holds the foreign key of an equality with `other`: it is named in the
 * relationship's `foreignKeys`, or (without them) a foreign key of its table references `other`.
 */
export function isForeign(column: TableColumn<unknown>, other: TableColumn<unknown>, table: Table, foreignKeys: readonly string[] | undefined): boolean {
  if (foreignKeys !== undefined) return foreignKeys.includes(column.key);
  const referenced = table.metadata;
  return table.foreignKeys.some((fk) => {
    const at = fk.columns.indexOf(column.key);
    if (at < 0) return false;
    const target = referenced.referencedTable(fk);
    const name = (fk.targets[at] as string).slice((fk.targets[at] as string).lastIndexOf(".") + 1);
    return target.node === other.node.owner && target.column(name) === other;
  });
}
