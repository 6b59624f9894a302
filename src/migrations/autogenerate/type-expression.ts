import type { SqlType } from "../../core/types/sql-type.ts";

/**
 * A reflected type as the TypeScript that builds it (`StringType(50)`, `Numeric(10, 2)`), adding
 * the names it uses to `imports`. Types the reflection could not place stay `NullType`.
 */
export function typeExpression(type: SqlType<unknown>, imports: Set<string>): string {
  const o = type.options;
  const use = (name: string, call = name): string => {
    imports.add(name);
    return call;
  };
  switch (type.kind) {
    case "integer": return use("Integer");
    case "bigint": return use("BigInteger");
    case "smallint": return use("SmallInteger");
    case "text": return use("Text");
    case "boolean": return use("BooleanType");
    case "float": return use("Float");
    case "date": return use("DateType");
    case "time": return use("Time");
    case "interval": return use("Interval");
    case "uuid": return use("Uuid");
    case "binary": return use("LargeBinary");
    case "json": return use("Json", "Json()");
    case "null": return use("NullType");
    case "string": return use("StringType", `StringType(${o.length ?? ""})`);
    case "numeric":
      return use("Numeric", `Numeric(${[o.precision, o.scale].filter((v) => v !== undefined).join(", ")})`);
    case "datetime": return use("DateTime", o.timezone ? "DateTime({ timezone: true })" : "DateTime()");
    case "enum":
      return use("Enum", `Enum(${JSON.stringify(o.values ?? [])}${o.name === undefined ? "" : `, { name: ${JSON.stringify(o.name)} }`})`);
    case "array":
      return use("ARRAY", `ARRAY(${o.item === undefined ? use("NullType") : typeExpression(o.item, imports)}${(o.dimensions ?? 1) === 1 ? "" : `, { dimensions: ${o.dimensions} }`})`);
  }
}
