import { ArgumentError, InvalidRequestError } from "../../shared/errors.ts";
import { type Io, io } from "../../shared/io.ts";
import type { Executable, NamedParams } from "../../core/engine/executable.ts";
import { definedKeys, givesExactly, isParamsList, prepareMany } from "../../core/engine/execute-many.ts";
import { type PreparedStatement, prepareStatement } from "../../core/engine/prepared-statement.ts";
import { Result } from "../../core/engine/result.ts";
import { asTupleRow, tupleRowPrototype } from "../../core/engine/tuple-row.ts";
import type { StatementOptions } from "../../core/engine/statement-options.ts";
import { Delete } from "../../core/sql/delete.ts";
import type { DmlTable } from "../../core/sql/dml-table.ts";
import { Insert } from "../../core/sql/insert.ts";
import { Update } from "../../core/sql/update.ts";
import type { PlanElement } from "../loading/load-plan.ts";
import type { LoadTarget } from "../loading/load-rows.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { mapperOfClass } from "../mapper/registry.ts";
import { rowKeysOf } from "../query/result-keys.ts";
import { loadReturningRows, returningElements } from "../query/returning-entities.ts";
import { type InstanceState, type StateMapper, stateOf } from "../state/instance-state.ts";
import { bulkUpdateByPrimaryKey } from "./bulk-update.ts";
import type { SessionConnection, SessionEngine } from "./session-connections.ts";
import type { SessionObjects } from "./session-objects.ts";
import type { Target } from "./session-router.ts";
import { planSynchronize } from "./synchronize-session.ts";

/** An INSERT, UPDATE or DELETE a session runs the ORM's way. */
export type OrmDmlStatement = Insert<DmlTable, unknown> | Update<DmlTable, unknown> | Delete<DmlTable, unknown>;

/** What an ORM-enabled INSERT, UPDATE or DELETE needs from the session running it. */
export interface OrmDmlHost {
  /** The session's objects: its identity map, and the sets a DELETE's objects join. */
  readonly objects: SessionObjects;
  /** Where the statement runs (the session router's choice). */
  readonly targets: readonly Target[];
  /** The engine's connection in the session's transaction. */
  connect(engine: SessionEngine): Io<SessionConnection>;
  /** The statement's signal and timeout, if it has them. */
  readonly timing: StatementOptions | undefined;
  /** Notes that the transaction wrote (read-your-writes routing). */
  ran(): void;
}

/**
 * Whether a session runs `statement` as ORM-enabled DML: an `insert()`, `update()` or `delete_()`
 * built from a mapped class (`update(User)`), or one whose `returning()` names a mapped class.
 */
export function isOrmDml(statement: Executable<unknown>): statement is OrmDmlStatement {
  if (!(statement instanceof Insert || statement instanceof Update || statement instanceof Delete)) return false;
  return mapperOfClass(statement.target) !== undefined || statement.extras.returningTargets.length > 0;
}

/**
 * Runs an ORM-enabled INSERT, UPDATE or DELETE in a session (docs/orm-dml.md), after the session's
 * autoflush:
 *
 * - `insert(User)` with a list of parameter sets: an ORM bulk INSERT (multi-row INSERTs, keyed by
 *   attribute); `returning(User)` builds identity-mapped instances from the returned rows.
 * - `update(User)` with a list: a bulk UPDATE by primary key, one `UPDATE … WHERE pk = ?` per set.
 * - `update(User).where(…).values(…)` / `delete_(User).where(…)`: one statement, then the session's
 *   objects follow it as `synchronizeSession` says.
 *
 * Everything that can be refused (a missing primary key, criteria that cannot be evaluated under
 * `"evaluate"`) is refused before any SQL is sent.
 */
