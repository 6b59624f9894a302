import type { AnyConnection } from "../../core/engine/any-connection.ts";
import { delete_ } from "../../core/sql/delete.ts";
import { StaleDataError } from "../../shared/errors.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { InstanceState } from "../state/instance-state.ts";
import { identityClause, identityOf } from "./row-identity.ts";
import { expectedVersion, ROW_GONE, versionedIdentityClause } from "./row-version.ts";
import { type Io, io } from "../../shared/io.ts";

/**
 * `DELETE FROM t WHERE <primary key>` for one object; a versioned row also `AND version = ?`,
 * and raises `StaleDataError` when it matches nothing (someone changed or deleted it).
 */
export function* deleteRow(state: InstanceState, conn: AnyConnection): Io<void> {
  const mapper = state.mapper as Mapper;
  const identity = identityOf(mapper, state);
  const version = mapper.versionColumn;
  if (version !== undefined) {
    const expected = yield* expectedVersion(state, version, conn);
    const matched = expected === ROW_GONE ? 0 : (yield* conn.executeIo(delete_(mapper.table).where(versionedIdentityClause(mapper, identity, version, expected)))).rowsAffected;
    if (matched !== 1) throw new StaleDataError(`${staleDelete(mapper, matched)} (${mapper.describe(state)}).`);
    return;
  }
  const result = yield* conn.executeIo(delete_(mapper.table).where(identityClause(mapper, identity)));
  if (result.rowsAffected === 0) {
    // As SQLAlchemy without a version counter: the row is gone, which is what was asked; warn only.
    process.emitWarning(`${staleDelete(mapper, 0)} (${mapper.describe(state)}).`, { type: "StaleDataWarning", code: "TSALCHEMY_STALE_DELETE" });
  }
}

function staleDelete(mapper: Mapper, matched: number): string {
  return `DELETE statement on table '${mapper.table.name}' expected to delete 1 row(s); ${matched} were matched`;
}
