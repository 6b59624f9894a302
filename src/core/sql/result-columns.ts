import type { SqlType } from "../types/sql-type.ts";
import { jsonElementType } from "../types/json-path-element.ts";
import { BooleanType, NullType } from "../types/type-constructors.ts";
import type { Node } from "./nodes.ts";

/** One column of a SELECT's result: the key rows use, the SQL name, and whether it needs `AS`. */
export interface ResultColumn {
  readonly key: string;
  /** The name the column has in the result set (what an enclosing query refers to). */
  readonly name: string;
  /** Render `expr AS name` (labels, anonymous expressions, and duplicated names). */
  readonly labelled: boolean;
  readonly type: SqlType<unknown>;
}

/**
 * Names the columns of a select list, as SQLAlchemy 2.0's "disambiguate only" label style does:
 * columns keep their names, a name seen before gets `_1`, `_2`…, functions are named after
 * themselves and other anonymous expressions `anon_1`…. Pure; shared by the compiler and by
 * subqueries (so `subq.c.x` and the compiled `AS x` always agree).
 */
export function resultColumnsOf(columns: readonly Node[], keys: readonly (string | undefined)[]): ResultColumn[] {
  const used = new Set<string>();
  let anon = 0;
  const unique = (base: string): string => {
    if (!used.has(base)) return base;
    for (let i = 1; ; i++) if (!used.has(`${base}_${i}`)) return `${base}_${i}`;
  };
  return columns.map((node, i) => {
    const natural = naturalName(node);
    const base = natural ?? `anon_${++anon}`;
    const name = unique(base);
    used.add(name);
    const key = name === base ? (keys[i] ?? name) : name;
    const labelled = node.kind === "label" || natural === undefined || name !== base || node.kind === "function";
    return { key, name, labelled: labelled && node.kind !== "star", type: typeOfNode(node) };
  });
}

function naturalName(node: Node): string | undefined {
  switch (node.kind) {
    case "column":
      return node.name;
    case "label":
      return node.name;
    case "function":
      return node.name.toLowerCase();
    case "raw-column":
      // A name, or a bare integer (`SELECT 1` inside EXISTS): written as is, as SQLAlchemy's literal_column.
      return /^[A-Za-z_][A-Za-z0-9_]*$|^[0-9]+$/.test(node.sql) ? node.sql : undefined;
    case "star":
      return "*";
    default:
      return undefined;
  }
}

/** The SQL type an expression yields, where the node tells it. */
export function typeOfNode(node: Node): SqlType<unknown> {
  switch (node.kind) {
    case "column":
    case "bind":
    case "function":
    case "cast":
    case "case":
    case "raw-column":
      return node.type;
    case "label":
    case "grouping":
      return typeOfNode(node.element);
    case "json-path":
      return jsonElementType(node.as);
    case "array-index":
    case "any-all":
      return node.type;
    case "binary":
      return COMPARISONS.has(node.operator) ? BooleanType : typeOfNode(node.left);
    case "in":
    case "between":
    case "like":
    case "exists":
    case "clause-list":
    case "boolean":
      return BooleanType;
    case "unary":
      return node.operator === "-" ? typeOfNode(node.operand) : BooleanType;
    case "scalar-subquery": {
      const first = node.query.kind === "select" ? node.query.columns[0] : undefined;
      return first ? typeOfNode(first) : NullType;
    }
    default:
      return NullType;
  }
}

const COMPARISONS = new Set(["=", "<>", "<", "<=", ">", ">=", "IS", "IS NOT", "IS DISTINCT FROM", "IS NOT DISTINCT FROM", "@>", "<@", "&&"]);
