import type { JsonPathNode } from "../sql/nodes.ts";

/**
 * PostgreSQL's JSON operators: `->` / `->>` for one key or index, `#>` / `#>>` for a path (an
 * ARRAY of the bound elements), and a CAST of the text form for a scalar read. Keys are cast to
 * TEXT and indexes to INTEGER, since the parameters travel untyped.
 *
 * ```sql
 * "docs"."data" -> CAST($1 AS TEXT)
 * CAST("docs"."data" #>> ARRAY[CAST($1 AS TEXT), CAST($2 AS TEXT)] AS INTEGER)
 * ```
 */
export function postgresqlJsonPath(node: JsonPathNode, operand: string, elements: readonly string[]): string {
  const text = node.as !== "json";
  let sql: string;
  if (node.form === "item" && elements.length === 1) {
    const element = `CAST(${elements[0]} AS ${node.indexes[0] ? "INTEGER" : "TEXT"})`;
    sql = `${operand} ${text ? "->>" : "->"} ${element}`;
  } else {
    sql = `${operand} ${text ? "#>>" : "#>"} ARRAY[${elements.map((e) => `CAST(${e} AS TEXT)`).join(", ")}]`;
  }
  switch (node.as) {
    case "json":
    case "text":
      return sql;
    case "integer":
      return `CAST(${sql} AS INTEGER)`;
    case "float":
      return `CAST(${sql} AS DOUBLE PRECISION)`;
    case "boolean":
      return `CAST(${sql} AS BOOLEAN)`;
  }
}

/**
 * MySQL / MariaDB: `JSON_EXTRACT(doc, CONCAT('$', ?, …))` with each bound element a JSONPath
 * segment; `JSON_UNQUOTE` for text, a CAST for numbers, and a comparison with `'true'` for
 * booleans (MariaDB's JSON is text).
 */
export function mysqlJsonPath(node: JsonPathNode, operand: string, elements: readonly string[]): string {
  const extract = `JSON_EXTRACT(${operand}, CONCAT('$', ${elements.join(", ")}))`;
  switch (node.as) {
    case "json":
      return extract;
    case "text":
      return `JSON_UNQUOTE(${extract})`;
    case "integer":
      return `CAST(${extract} AS SIGNED)`;
    case "float":
      return `CAST(${extract} AS DOUBLE)`;
    case "boolean":
      return `(JSON_UNQUOTE(${extract}) = 'true')`;
  }
}

/**
 * SQLite (≥ 3.38): `doc -> ('$' || ? || …)` for an element as JSON — SQL NULL when the path is
 * missing, as on PostgreSQL and MySQL (SQLAlchemy's `JSON_QUOTE(JSON_EXTRACT(…))` gives the text
 * `null` there) — and `JSON_EXTRACT(doc, …)` for scalars (a JSON string as text, true as 1).
 */
export function sqliteJsonPath(node: JsonPathNode, operand: string, elements: readonly string[]): string {
  const path = ["'$'", ...elements].join(" || ");
  return node.as === "json" ? `${operand} -> (${path})` : `JSON_EXTRACT(${operand}, ${path})`;
}
