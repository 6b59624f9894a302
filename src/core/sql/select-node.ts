import type { SelectNode } from "./nodes.ts";

const NONE: readonly never[] = Object.freeze([]);

/**
 * A frozen SELECT node: the parts given, the rest empty (no WHERE, grouping, ordering, limit,
 * DISTINCT, locking or CTEs; correlation "auto"). For statements built without `select()`.
 */
export function selectNode(parts: Pick<SelectNode, "columns" | "columnKeys"> & Partial<Omit<SelectNode, "kind">>): SelectNode {
  return Object.freeze({
    kind: "select",
    from: NONE,
    where: undefined,
    groupBy: NONE,
    having: undefined,
    orderBy: NONE,
    limit: undefined,
    offset: undefined,
    distinct: false,
    forUpdate: undefined,
    ctes: NONE,
    correlate: "auto",
    ...parts,
  });
}
