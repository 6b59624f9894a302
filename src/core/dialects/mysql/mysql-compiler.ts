import { NotSupportedFeatureError } from "../../../shared/errors.ts";
import { quoteIdentifier } from "../../compiler/identifiers.ts";
import { type CompileState, SqlCompiler } from "../../compiler/sql-compiler.ts";
import { mysqlJsonPath } from "../../compiler/json-path-sql.ts";
import type { JsonPathNode, OnConflict, SelectNode } from "../../sql/nodes.ts";
import type { SqlType } from "../../types/sql-type.ts";
import { type MysqlVariant, mysqlCapabilities } from "./mysql-capabilities.ts";

/** MySQL's largest LIMIT: how it spells "no limit" before an OFFSET. */
const NO_LIMIT = "18446744073709551615";

/**
 * MySQL / MariaDB SQL: backquoted identifiers, `?` placeholders, booleans as 1/0, `concat()` for
 * `||`, `<=>` for null-safe comparison, NULLS FIRST/LAST emulated with an `IS NULL` sort key,
 * `ON DUPLICATE KEY UPDATE … VALUES(col)` as the upsert, and backslash-escaped string literals.
 */
export class MysqlCompiler extends SqlCompiler {
  readonly variant: MysqlVariant;

  constructor(options: { cacheSize?: number; variant?: MysqlVariant } = {}) {
    super(mysqlCapabilities(options.variant), options);
    this.variant = options.variant ?? "mariadb";
  }

  override quote(identifier: string): string {
    return quoteIdentifier(identifier, "`");
  }

  protected override renderBoolean(value: boolean): string {
    return value ? "1" : "0";
  }

  protected override renderStringLiteral(value: string): string {
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
  }

  protected override renderLimitOffset(limit: string | undefined, offset: string | undefined): string {
    if (limit === undefined && offset !== undefined) return ` LIMIT ${NO_LIMIT} OFFSET ${offset}`;
    return super.renderLimitOffset(limit, offset);
  }

  protected override renderConcat(left: string, right: string): string {
    return `concat(${left}, ${right})`;
  }

  /** MySQL's `/` is true division already. */
  protected override renderDivision(left: string, right: string): string {
    return `${left} / ${right}`;
  }

  protected override renderDistinctFrom(left: string, right: string, negated: boolean): string {
    return negated ? `${left} <=> ${right}` : `NOT (${left} <=> ${right})`;
  }

  /** MySQL sorts NULL lowest; a leading `x IS NULL` key puts the NULLs where asked. */
  protected override renderNullsOrdering(element: string, direction: string, nulls: "FIRST" | "LAST"): string {
    return `${element} IS NULL ${nulls === "FIRST" ? "DESC" : "ASC"}, ${element}${direction}`;
  }

  /** `LOCK IN SHARE MODE` for a read lock (MariaDB has no `FOR SHARE`); `OF` only on MySQL 8. */
  protected override renderForUpdate(node: SelectNode, state: CompileState): string {
    const lock = node.forUpdate;
    if (!lock) return "";
    if (this.variant === "mysql") return super.renderForUpdate(node, state);
    let sql = lock.mode === "SHARE" ? " LOCK IN SHARE MODE" : " FOR UPDATE";
    if (lock.nowait) sql += " NOWAIT";
    if (lock.skipLocked) sql += " SKIP LOCKED";
    return sql;
  }

  protected override renderOnConflict(conflict: OnConflict, state: CompileState): string {
    if (conflict.kind !== "duplicate-key-update") {
      throw new NotSupportedFeatureError(
        "MySQL has no ON CONFLICT; use onDuplicateKeyUpdate() (and excluded(column) for the proposed value)",
      );
    }
    const set = conflict.set.map((a) => `${this.quote(a.column)} = ${this.visit(a.value, state)}`).join(", ");
    return ` ON DUPLICATE KEY UPDATE ${set}`;
  }

  protected override renderExcluded(name: string): string {
    return `VALUES(${this.quote(name)})`;
  }

  protected override renderDefaultValuesInsert(table: string): string {
    return `INSERT INTO ${table} () VALUES ()`;
  }

  /** Types MySQL cannot CAST to (BOOLEAN, JSON on MariaDB) leave the expression as is, as SQLAlchemy does. */
  protected override renderCast(operand: string, type: SqlType<unknown>): string {
    if (type.kind === "boolean" || type.kind === "json" || type.kind === "null") return operand;
    return super.renderCast(operand, type);
  }

  protected override castTypeName(type: SqlType<unknown>): string {
    const o = type.options;
    switch (type.kind) {
      case "integer":
      case "bigint":
      case "smallint":
      case "interval":
      case "boolean":
        return "SIGNED";
      case "string":
        return o.length === undefined ? "CHAR" : `CHAR(${o.length})`;
      case "uuid":
        return "CHAR(36)";
      case "float":
        return "DOUBLE";
      case "numeric":
        return o.precision === undefined ? "DECIMAL" : `DECIMAL(${o.precision}, ${o.scale ?? 0})`;
      case "datetime":
        return "DATETIME(6)";
      case "time":
        return "TIME(6)";
      case "date":
        return "DATE";
      case "binary":
        return "BINARY";
      default:
        return "CHAR";
    }
  }

  protected override renderJsonPath(node: JsonPathNode, operand: string, elements: readonly string[]): string {
    return mysqlJsonPath(node, operand, elements);
  }
}
