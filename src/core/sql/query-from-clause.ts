import type { SqlType } from "../types/sql-type.ts";
import { ColumnRef, FromClause } from "./from-clause.ts";
import type { CompoundSelectNode, CteNode, SelectNode, SubqueryNode } from "./nodes.ts";
import { resultColumnsOf } from "./result-columns.ts";

/** The `.c` collection of a subquery or CTE: one column per result column of the query, by key. */
export type QueryColumns<R> = { readonly [K in keyof R & string]: ColumnRef<R[K], K> };

function columnsOf(query: SelectNode | CompoundSelectNode, owner: SubqueryNode | CteNode): Record<string, ColumnRef<unknown, string>> {
  const select = firstSelect(query);
  const out: Record<string, ColumnRef<unknown, string>> = {};
  for (const col of resultColumnsOf(select.columns, select.columnKeys)) {
    out[col.key] = new ColumnRef(col.key, col.name, col.type as SqlType<unknown>, owner);
  }
  return out;
}

/** The select whose columns name the result of a (possibly compound) query. */
export function firstSelect(query: SelectNode | CompoundSelectNode): SelectNode {
  let q: SelectNode | CompoundSelectNode = query;
  while (q.kind === "compound-select") q = q.selects[0] as SelectNode | CompoundSelectNode;
  return q;
}

/**
 * `(SELECT …) AS name` used as a FROM item; its columns are `subq.c.<key>`.
 *
 * ```ts
 * const counts = select(posts.c.userId, func.count().label("n")).groupBy(posts.c.userId).subquery("counts");
 * select(users.c.name, counts.c.n).join(counts, users.c.id.eq(counts.c.userId));
 * ```
 */
export class Subquery<R = Record<string, unknown>> extends FromClause<QueryColumns<R>> {
  readonly node: SubqueryNode;
  readonly c: QueryColumns<R>;

  constructor(query: SelectNode | CompoundSelectNode, name: string) {
    super();
    this.node = Object.freeze({ kind: "subquery", query, name });
    this.c = Object.freeze(columnsOf(query, this.node)) as QueryColumns<R>;
    Object.freeze(this);
  }
}

/** `WITH name AS (…)`: a common table expression, referenced by name wherever it is used. */
export class Cte<R = Record<string, unknown>> extends FromClause<QueryColumns<R>> {
  readonly node: CteNode;
  readonly c: QueryColumns<R>;

  constructor(query: SelectNode | CompoundSelectNode, name: string, recursive: boolean) {
    super();
    this.node = Object.freeze({ kind: "cte", query, name, recursive });
    this.c = Object.freeze(columnsOf(query, this.node)) as QueryColumns<R>;
    Object.freeze(this);
  }

  /**
   * The recursive form: `cte.unionAll(select(...).where(... cte.c.x ...))` builds
   * `WITH RECURSIVE name AS (anchor UNION ALL recursive-part)`.
   */
  unionAll(recursivePart: { readonly queryNode: SelectNode | CompoundSelectNode }): Cte<R> {
    return this.#compound("UNION ALL", recursivePart.queryNode);
  }

  union(recursivePart: { readonly queryNode: SelectNode | CompoundSelectNode }): Cte<R> {
    return this.#compound("UNION", recursivePart.queryNode);
  }

  #compound(operator: "UNION" | "UNION ALL", part: SelectNode | CompoundSelectNode): Cte<R> {
    const query: CompoundSelectNode = {
      kind: "compound-select",
      operator,
      selects: [this.node.query, part],
      orderBy: [],
      limit: undefined,
      offset: undefined,
      ctes: [],
    };
    return new Cte<R>(query, this.node.name, true);
  }
}
