import { UnsetValueError } from "../../shared/errors.ts";
import { docsLink } from "../../shared/docs-link.ts";
import type { ColumnProperty } from "./column-property.ts";

const DOCS = docsLink("typing.md#new-objects");

/**
 * The error for reading a non-nullable column of a new (transient or pending) object before it
 * has a value: says who will supply it — the database, the column's default, or nobody (the
 * caller must) — and how to read it.
 */
export function unsetValueError(className: string, property: ColumnProperty): UnsetValueError {
  const column = property.column;
  const where = `${className}.${property.key}`;
  const variable = className.charAt(0).toLowerCase() + className.slice(1);
  const generated = column.hasServerDefault || (column.primaryKey && column.foreignKeys.length === 0);
  const why = generated
    ? "the database generates it when the object is inserted"
    : column.hasClientDefault
      ? "its default is applied when the object is inserted"
      : column.foreignKeys.length > 0
        ? "it is set when the object is inserted, from the relationship assigned to it, or by you"
        : "it is NOT NULL without a default, so it must be assigned before the object is inserted";
  return new UnsetValueError(
    `${where} has no value yet: ${why}. Its type does not admit null, so it cannot be read before then: ` +
      `read it after await session.flush() (or commit()), or assign ${variable}.${property.key} first; ` +
      `inspect(${variable}).pending and .transient tell a new object. See ${DOCS}`,
  );
}