export function* executeOrmDml<R>(statement: OrmDmlStatement, params: NamedParams | readonly NamedParams[] | undefined, host: OrmDmlHost): Io<Result<R>> {
  const [target, ...others] = host.targets;
  if (target === undefined || others.length > 0) {
    throw new InvalidRequestError("An ORM-enabled INSERT, UPDATE or DELETE runs on one database; in a ShardedSession, give shardId");
  }
  const mapper = mapperOfClass(statement.target) as Mapper | undefined;
  if (mapper !== undefined) mapper.ensureRegistered(statement.target as never);
  const loadTarget = loadTargetOf(host.objects, target.shard);
  const run = planRun(statement, params, mapper, target, loadTarget, host.objects);
  const conn = yield* host.connect(target.engine);
  const leave = host.timing === undefined ? undefined : conn.enterStatementScope(host.timing);
  let result: Result<unknown>;
  try {
    result = yield* run(conn);
  } finally {
    leave?.();
  }
  host.ran();
  return result as Result<R>;
}

type Run = (conn: SessionConnection) => Io<Result<unknown>>;

/** Checks the statement and its parameters and decides what runs (no I/O: a refusal sends nothing). */
function planRun(
  statement: OrmDmlStatement,
  params: NamedParams | readonly NamedParams[] | undefined,
  mapper: Mapper | undefined,
  target: Target,
  loadTarget: LoadTarget,
  objects: SessionObjects,
): Run {
  const dialect = target.engine.dialect;
  if (statement instanceof Insert) {
    const prepared = isParamsList(params) ? runsOfSameKeys(params).flatMap((run) => prepareMany(dialect, statement, run.params, run.keys)) : [prepareStatement(dialect, statement.node, params)];
    return function* (conn) {
      return (yield* runStatements(conn, prepared, statement, loadTarget, false)).result;
    };
  }
  if (isParamsList(params)) {
    if (statement instanceof Update) {
      if (mapper === undefined) throw new ArgumentError("A bulk UPDATE by primary key needs update(Model), not update(table)");
      return bulkUpdateByPrimaryKey(statement, params, mapper, { dialect, identityToken: target.shard, objects });
    }
    if (statement.extras.executionOptions.synchronizeSession !== false) {
      throw new InvalidRequestError(
        "delete_(Model) with a list of parameter sets runs once per set, which the session cannot follow in memory; " +
          'pass .executionOptions({ synchronizeSession: false }), or run it on session.connection()',
      );
    }
    const prepared = prepareMany(dialect, statement, params);
    return function* (conn) {
      return (yield* runStatements(conn, prepared, statement, loadTarget, false)).result;
    };
  }
  if (statement instanceof Update && statement.node.set.length === 0) {
    throw new ArgumentError("update(Model) needs .values(…), or a list of parameter sets (a bulk UPDATE by primary key)");
  }
  const prepared = [prepareStatement(dialect, statement.node, params)];
  const isUpdate = statement instanceof Update;
  if (mapper === undefined) {
    return function* (conn) {
      return (yield* runStatements(conn, prepared, statement, loadTarget, isUpdate)).result;
    };
  }
  const sync = planSynchronize(statement, params, mapper, { dialect, identityToken: target.shard, objects });
  return function* (conn) {
    const before = yield* sync.before(conn);
    const result = yield* runStatements(conn, before.statements ?? prepared, statement, loadTarget, isUpdate, before.rowsOf);
    sync.after(result.returned);
    return result.result;
  };
}

/**
 * The parameter sets in runs of consecutive sets that give the same attributes: an ORM bulk
 * INSERT runs each as its own multi-row INSERTs (as SQLAlchemy batches its records by keys).
 */
function runsOfSameKeys(paramsList: readonly NamedParams[]): { params: NamedParams[]; keys: readonly string[] | undefined }[] {
  const runs: { params: NamedParams[]; keys: readonly string[] | undefined }[] = [];
  let run: NamedParams[] | undefined;
  let keys: readonly string[] = [];
  for (const params of paramsList) {
    if (run === undefined || !givesExactly(params, keys)) {
      keys = definedKeys(params);
      runs.push({ params: (run = []), keys });
    }
    run.push(params);
  }
  // No sets: prepareMany refuses the empty list.
  if (runs.length === 0) runs.push({ params: [], keys: undefined });
  return runs;
}

