import type { SqlType } from "../types/sql-type.ts";

/**
 * The standard SQL name of a type in `CAST(… AS type)`, before a dialect's own spellings (the
 * dialect compilers override `castTypeName` and fall back to this). `castItem` names an array's
 * element type, so the dialect's spelling applies inside `…[]` too.
 */
export function standardCastTypeName(type: SqlType<unknown>, castItem: (item: SqlType<unknown>) => string): string {
  const o = type.options;
  switch (type.kind) {
    case "integer":
      return "INTEGER";
    case "bigint":
      return "BIGINT";
    case "smallint":
      return "SMALLINT";
    case "string":
      return o.length === undefined ? "VARCHAR" : `VARCHAR(${o.length})`;
    case "text":
    case "enum":
    case "uuid":
    case "json":
    case "null":
      return "TEXT";
    case "boolean":
      return "BOOLEAN";
    case "float":
      return "FLOAT";
    case "numeric":
      return o.precision === undefined ? "NUMERIC" : `NUMERIC(${o.precision}, ${o.scale ?? 0})`;
    case "date":
      return "DATE";
    case "datetime":
      return "TIMESTAMP";
    case "time":
      return "TIME";
    case "interval":
      return "INTERVAL";
    case "binary":
      return "BLOB";
    case "array":
      return `${o.item === undefined ? "TEXT" : castItem(o.item)}${"[]".repeat(o.dimensions ?? 1)}`;
  }
}
