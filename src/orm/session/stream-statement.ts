/**
 * How a session streams a statement (`stream()`, `streamScalars()`): an ORM select read from a
 * cursor per target in batches of its `yieldPer`, each batch loaded when the iteration reaches it;
 * what cannot be streamed is run by execute-statement.ts and read from memory. Apart from
 * SessionBase because batches, yieldPer checks and the in-memory fallback are a concept of their own.
 */

import type { Executable, NamedParams } from "../../core/engine/executable.ts";
import { Result } from "../../core/engine/result.ts";
import { ArgumentError } from "../../shared/errors.ts";
import type { Io } from "../../shared/io.ts";
import { DEFAULT_STREAM_BATCH, type PlanBatches, batchesInTurn, checkYieldPer, openPlanStream, yieldPerConflict } from "../loading/stream-plan.ts";
import { EntitySelect } from "../query/entity-select.ts";
import { runPostLoads } from "../strategies/post-load.ts";
import { type StreamSource, batchesInMemory } from "./batched-result.ts";
import type { SessionStatementOptions } from "./session-options.ts";
import { type SessionParams, runStatement } from "./execute-statement.ts";
import { type FlushHost, autoflushDue, flushSession } from "./flush-session.ts";
import { runOrmExecute } from "./orm-execute-state.ts";
import type { Target } from "./session-router.ts";

/** An ORM select as batches from a cursor per target; other statements (and those needing every row) read at once. */
export function* streamStatement<R>(host: FlushHost, statement: Executable<R>, params: NamedParams | undefined, options: SessionStatementOptions | undefined): Io<StreamSource> {
  const listeners = host.events.any ? host.events.listeners("doOrmExecute") : undefined;
  if (listeners === undefined) return yield* openStream(host, statement, params, options);
  // doOrmExecute may replace the statement (then streamed), or answer it with a Result (then read from memory).
  const run = (s: Executable<unknown>, p: SessionParams, o: SessionStatementOptions | undefined) => runStatement(host, s, p, o);
  const outcome = yield* runOrmExecute(host.session, listeners, 0, statement, params, options, run, (s) => openStream(host, s, params, options));
  return outcome instanceof Result ? inMemory(outcome) : outcome;
}

function* openStream(host: FlushHost, statement: Executable<unknown>, params: NamedParams | undefined, options: SessionStatementOptions | undefined): Io<StreamSource> {
  const entity = statement instanceof EntitySelect ? statement : undefined;
  const yieldPer = entity === undefined ? undefined : checkedYieldPer(entity.executionOptionsValue.yieldPer);
  if (entity !== undefined && yieldPer !== undefined) checkYieldPer(entity.plan.elements);
  if (entity === undefined || (yieldPer === undefined && yieldPerConflict(entity.plan.elements) !== undefined)) {
    return inMemory(yield* runStatement(host, statement, params, options));
  }
  if (autoflushDue(host) && statement.node.kind !== "text") yield* flushSession(host);
  const plan = entity.plan;
  const column = plan.elements.length === 1 && plan.elements[0]?.kind === "entity";
  const populateExisting = entity.executionOptionsValue.populateExisting ?? false;
  const open = function* (target: Target): Io<PlanBatches> {
    const connection = yield* host.connect(target.engine);
    let context = host.router.contextOf(target.shard);
    const bind = options?.bind;
    if (bind !== undefined) context = { ...context, connection: () => host.connect(bind) };
    return yield* openPlanStream(plan.node, plan.elements, context, {
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
  const batches = yield* open(first as Target);
  return {
    batches: rest.length === 0 ? batches : batchesInTurn(batches, rest.map((target) => () => open(target))),
    shape: { keys: entity.resultKeys, column, yieldPer, uniqueRequired: plan.requireUnique },
  };
}

/** A buffered result as a stream (what `stream()` returns for what it cannot stream). */
function inMemory(result: Result<unknown>): StreamSource {
  const { values, column } = result.takeRemaining();
  return { batches: batchesInMemory(values), shape: { keys: result.keys(), column, uniqueRequired: result.meta.uniqueRequired } };
}

/** A statement's `yieldPer`, when it has a usable one. */
function checkedYieldPer(yieldPer: number | undefined): number | undefined {
  if (yieldPer !== undefined && (!Number.isInteger(yieldPer) || yieldPer < 1)) {
    throw new ArgumentError(`yieldPer must be a whole number ≥ 1 (got ${String(yieldPer)})`);
  }
  return yieldPer;
}
