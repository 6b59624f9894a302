import { SqlCompiler } from "../../compiler/sql-compiler.ts";
import type { FromNode } from "../../sql/nodes.ts";
import type { SqlType } from "../../types/sql-type.ts";
import { postgresqlCapabilities } from "./postgresql-capabilities.ts";

/**
 * PostgreSQL's SQL: `$1…$n` placeholders, native ILIKE, and `$n::TYPE` where the server could
 * not infer a parameter's type from its surroundings (`SELECT $1::INTEGER`, `$1::INTEGER + $2::INTEGER`).
 */
export class PostgresqlCompiler extends SqlCompiler {
  constructor(options: { cacheSize?: number } = {}) {
    super(postgresqlCapabilities, options);
  }

  override placeholder(n: number): string {
    return `$${n}`;
  }

  protected override renderIlike(operand: string, pattern: string, negated: boolean, escape: string): string {
    return `${operand} ${negated ? "NOT ILIKE" : "ILIKE"} ${pattern}${escape}`;
  }

  /**
   * The cast names the widest form of the bind's type: a cast to VARCHAR(n) or NUMERIC(p, s)
   * would truncate or round the value silently, and one to INTEGER would refuse 2^40.
   */
  override renderUntypedBind(placeholder: string, type: SqlType<unknown>): string {
    switch (type.kind) {
      case "integer":
      case "smallint":
      case "bigint":
        return `${placeholder}::BIGINT`;
      case "string":
        return `${placeholder}::VARCHAR`;
      case "numeric":
        return `${placeholder}::NUMERIC`;
      default:
        return `${placeholder}::${this.castTypeName(type)}`;
    }
  }

  /** `FOR UPDATE OF` names tables without their schema. */
  protected override lockTargetName(from: FromNode): string {
    return from.kind === "table" ? this.quote(from.name) : super.lockTargetName(from);
  }

  protected override castTypeName(type: SqlType<unknown>): string {
    switch (type.kind) {
      case "float":
        return "DOUBLE PRECISION";
      case "datetime":
        return type.options.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP WITHOUT TIME ZONE";
      case "json":
        return "JSON";
      case "uuid":
        return "UUID";
      case "binary":
        return "BYTEA";
      case "enum":
        return type.options.name === undefined ? "VARCHAR" : this.quote(type.options.name);
      default:
        return super.castTypeName(type);
    }
  }
}
