import { InvalidRequestError } from "../../shared/errors.ts";
import type { FromNode, Node, SelectNode } from "../sql/nodes.ts";

/**
 * The FROM list of a SELECT: explicit items (and joins) first, then the tables the columns and
 * criteria name that no join already covers, less those correlated to an enclosing query
 * (`scopes`: the FROM items of the enclosing queries, innermost last): the ones named by
 * `correlate()`, or by default (with two FROM items or more) every one the enclosing query has.
 */
export function fromListOf(node: SelectNode, scopes: readonly (readonly FromNode[])[]): FromNode[] {
  const covered = new Set<FromNode>();
  const cover = (f: FromNode): void => {
    covered.add(f);
    if (f.kind === "join") {
      cover(f.left);
      cover(f.right);
    }
  };
  node.from.forEach(cover);
  const implicit: FromNode[] = [];
  const collect = (n: Node | undefined): void => {
    if (n === undefined) return;
    if (n.kind === "column" || n.kind === "star") {
      if (n.owner && !covered.has(n.owner) && !implicit.includes(n.owner)) implicit.push(n.owner);
      return;
    }
    if (n.kind === "scalar-subquery" || n.kind === "exists" || n.kind === "select" || n.kind === "compound-select") return;
    if (n.kind === "in" && !Array.isArray(n.values)) {
      collect(n.left);
      return;
    }
    for (const value of Object.values(n)) {
      if (Array.isArray(value)) {
        for (const item of value) {
          if (Array.isArray(item)) item.forEach((x) => collect(x as Node));
          else if (item && typeof item === "object" && "kind" in item) collect(item as Node);
        }
      } else if (value && typeof value === "object" && "kind" in value) collect(value as Node);
    }
  };
  node.columns.forEach(collect);
  collect(node.where);
  collect(node.having);
  const enclosing = scopes.flat();
  const enclosingCovers = new Set<FromNode>();
  const coverEnclosing = (f: FromNode): void => {
    enclosingCovers.add(f);
    if (f.kind === "join") {
      coverEnclosing(f.left);
      coverEnclosing(f.right);
    }
  };
  enclosing.forEach(coverEnclosing);
  // SQLAlchemy auto-correlates only a query with more than one FROM item: a subquery whose one
  // table is also the enclosing query's (`x IN (SELECT users.manager_id FROM users)`) keeps it.
  const autoCorrelates = node.from.length + implicit.length > 1;
  const correlated =
    node.correlate === "auto"
      ? autoCorrelates
        ? implicit.filter((f) => enclosingCovers.has(f))
        : []
      : implicit.filter((f) => (node.correlate as readonly FromNode[]).includes(f));
  const remaining = implicit.filter((f) => !correlated.includes(f));
  if (node.from.length === 0 && remaining.length === 0 && correlated.length > 0 && node.correlate === "auto") {
    throw new InvalidRequestError(
      "Select statement returned no FROM clauses due to auto-correlation; specify correlate(<tables>) to control correlation manually.",
    );
  }
  return [...node.from, ...remaining];
}
