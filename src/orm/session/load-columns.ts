import { InvalidRequestError, ObjectDeletedError } from "../../shared/errors.ts";
import { type Io, io } from "../../shared/io.ts";
import { Select, select } from "../../core/sql/select.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import type { IdentityMap } from "./identity-map.ts";
import type { SessionConnection } from "./session-connections.ts";

/**
 * One SELECT of some columns of a persistent instance by its primary key (`refresh(obj, names)`,
 * `awaitableAttrs` of an expired column); the values replace what the slots held, and any
 * unflushed change to them. A missing row is, as in SQLAlchemy, `InvalidRequestError` ("Could not
 * refresh") for `refresh()` and `ObjectDeletedError` for the load of an expired attribute.
 */
export function* loadColumns(
  state: InstanceState,
  slots: readonly number[],
  forUpdate: boolean,
  conn: SessionConnection,
  identityMap: IdentityMap,
  why: "refresh" | "expired attribute",
): Io<void> {
  const mapper = state.mapper as Mapper;
  const properties = mapper.columns.filter((c) => slots.includes(c.slot));
  const identity = state.identity ?? [];
  let statement = select(...properties.map((c) => c.column)).where(...mapper.primaryKey.map((c, i) => c.column.eq(identity[i] as never)));
  // A joined-table subclass's columns span its tables: they are read from their join.
  const from = mapper.inheritance !== undefined && mapper.inheritance.tables.length > 1 ? mapper.inheritance.from : undefined;
  if (from !== undefined) statement = new Select(Object.freeze({ ...statement.node, from: [from] }));
  if (forUpdate) statement = statement.forUpdate();
  const result = yield* conn.executeIo(statement);
  const row = result.first() as Record<string, unknown> | null;
  if (row === null) {
    if (why === "refresh") throw new InvalidRequestError(`Could not refresh instance '${mapper.describe(state)}'`);
    throw new ObjectDeletedError(`Instance '${mapper.describe(state)}' has been deleted, or its row is otherwise not present.`);
  }
  const keys = result.keys();
  properties.forEach((c, i) => {
    state.storeAt(c.slot, row[keys[i] as string]);
    state.committed?.delete(c.slot);
  });
  if (!state.modified) {
    state.resetHistory();
    identityMap.clearModified(state);
  }
  if (mapper.columns.every((c) => c.deferred || state.valueAt(c.slot) !== UNLOADED)) state.unloadedReason = undefined;
}
