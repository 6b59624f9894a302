/**
 * How a session streams a statement (`stream()`, `streamScalars()`): an ORM select read from a
 * cursor per target in batches of its `yieldPer`, each batch loaded when the iteration reaches it;
 * what cannot be streamed is run by execute-statement.ts and read from memory. Apart from
 * SessionBase because batches, yieldPer checks and the in-memory fallback are a concept of their own.
 */

import type { Executable, NamedParams } from "../../core/engine/executable.ts";
import type { Result } from "../../core/engine/result.ts";
import { AsyncConnection } from "../../core/engine/async-connection.ts";
import type { AnyConnection } from "../../core/engine/any-connection.ts";
import { ArgumentError, InvalidRequestError } from "../../shared/errors.ts";
import { io, runAsync } from "../../shared/io.ts";
import { DEFAULT_STREAM_BATCH, type PlanBatches, batchesInTurn, checkYieldPer, openPlanStream, yieldPerConflict } from "../loading/stream-plan.ts";
import { EntitySelect } from "../query/entity-select.ts";
import { runPostLoads } from "../strategies/post-load.ts";
import { AsyncResult, batchesInMemory } from "./async-result.ts";
import type { SessionStatementOptions } from "./session-options.ts";
import { type SessionParams, runStatement } from "./execute-statement.ts";
import { type FlushHost, autoflushDue, flushSession } from "./flush-session.ts";
import { runOrmExecute } from "./orm-execute-state.ts";
import type { Target } from "./session-router.ts";

/** An ORM select as batches from a cursor per target; other statements (and those needing every row) read at once. */
export async function streamStatement<R>(host: FlushHost, statement: Executable<R>, params: NamedParams | undefined, options: SessionStatementOptions | undefined): Promise<AsyncResult<R>> {
  const listeners = host.events.any ? host.events.listeners("doOrmExecute") : undefined;
  if (listeners === undefined) return openStream(host, statement, params, options);
  // doOrmExecute may replace the statement (then streamed), or answer it with a Result (then read from memory).
  const run = (s: Executable<unknown>, p: SessionParams, o: SessionStatementOptions | undefined) => runStatement(host, s, p, o);
  const outcome = await runAsync(runOrmExecute(host.session, listeners, 0, statement, params, options, run, (s) => io(openStream(host, s, params, options))));
  return outcome instanceof AsyncResult ? (outcome as AsyncResult<R>) : inMemory(outcome as Result<R>);
}

async function openStream<R>(host: FlushHost, statement: Executable<R>, params: NamedParams | undefined, options: SessionStatementOptions | undefined): Promise<AsyncResult<R>> {
  const entity = statement instanceof EntitySelect ? statement : undefined;
  const yieldPer = entity === undefined ? undefined : checkedYieldPer(entity.executionOptionsValue.yieldPer);
  if (entity !== undefined && yieldPer !== undefined) checkYieldPer(entity.plan.elements);
  if (entity === undefined || (yieldPer === undefined && yieldPerConflict(entity.plan.elements) !== undefined)) {
    return inMemory(await runAsync(runStatement(host, statement, params, options)));
  }
  if (autoflushDue(host) && statement.node.kind !== "text") await runAsync(flushSession(host));
  const plan = entity.plan;
  const column = plan.elements.length === 1 && plan.elements[0]?.kind === "entity";
  const populateExisting = entity.executionOptionsValue.populateExisting ?? false;
  const open = async (target: Target): Promise<PlanBatches> => {
    const connection = asyncOnly(await runAsync(host.connect(target.engine)));
    let context = host.router.contextOf(target.shard);
    const bind = options?.bind;
    if (bind !== undefined) context = { ...context, connection: () => host.connect(bind) };
    return openPlanStream(plan.node, plan.elements, context, {
      params,
      populateExisting,
      postLoad: runPostLoads,
      column,
      connection,
      batchSize: yieldPer ?? DEFAULT_STREAM_BATCH,
      evict: (state) => host.identityMap.evict(state),
    });
  };
  const [first, ...rest] = host.router.targetsOf(statement, entity, options);
  const batches = await open(first as Target);
  return new AsyncResult<R>(rest.length === 0 ? batches : batchesInTurn(batches, rest.map((target) => () => open(target))), {
    keys: entity.resultKeys,
    column,
    yieldPer,
    uniqueRequired: plan.requireUnique,
  });
}

/** A buffered result as an `AsyncResult` (what `stream()` returns for what it cannot stream). */
function inMemory<R>(result: Result<R>): AsyncResult<R> {
  const { values, column } = result.takeRemaining();
  return new AsyncResult<R>(batchesInMemory(values), { keys: result.keys(), column, uniqueRequired: result.meta.uniqueRequired });
}

/** A statement's `yieldPer`, when it has a usable one. */
function checkedYieldPer(yieldPer: number | undefined): number | undefined {
  if (yieldPer !== undefined && (!Number.isInteger(yieldPer) || yieldPer < 1)) {
    throw new ArgumentError(`yieldPer must be a whole number ≥ 1 (got ${String(yieldPer)})`);
  }
  return yieldPer;
}

/** Streams read from a server-side cursor, which only `AsyncConnection` opens. */
function asyncOnly(connection: AnyConnection): AsyncConnection {
  if (connection instanceof AsyncConnection) return connection;
  throw new InvalidRequestError("stream() reads from a cursor of an AsyncConnection: use AsyncSession (the synchronous Session has no stream yet)");
}
