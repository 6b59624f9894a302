import type { StatementRunner } from "../../core/engine/row-cursor.ts";
import type { NamedParams } from "../../core/engine/executable.ts";
import { prepareStatement } from "../../core/engine/prepared-statement.ts";
import { tupleRowPrototype } from "../../core/engine/tuple-row.ts";
import type { SelectNode } from "../../core/sql/nodes.ts";
import type { Io } from "../../shared/io.ts";
import type { Mapper } from "../mapper/mapper.ts";
import type { PlanElement } from "./load-plan.ts";
import type { ValueProcessor } from "../../core/dialects/dialect.ts";
import { type LoadTarget, LoadRun, loadColumn, loadGroups, loadRows } from "./load-rows.ts";

/** What running a planned statement needs from the session: a plain object (copied to carry `params` down). */
export interface LoaderContext extends LoadTarget {
  /**
   * The connection a load of `mapper`'s rows runs on (the session's bind for it, or the context's
   * shard); `readOnly` is false for a locking read (FOR UPDATE), which replica routing keeps off replicas.
   * A promise of it under the async API, the connection itself under the synchronous one.
   */
  connection(mapper: Mapper | undefined, readOnly: boolean): Io<StatementRunner>;
  /**
   * The named parameters of the statement that loaded the parents: a subquery load embeds that
   * statement, so its child statement needs them too (as SQLAlchemy's subqueryload re-runs the
   * original query with its parameters).
   */
  readonly params?: NamedParams;
}

/** A loader that runs after the parents' rows are in memory (selectin, subquery, immediate); an `Io` generator. */
export type PostLoader = (run: LoadRun, source: SelectNode, context: LoaderContext) => Io<void>;

type PlanOptions = {
  params?: NamedParams;
  populateExisting: boolean;
  postLoad: PostLoader;
  column?: boolean;
  /** Where the statement itself runs, when the caller chose (its loads still ask the context). */
  connection?: StatementRunner;
  /**
   * The keys of the result rows (`EntitySelect.resultKeys`): rows are built as tuples whose
   * elements also read by key (`row.User`). Loads for the session's own use leave it out.
   */
  rowKeys?: readonly string[];
};

/**
 * Runs a planned ORM statement: executes it, builds the instances from its rows, installs joined
 * collections, then runs the loaders that follow the rows (each of which may plan and run more).
 * Rows come back as tuples (keyed by `rowKeys` when given), or with `column: true` (a plan of one
 * entity) as the instances. An `Io` generator: `yield*` it, or drive it with `runAsync`/`runSync`.
 */
export function executePlan(node: SelectNode, elements: readonly PlanElement[], context: LoaderContext, options: PlanOptions & { column?: false }): Io<unknown[][]>;
export function executePlan(node: SelectNode, elements: readonly PlanElement[], context: LoaderContext, options: PlanOptions & { column: true }): Io<unknown[]>;
export function executePlan(node: SelectNode, elements: readonly PlanElement[], context: LoaderContext, options: PlanOptions): Io<unknown[]> {
  const single = elements[0];
  return runPlan(node, elements, context, options, (rows, processors, run) =>
    options.column === true && elements.length === 1 && single?.kind === "entity"
      ? loadColumn(rows, processors, single.load, run)
      : loadRows(rows, processors, elements, run, options.rowKeys === undefined ? undefined : tupleRowPrototype(options.rowKeys)),
  );
}

/**
 * `executePlan` for a child statement of `[key…, entity]` rows: the instances grouped under
 * `joinKey` of their row's key values (`loadGroups`), with no tuple per row.
 */
export function executeGroupedPlan(
  node: SelectNode,
  elements: readonly PlanElement[],
  context: LoaderContext,
  options: PlanOptions,
  repeatsRows: boolean,
): Io<Map<unknown, unknown[]>> {
  return runPlan(node, elements, context, options, (rows, processors, run) => loadGroups(rows, processors, elements, run, repeatsRows));
}

/** Executes `node`, turns its rows into `build`'s result, then runs the post loads. */
function* runPlan<T>(
  node: SelectNode,
  elements: readonly PlanElement[],
  context: LoaderContext,
  options: PlanOptions,
  build: (rows: readonly (readonly unknown[])[], processors: readonly (ValueProcessor | undefined)[], run: LoadRun) => T,
): Io<T> {
  const params = options.params ?? context.params;
  const conn = options.connection ?? (yield* context.connection(firstMapper(elements), node.forUpdate === undefined));
  const prepared = prepareStatement(conn.dialect, node, params);
  const raw = yield* conn.executeRawIo(prepared);
  const run = new LoadRun(context, options.populateExisting);
  const result = build(raw.rows, prepared.plan.resultProcessors, run);
  run.finish();
  if (run.loaded.size > 0) {
    yield* options.postLoad(run, node, params === context.params ? context : { ...context, params });
  }
  return result;
}

function firstMapper(elements: readonly PlanElement[]): Mapper | undefined {
  for (const element of elements) if (element.kind === "entity") return element.load.mapper;
  return undefined;
}
