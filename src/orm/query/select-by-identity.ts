import type { Mapper } from "../mapper/mapper.ts";
import type { EntitySelect } from "./entity-select.ts";
import { select } from "./orm-select.ts";

/**
 * `SELECT <entity> FROM <table> WHERE <pk> = ?…`: the statement behind `get()`, `refresh()`,
 * `merge()` and loading an expired parent's row.
 */
export function selectByIdentity<T extends object = object>(mapper: Mapper, identity: readonly unknown[]): EntitySelect<[T]> {
  const statement = select((mapper.modelClass ?? mapper.base) as never) as unknown as EntitySelect<[T]>;
  return statement.where(...mapper.primaryKey.map((c, i) => c.column.eq(identity[i] as never)));
}
