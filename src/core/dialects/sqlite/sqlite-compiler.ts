import { SqlCompiler } from "../../compiler/sql-compiler.ts";
import { sqliteJsonPath } from "../../compiler/json-path-sql.ts";
import type { JsonPathNode } from "../../sql/nodes.ts";
import type { SqlType } from "../../types/sql-type.ts";
import { sqliteCapabilities } from "./sqlite-capabilities.ts";

/**
 * SQLite's SQL: `?` placeholders, booleans as 1/0, `LIMIT -1` before a lone OFFSET, compound
 * members that need their own ORDER BY/LIMIT as `SELECT * FROM (…)` (SQLite cannot parenthesise
 * them), `IS` / `IS NOT` for null-safe comparison, `CURRENT_TIMESTAMP` for `now()`, and
 * `a / (b + 0.0)` for true division of integers.
 */
export class SqliteCompiler extends SqlCompiler {
  constructor(options: { cacheSize?: number } = {}) {
    super(sqliteCapabilities, options);
  }

  protected override renderBoolean(value: boolean): string {
    return value ? "1" : "0";
  }

  protected override renderLimitOffset(limit: string | undefined, offset: string | undefined): string {
    if (limit === undefined && offset !== undefined) return ` LIMIT -1 OFFSET ${offset}`;
    return super.renderLimitOffset(limit, offset);
  }

  /** True division of integers, as SQLAlchemy writes it for SQLite. */
  protected override renderDivision(left: string, right: string, integers: boolean): string {
    return integers ? `${left} / (${right} + 0.0)` : super.renderDivision(left, right, false);
  }

  protected override wrapCompoundPart(sql: string): string {
    return `SELECT * FROM (${sql})`;
  }

  protected override renderDistinctFrom(left: string, right: string, negated: boolean): string {
    return `${left} ${negated ? "IS" : "IS NOT"} ${right}`;
  }

  protected override renderFunction(name: string, args: readonly string[]): string {
    if (args.length === 0 && name.toLowerCase() === "now") return "CURRENT_TIMESTAMP";
    return super.renderFunction(name, args);
  }

  /** Type names by the storage the values use here (dates and exact decimals are TEXT). */
  protected override castTypeName(type: SqlType<unknown>): string {
    switch (type.kind) {
      case "integer":
      case "bigint":
      case "smallint":
      case "boolean":
      case "interval":
        return "INTEGER";
      case "float":
        return "REAL";
      case "binary":
        return "BLOB";
      case "string":
        return super.castTypeName(type);
      default:
        return "TEXT";
    }
  }

  protected override renderJsonPath(node: JsonPathNode, operand: string, elements: readonly string[]): string {
    return sqliteJsonPath(node, operand, elements);
  }
}
