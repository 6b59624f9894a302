import { checkMatched } from "../unit-of-work/update-rows.ts";
import { ArgumentError, InvalidRequestError } from "../../shared/errors.ts";
import { type Io, io } from "../../shared/io.ts";
import type { NamedParams } from "../../core/engine/executable.ts";
import { type PreparedStatement, prepareStatement } from "../../core/engine/prepared-statement.ts";
import { Result } from "../../core/engine/result.ts";
import { bindparam } from "../../core/sql/elements.ts";
import type { DmlTable } from "../../core/sql/dml-table.ts";
import { type Update, andAll, update } from "../../core/sql/update.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { UNLOADED } from "../state/instance-state.ts";
import type { SessionConnection } from "./session-connections.ts";
import type { SyncEnvironment } from "./synchronize-session.ts";

/**
 * SQLAlchemy's "ORM bulk UPDATE by primary key": `session.execute(update(User), [{ id: 1, name: "x" }, …])`.
 * Each parameter set, keyed by attribute, must give the primary key; the rest is its SET, so
 * each set runs `UPDATE t SET a=?, b=? WHERE t.id = ?` (consecutive sets naming the same
 * attributes share one statement; a set naming only the key runs nothing). Everything is checked
 * and prepared before the first statement runs. Without `.where()` of its own, the rows matched
 * must be as many as the sets run, or it raises `StaleDataError` (as the unit of work does).
 *
 * The objects in the identity map with those keys get the values (SQLAlchemy's "evaluate", the
 * default; an attribute with an unflushed change, or one with a client-side `onupdate`, is
 * expired instead); `synchronizeSession: false` leaves them; `"fetch"` is refused, as in
 * SQLAlchemy, and so is `"evaluate"` with a `.where()` of the statement's own.
 */
export function bulkUpdateByPrimaryKey(
  statement: Update<DmlTable, unknown>,
  paramsList: readonly NamedParams[],
  mapper: Mapper,
  env: SyncEnvironment,
): (conn: SessionConnection) => Io<Result<unknown>> {
  const sync = statement.extras.executionOptions.synchronizeSession ?? "auto";
  if (sync === "fetch") {
    throw new InvalidRequestError("The 'fetch' synchronization strategy is not available for a bulk UPDATE by primary key (a list of parameter sets)");
  }
  if (sync !== false && statement.node.where !== undefined) {
    throw new InvalidRequestError(
      "A bulk UPDATE by primary key with criteria of its own (.where()) cannot keep the objects in memory in step; " +
        "add .executionOptions({ synchronizeSession: false })",
    );
  }
  if (statement.node.set.length > 0) throw new ArgumentError("A bulk UPDATE by primary key takes its values from the parameter sets; leave out .values()");
  if (statement.node.returning.length > 0) throw new InvalidRequestError("A bulk UPDATE by primary key does not support RETURNING");
  const prepared = prepareBatches(statement, paramsList, mapper, env);
  return function* (conn) {
    let matched = 0;
    for (const p of prepared) matched += (yield* conn.executeRawIo(p)).rowsAffected;
    if (statement.node.where === undefined) checkMatched(mapper, prepared.length, matched);
    if (sync !== false) synchronize(paramsList, mapper, env);
    return new Result<unknown>([], { keys: [], rowsAffected: matched, lastInsertId: undefined });
  };
}

/** Checks every parameter set, then prepares one UPDATE per set that changes something. */
function prepareBatches(statement: Update<DmlTable, unknown>, paramsList: readonly NamedParams[], mapper: Mapper, env: SyncEnvironment): PreparedStatement[] {
  const keySets = paramsList.map((params, i) => setKeysOf(params, i, mapper));
  const prepared: PreparedStatement[] = [];
  let node: Update<DmlTable, unknown>["node"] | undefined;
  let shape = "";
  paramsList.forEach((params, i) => {
    const keys = keySets[i] as readonly ColumnProperty[];
    if (keys.length === 0) return;
    const next = keys.map((c) => c.key).join("\u0000");
    if (node === undefined || next !== shape) {
      shape = next;
      node = statementFor(statement, keys, mapper);
    }
    prepared.push(prepareStatement(env.dialect, node, params));
  });
  return prepared;
}

/** The attributes a set updates (besides the key); a set without the whole primary key, or naming no column attribute, is refused. */
function setKeysOf(params: NamedParams, index: number, mapper: Mapper): ColumnProperty[] {
  const missing = mapper.primaryKey.filter((c) => params[c.key] === undefined || params[c.key] === null);
  if (missing.length > 0) {
    throw new ArgumentError(
      `No primary key value supplied for ${missing.map((c) => `"${c.key}"`).join(", ")} in parameter set ${index}: ` +
        `a bulk UPDATE by primary key (session.execute(update(${mapper.className}), [...])) needs it in every set ` +
        "(to run an UPDATE with other criteria once per set, use session.connection())",
    );
  }
  const keys: ColumnProperty[] = [];
  for (const key of Object.keys(params)) {
    if (params[key] === undefined) continue;
    const property = mapper.property(key);
    if (property?.kind !== "column") throw new ArgumentError(`Parameter set ${index} names "${key}", which is not a column attribute of ${mapper.className}`);
    if (!property.column.primaryKey) keys.push(property);
  }
  return keys.sort((a, b) => a.slot - b.slot);
}

/** `UPDATE t SET a = :a, … WHERE t.pk = :pk [AND the statement's own criteria]`, parameters named by attribute. */
function statementFor(statement: Update<DmlTable, unknown>, keys: readonly ColumnProperty[], mapper: Mapper): Update<DmlTable, unknown>["node"] {
  const values = Object.fromEntries(keys.map((c) => [c.key, bindparam(c.key, c.column.type)]));
  const base = update(mapper.table).values(values as never);
  const byKey = mapper.primaryKey.map((c) => c.column.eq(bindparam(c.key, c.column.type) as never));
  return Object.freeze({ ...base.node, where: andAll(statement.node.where, byKey, "bulk UPDATE") });
}

/** The identity map's objects with the sets' keys take the values set (as SQLAlchemy's bulk "evaluate"). */
function synchronize(paramsList: readonly NamedParams[], mapper: Mapper, env: SyncEnvironment): void {
  const map = env.objects.identityMap;
  const onupdate = mapper.columns.filter((c) => c.column.onupdate !== undefined);
  for (const params of paramsList) {
    const state = map.find(mapper, mapper.primaryKey.map((c) => params[c.key]), env.identityToken);
    if (state === undefined || !Object.keys(params).some((k) => params[k] !== undefined && !(mapper.property(k) as ColumnProperty).column.primaryKey)) continue;
    const expire: number[] = [];
    for (const key of Object.keys(params)) {
      const property = mapper.property(key) as ColumnProperty;
      if (params[key] === undefined || property.column.primaryKey || state.valueAt(property.slot) === UNLOADED) continue;
      if (state.committed?.has(property.slot)) expire.push(property.slot);
      else state.storeAt(property.slot, params[key]);
    }
    // A client-side onupdate computed its value as the statement ran: read it again when asked.
    for (const c of onupdate) if (params[c.key] === undefined && state.valueAt(c.slot) !== UNLOADED) expire.push(c.slot);
    if (expire.length > 0) state.expireSlots(expire, "expired");
    if (!state.modified) map.clearModified(state);
  }
}
