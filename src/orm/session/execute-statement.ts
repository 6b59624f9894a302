/**
 * How a session runs a statement (`execute()` and the methods built on it): the `doOrmExecute`
 * listeners, the autoflush, then ORM-enabled DML, an ORM select loaded into identity-mapped
 * instances, or a Core statement, on each target the router chooses. Apart from SessionBase
 * because it is the session's largest path, and streaming falls back to it.
 */

import type { Executable, NamedParams } from "../../core/engine/executable.ts";
import { isParamsList } from "../../core/engine/execute-many.ts";
import { Result } from "../../core/engine/result.ts";
import type { StatementOptions } from "../../core/engine/statement-options.ts";
import { ArgumentError } from "../../shared/errors.ts";
import { type Io, io, runAsync } from "../../shared/io.ts";
import { executePlan } from "../loading/execute-plan.ts";
import { checkYieldPer } from "../loading/stream-plan.ts";
import { EntitySelect } from "../query/entity-select.ts";
import { runPostLoads } from "../strategies/post-load.ts";
import type { SessionStatementOptions } from "./session-options.ts";
import { type FlushHost, autoflushDue, flushSession } from "./flush-session.ts";
import { executeOrmDml, isOrmDml } from "./orm-dml.ts";
import { runOrmExecute } from "./orm-execute-state.ts";
import type { SessionConnection, SessionEngine } from "./session-connections.ts";
import type { Target } from "./session-router.ts";

/** A session statement's parameters: one set, or a list for a Core statement run once per set. */
export type SessionParams = NamedParams | readonly NamedParams[] | undefined;

/** Runs a statement through the session's `doOrmExecute` listeners (when it has any), then itself. */
export function* executeStatement<R>(host: FlushHost, statement: Executable<R>, params?: SessionParams, options?: SessionStatementOptions): Io<Result<R>> {
  const listeners = host.events.any ? host.events.listeners("doOrmExecute") : undefined;
  if (listeners === undefined) return yield* runStatement(host, statement, params, options);
  const run = (s: Executable<unknown>, p: typeof params, o: typeof options) => runStatement(host, s, p, o);
  return (yield* runOrmExecute(host.session, listeners, 0, statement, params, options, run)) as Result<R>;
}

/** Runs a statement in the session (what the `doOrmExecute` listeners lead to): autoflush, then the statement on each target. */
export function* runStatement<R>(host: FlushHost, statement: Executable<R>, params?: SessionParams, options?: SessionStatementOptions): Io<Result<R>> {
  const timing = options === undefined ? undefined : timingOf(options);
  const entity = statement instanceof EntitySelect ? statement : undefined;
  if (entity !== undefined && isParamsList(params)) throw new ArgumentError("An ORM select takes one set of parameters, not a list");
  // Model columns are table columns, so `select(User.id)` is a Core select: every statement built
  // from expressions autoflushes (SQLAlchemy flushes before ORM-enabled ones); raw text() does not.
  // The flush comes first: what it writes decides where a read-your-writes session reads.
  if (autoflushDue(host) && statement.node.kind !== "text") {
    if (timing === undefined) yield* flushSession(host);
    else {
      const leave = (yield* host.connect(host.engine)).enterStatementScope(timing);
      try {
        yield* flushSession(host);
      } finally {
        leave();
      }
    }
  }
  const router = host.router;
  if (isOrmDml(statement)) {
    const targets = router.targetsOf(statement, undefined, options);
    const result = yield* executeOrmDml<R>(statement, params, { objects: host.objects, targets, connect: (e) => host.connect(e), timing, ran: () => router.ran(statement) });
    const kind = statement.node.kind;
    if (host.events.any && (kind === "update" || kind === "delete")) {
      yield* host.events.fire(kind === "update" ? "afterBulkUpdate" : "afterBulkDelete", { session: host.session, statement, result });
    }
    return result;
  }
  const targets = router.targetsOf(statement, entity, options);
  const results: Result<R>[] = [];
  for (const target of targets) {
    const conn = yield* host.connect(target.engine);
    const leave = timing === undefined ? undefined : conn.enterStatementScope(timing);
    try {
      results.push(
        entity !== undefined
          ? yield* selectEntities<R>(host, entity, params as NamedParams | undefined, conn, target, options?.bind)
          : yield* executeCore(host, statement, params, conn),
      );
    } finally {
      leave?.();
    }
  }
  return results.length === 1 ? (results[0] as Result<R>) : Result.concat(results);
}

function* executeCore<R>(host: FlushHost, statement: Executable<R>, params: SessionParams, conn: SessionConnection): Io<Result<R>> {
  const result = yield* conn.executeIo(statement, params);
  host.router.ran(statement);
  return result;
}

/** Runs an ORM select on one connection and loads its rows into identity-mapped instances. */
function* selectEntities<R>(
  host: FlushHost,
  statement: EntitySelect<readonly unknown[]>,
  params: NamedParams | undefined,
  connection: SessionConnection,
  target: Target,
  bind: SessionEngine | undefined,
): Io<Result<R>> {
  const plan = statement.plan;
  // execute() reads a yieldPer statement whole (as SQLAlchemy's AsyncSession.execute), with its refusals.
  if (statement.executionOptionsValue.yieldPer !== undefined) checkYieldPer(plan.elements);
  const meta = { keys: statement.resultKeys, rowsAffected: 0, lastInsertId: undefined, uniqueRequired: plan.requireUnique };
  const populateExisting = statement.executionOptionsValue.populateExisting ?? false;
  let context = host.router.contextOf(target.shard);
  // An explicit bind holds for the loads the statement's options run, too.
  if (bind !== undefined) context = { ...context, connection: () => host.connect(bind) };
  const how = { params, populateExisting, postLoad: runPostLoads, connection };
  if (plan.elements.length === 1 && plan.elements[0]?.kind === "entity") {
    // One entity: the instances without a tuple each (built only if rows are asked for).
    return Result.ofColumn<R>(yield* executePlan(plan.node, plan.elements, context, { ...how, column: true }), meta);
  }
  return new Result((yield* executePlan(plan.node, plan.elements, context, { ...how, rowKeys: meta.keys })) as R[], meta);
}

/** The connection's part of a session statement's options, or `undefined` when it has none. */
function timingOf({ signal, timeoutMs }: SessionStatementOptions): StatementOptions | undefined {
  return signal === undefined && timeoutMs === undefined ? undefined : { signal, timeoutMs };
}
