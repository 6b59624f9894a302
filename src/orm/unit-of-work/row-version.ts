import type { AnyConnection } from "../../core/engine/any-connection.ts";
import type { Expression } from "../../core/sql/coercions.ts";
import { and } from "../../core/sql/elements.ts";
import { select } from "../../core/sql/select.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { identityClause, identityOf } from "./row-identity.ts";
import { type Io, io } from "../../shared/io.ts";

/** `expectedVersion` of a row no longer in the database. */
export const ROW_GONE: unique symbol = Symbol("row gone");

/**
 * The version `state`'s row holds as far as the object knows: the one loaded (before any change
 * made to the attribute). Expired, it is read first, as SQLAlchemy loads an expired version
 * before its UPDATE or DELETE; `ROW_GONE` when the row is not there.
 */
export function* expectedVersion(state: InstanceState, version: ColumnProperty, conn: AnyConnection): Io<unknown> {
  const slot = version.slot;
  const committed = state.committed;
  const known = committed?.has(slot) ? committed.get(slot) : state.valueAt(slot);
  if (known !== UNLOADED) return known;
  const mapper = state.mapper as Mapper;
  const rows = yield* selectVersion(mapper, version, identityOf(mapper, state), conn);
  if (rows.length === 0) return ROW_GONE;
  const loaded = rows[0]?.[version.key];
  if (state.valueAt(slot) === UNLOADED) state.storeAt(slot, loaded);
  return loaded;
}

/** Reads back the version the database gave the row just written (no RETURNING here). */
export function* fetchVersion(state: InstanceState, version: ColumnProperty, conn: AnyConnection): Io<void> {
  const mapper = state.mapper as Mapper;
  const rows = yield* selectVersion(mapper, version, mapper.primaryKey.map((c) => state.valueAt(c.slot)), conn);
  state.storeAt(version.slot, rows[0]?.[version.key] ?? null);
}

/** `WHERE <primary key> AND version = <expected>`: the row only while nobody else changed it. */
export function versionedIdentityClause(mapper: Mapper, identity: readonly unknown[], version: ColumnProperty, expected: unknown): Expression<boolean> {
  return and(identityClause(mapper, identity), version.column.eq(expected as never));
}

/** Whether the database makes the versions (`versionIdGenerator: false`), so they are read back. */
export function serverVersioned(mapper: Mapper): boolean {
  return mapper.versionColumn !== undefined && mapper.versionGenerator === false;
}

function* selectVersion(mapper: Mapper, version: ColumnProperty, identity: readonly unknown[], conn: AnyConnection): Io<Record<string, unknown>[]> {
  const result = yield* conn.executeIo(select(version.column).where(identityClause(mapper, identity)));
  return result.all() as Record<string, unknown>[];
}
