import type { AsyncConnection } from "../../core/engine/async-connection.ts";
import { delete_ } from "../../core/sql/delete.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { identityClause } from "./update-rows.ts";

/** `DELETE FROM t WHERE <primary key>` for one object. */
export async function deleteRow(state: InstanceState, conn: AsyncConnection): Promise<void> {
  const mapper = state.mapper as Mapper;
  const identity = state.identity ?? mapper.primaryKey.map((c) => state.values[c.slot]);
  const result = await conn.execute(delete_(mapper.table).where(identityClause(mapper, identity)));
  if (result.rowsAffected === 0) {
    // As SQLAlchemy without a version counter: the row is gone, which is what was asked; warn only.
    process.emitWarning(
      `DELETE statement on table '${mapper.table.name}' expected to delete 1 row(s); 0 were matched (${mapper.describe(state)}).`,
      { type: "StaleDataWarning", code: "TSALCHEMY_STALE_DELETE" },
    );
  }
}
