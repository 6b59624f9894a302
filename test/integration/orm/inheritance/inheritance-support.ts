import type { RanStatement } from "../../../support/statements.ts";

/** A statement's SQL with the dialect's quoting and placeholders taken out, to compare shapes across databases. */
export function shape(statement: RanStatement | string): string {
  const sql = typeof statement === "string" ? statement : statement.sql;
  return sql.replace(/[`"]/g, "").replace(/\$\d+/g, "?");
}

/** The class name of a model instance (its `name` static may be a column). */
export function classOf(object: object, classes: Record<string, abstract new (...args: never[]) => object>): string {
  const proto = Object.getPrototypeOf(object) as object;
  return Object.entries(classes).find(([, cls]) => cls.prototype === proto)?.[0] ?? "?";
}