/** What running a DML statement gave: the result handed back, and the instances its RETURNING built. */
interface Ran {
  readonly result: Result<unknown>;
  readonly returned: readonly InstanceState[];
}

/**
 * Runs the prepared statements; with entities in RETURNING, builds their instances from the raw
 * rows. `rowsOf` sees each statement's raw rows (the primary keys a "fetch" synchronization asked for).
 */
function* runStatements(
  conn: SessionConnection,
  prepared: readonly PreparedStatement[],
  statement: OrmDmlStatement,
  target: LoadTarget,
  populateExisting: boolean,
  rowsOf?: (raw: readonly (readonly unknown[])[]) => void,
): Io<Ran> {
  const targets = statement.extras.returningTargets;
  const elements = targets.length === 0 ? undefined : returningElements(targets, statement.node.returning.length);
  const rows: unknown[] = [];
  const results: Result<unknown>[] = [];
  let rowsAffected = 0;
  for (const p of prepared) {
    if (elements === undefined && rowsOf === undefined) {
      results.push(yield* conn.executePreparedIo(p));
      continue;
    }
    const raw = yield* conn.executeRawIo(p);
    rowsOf?.(raw.rows);
    rowsAffected += rowsOf === undefined ? raw.rowsAffected : raw.rows.length;
    if (elements !== undefined) for (const row of loadReturningRows(raw, p, elements, target, populateExisting)) rows.push(row);
  }
  if (elements === undefined) return { result: plainResult(results, rowsAffected), returned: [] };
  return { result: entityResult(rows, elements, returningRowKeys(statement, elements), rowsAffected), returned: returnedStates(rows, elements) };
}

/** The Core results of the statements, or (when the session read their raw rows) their count alone. */
function plainResult(results: readonly Result<unknown>[], rowsAffected: number): Result<unknown> {
  if (results.length === 0) return new Result<unknown>([], { keys: [], rowsAffected, lastInsertId: undefined });
  return results.length === 1 ? (results[0] as Result<unknown>) : Result.concat(results);
}

function entityResult(rows: unknown[], elements: readonly PlanElement[], keys: readonly string[], rowsAffected: number): Result<unknown> {
  const meta = { keys, rowsAffected, lastInsertId: undefined };
  if (elements.length === 1 && elements[0]?.kind === "entity") return Result.ofColumn(rows, meta);
  // RETURNING rows are built apart from a select's: they get their keys here.
  const prototype = tupleRowPrototype(keys);
  return new Result<unknown>(
    rows.map((tuple) => asTupleRow(tuple as unknown[], prototype)),
    meta,
  );
}

/** The keys of RETURNING rows, as an ORM select's (`returning(User, User.id)` → `User`, `id`). */
function returningRowKeys(statement: OrmDmlStatement, elements: readonly PlanElement[]): string[] {
  const { returning, returningKeys } = statement.node;
  return rowKeysOf(
    elements.map((e) => (e.kind === "entity" ? { entity: e.load.mapper.className } : { column: e.offset })),
    returning,
    returningKeys,
  );
}

/** The instances a RETURNING built, for the DELETE whose objects they are. */
function returnedStates(rows: readonly unknown[], elements: readonly PlanElement[]): InstanceState[] {
  const states: InstanceState[] = [];
  const single = elements.length === 1;
  for (const row of rows) {
    const values = single ? [row] : (row as readonly unknown[]);
    elements.forEach((element, i) => {
      const state = element.kind === "entity" ? stateOf(values[i]) : undefined;
      if (state !== undefined) states.push(state);
    });
  }
  return states;
}

/** Where returned instances go: the session's identity map, under the shard's identity token. */
function loadTargetOf(objects: SessionObjects, shard: string | undefined): LoadTarget {
  const map = objects.identityMap;
  return {
    find: (mapper: StateMapper, identity: readonly unknown[]) => map.find(mapper, identity, shard),
    findObject: (mapper: StateMapper, value: unknown) => map.findObject(mapper, value, shard),
    add: (state: InstanceState, value: unknown) => {
      if (shard !== undefined) state.identityToken = shard;
      map.add(state, value);
    },
  };
}
