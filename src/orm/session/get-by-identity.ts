/**
 * How a session finds one object by primary key (`get()`, and the reloads of `refresh()`, `merge()`
 * and expired attributes): the identity map's instance, else one SELECT after the autoflush,
 * through the `doOrmExecute` listeners. Apart from SessionBase because refresh-object.ts and
 * load-attribute.ts need it as well as the session.
 */

import { type Io, io, runAsync } from "../../shared/io.ts";
import { isA } from "../mapper/inheritance.ts";
import type { Executable, NamedParams } from "../../core/engine/executable.ts";
import { Result } from "../../core/engine/result.ts";
import { executePlan } from "../loading/execute-plan.ts";
import type { LoaderOption } from "../loading/loader-option.ts";
import type { LoadTree } from "../loading/load-tree.ts";
import type { QueryPlan } from "../loading/load-plan.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { EntitySelect } from "../query/entity-select.ts";
import { type LoadIdentityOptions, loadIdentity } from "../query/get-statement.ts";
import { runPostLoads } from "../strategies/post-load.ts";
import { type FlushHost, autoflushDue, flushSession } from "./flush-session.ts";
import { runOrmExecute } from "./orm-execute-state.ts";

/** get()'s options, its loader options as the loader takes them. */
export interface GetOptions {
  readonly populateExisting?: boolean;
  readonly withForUpdate?: boolean;
  readonly options?: readonly LoaderOption[];
}

/** get() on one shard (`undefined`: unsharded): the identity map's instance, else one SELECT. */
export function* getByIdentity(host: FlushHost, mapper: Mapper, identity: readonly unknown[], options: GetOptions, shard: string | undefined): Io<object | undefined> {
  const hit = host.identityMap.find(mapper, identity, shard);
  // One identity for a hierarchy: the object of that key is of another class than the one asked for.
  if (hit !== undefined && mapper.inheritance !== undefined && !isA(hit.mapper as Mapper, mapper)) return undefined;
  if (hit && !options.populateExisting && !options.withForUpdate && hit.unloadedReason === undefined) return hit.object;
  // An identity-map hit reloads in place: expired, or asked to populate / lock; an expired one
  // with the options it was loaded with (SQLAlchemy's load_options).
  const populateExisting = options.populateExisting === true || hit !== undefined;
  const tree = hit !== undefined && hit.unloadedReason !== undefined ? (hit.loadOptions as LoadTree | undefined) : undefined;
  return yield* loadByIdentity(host, mapper, identity, { ...options, populateExisting, tree }, shard);
}

/** The object with this identity loaded by one SELECT (after the autoflush), or `undefined` when no row has it. */
export function* loadByIdentity(host: FlushHost, mapper: Mapper, identity: readonly unknown[], how: LoadIdentityOptions, shard: string | undefined): Io<object | undefined> {
  return yield* loadIdentity(mapper, identity, how, (plan, params, populateExisting, statement) => executeIdentityPlan(host, mapper, shard, plan, params, populateExisting, statement));
}

/** The get() statement's plan run in the session: the autoflush, then the load, through the `doOrmExecute` listeners. */
function* executeIdentityPlan(
  host: FlushHost,
  mapper: Mapper,
  shard: string | undefined,
  plan: QueryPlan,
  params: NamedParams,
  populateExisting: boolean,
  statement: EntitySelect<readonly unknown[]> | undefined,
): Io<unknown[][]> {
  if (autoflushDue(host)) yield* flushSession(host);
  const context = host.router.contextOf(shard);
  const listeners = statement !== undefined && host.events.any ? host.events.listeners("doOrmExecute") : undefined;
  if (listeners === undefined) return yield* executePlan(plan.node, plan.elements, context, { params, populateExisting, postLoad: runPostLoads });
  // doOrmExecute sees the get() statement too (and may add criteria to it, or answer it).
  const run = function* (replaced: Executable<unknown>, p: NamedParams | readonly NamedParams[] | undefined): Io<Result<unknown>> {
    const { node, elements } = replaced instanceof EntitySelect ? replaced.plan : plan;
    const rows = yield* executePlan(node, elements, context, { params: p as NamedParams | undefined, populateExisting, postLoad: runPostLoads });
    return new Result<unknown>(rows as unknown[], { keys: [mapper.className], rowsAffected: 0, lastInsertId: undefined });
  };
  return (yield* runOrmExecute(host.session, listeners, 0, statement as Executable<unknown>, params, undefined, run)).all() as unknown[][];
}
