import type { Expression } from "../../core/sql/coercions.ts";
import { and } from "../../core/sql/elements.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { InstanceState } from "../state/instance-state.ts";

/** The primary key the database knows the row by, even when the object's key is being changed. */
export function identityOf(mapper: Mapper, state: InstanceState): readonly unknown[] {
  return state.identity ?? mapper.primaryKey.map((c) => state.valueAt(c.slot));
}

/** `WHERE pk = <identity>`. */
export function identityClause(mapper: Mapper, identity: readonly unknown[]): Expression<boolean> {
  const parts = mapper.primaryKey.map((c, i) => c.column.eq(identity[i] as never));
  return parts.length === 1 ? (parts[0] as Expression<boolean>) : and(...parts);
}
