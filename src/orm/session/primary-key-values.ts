import { InvalidRequestError } from "../../shared/errors.ts";
import type { Mapper } from "../mapper/mapper.ts";

/**
 * The primary key values `session.get()` was given, in key order: a single value, an array, or an
 * object keyed by attribute. The wrong shape is an error naming the key columns.
 */
export function primaryKeyValues(mapper: Mapper, given: unknown): unknown[] {
  const columns = mapper.primaryKey;
  let values: unknown[];
  if (Array.isArray(given)) values = given;
  else if (given !== null && typeof given === "object" && !(given instanceof Date) && !(given instanceof Uint8Array)) {
    values = columns.map((c) => (given as Record<string, unknown>)[c.key]);
  } else values = [given];
  if (values.length !== columns.length || values.some((v) => v === undefined || v === null)) {
    throw new InvalidRequestError(
      "Incorrect number of values in identifier to formulate primary key for session.get(); primary key columns are " +
        columns.map((c) => `'${c.column.tableName}.${c.column.name}'`).join(", "),
    );
  }
  return values;
}
