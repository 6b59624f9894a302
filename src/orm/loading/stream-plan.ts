import { InvalidRequestError } from "../../shared/errors.ts";
import type { AnyConnection } from "../../core/engine/any-connection.ts";
import type { NamedParams } from "../../core/engine/executable.ts";
import { prepareStatement } from "../../core/engine/prepared-statement.ts";
import type { SelectNode } from "../../core/sql/nodes.ts";
import type { InstanceState } from "../state/instance-state.ts";
import type { LoaderContext, PostLoader } from "./execute-plan.ts";
import type { EntityLoad, PlanElement } from "./load-plan.ts";
import { LoadRun, loadColumn, loadRows } from "./load-rows.ts";
import type { Io } from "../../shared/io.ts";

/** Rows per batch of a `stream()` given no `yieldPer` (the most SQLAlchemy's buffered cursor fetches at once). */
export const DEFAULT_STREAM_BATCH = 1000;

/**
 * Instances a stream keeps in the identity map before it counts as long and lets the unchanged
 * instances of the batches it has passed go: a short stream behaves as `execute()`.
 */
export const STREAM_KEEPS_INSTANCES = 2_000;

/** An ORM statement's rows in batches, each hydrated (and its eager loads run) when asked for. */
export interface PlanBatches {
  /** The next batch's rows (tuples, or the instances with `column`), or `undefined` at the end. */
  nextIo(): Io<unknown[] | undefined>;
  /** Closes the cursor; safe to call twice. */
  closeIo(): Io<void>;
}

interface StreamOptions {
  readonly params: NamedParams | undefined;
  readonly populateExisting: boolean;
  readonly postLoad: PostLoader;
  readonly column: boolean;
  readonly connection: AnyConnection;
  readonly batchSize: number;
  /** Takes an unchanged instance out of the identity map (`IdentityMap.evict`). */
  readonly evict: (state: InstanceState) => void;
}

/**
 * Opens a planned ORM statement as a cursor (SQLAlchemy's `yield_per`): each batch of rows becomes
 * instances through the identity map, then the batch's selectin and immediate loads run (on the
 * cursor's connection between two fetches), before the batch is handed out.
 */
export function* openPlanStream(node: SelectNode, elements: readonly PlanElement[], context: LoaderContext, options: StreamOptions): Io<PlanBatches> {
  const { connection, populateExisting, postLoad } = options;
  const params = options.params ?? context.params;
  const prepared = prepareStatement(connection.dialect, node, params);
  const cursor = yield* connection.openCursorIo(prepared, { batchSize: options.batchSize, interleave: elements.some(hasPostLoads) });
  const processors = prepared.plan.resultProcessors;
  const single = elements[0];
  const entity = options.column && elements.length === 1 && single?.kind === "entity" ? single.load : undefined;
  let added: InstanceState[] = [];
  const kept = new KeptInstances(options.evict);
  const batchContext: LoaderContext = {
    ...context,
    params,
    add: (state, value) => {
      context.add(state, value);
      added.push(state);
    },
    // Every streamed row gets a state of its own: the stream evicts rows by their state.
    sharedState: undefined,
    addShared: undefined,
    // The batch's loads that would run on the streaming connection run through its cursor.
    connection: function* (mapper, readOnly) {
      const conn = yield* context.connection(mapper, readOnly);
      return conn === connection ? cursor : conn;
    },
  };
  return {
    *nextIo() {
      try {
        // Asked for the next batch, the reader is done with the last one: in a long stream its
        // instances go now, before the next batch's are built, so they die young.
        kept.passBatch();
        const rows = yield* cursor.nextIo();
        if (rows === undefined) {
          yield* cursor.closeIo();
          return undefined;
        }
        const run = new LoadRun(batchContext, populateExisting);
        const out = entity !== undefined ? loadColumn(rows, processors, entity, run) : loadRows(rows, processors, elements, run);
        run.finish();
        if (run.loaded.size > 0) yield* postLoad(run, node, batchContext);
        kept.add(added);
        added = [];
        return out;
      } catch (error) {
        yield* cursor.closeIo();
        throw error;
      }
    },
    closeIo: () => cursor.closeIo(),
  };
}

/** The batches of `first`, then of each later statement, opened when the one before has ended. */
export function batchesInTurn(first: PlanBatches, later: readonly (() => Io<PlanBatches>)[]): PlanBatches {
  let current = first;
  let index = 0;
  return {
    *nextIo() {
      for (;;) {
        const batch = yield* current.nextIo();
        if (batch !== undefined) return batch;
        const open = later[index++];
        if (open === undefined) return undefined;
        current = yield* open();
      }
    },
    closeIo: () => current.closeIo(),
  };
}

/**
 * The batches of instances a stream added to the identity map. Until they number more than
 * `STREAM_KEEPS_INSTANCES` the stream keeps them all, as `execute()` would; past that it is a long
 * stream, and only the batch being read stays: instances that live one batch die young, which is
 * what keeps a long stream's memory flat (kept longer, each would outlive the young generation).
 */
class KeptInstances {
  readonly #evict: (state: InstanceState) => void;
  readonly #batches: InstanceState[][] = [];
  #count = 0;
  #long = false;

  constructor(evict: (state: InstanceState) => void) {
    this.#evict = evict;
  }

  /** Keeps the instances a batch added. */
  add(batch: InstanceState[]): void {
    this.#batches.push(batch);
    this.#count += batch.length;
    if (this.#count > STREAM_KEEPS_INSTANCES) this.#long = true;
  }

  /** The reader has moved past the batches kept: in a long stream, their unchanged instances go. */
  passBatch(): void {
    if (!this.#long) return;
    for (const batch of this.#batches.splice(0)) {
      // A changed instance stays: its flush needs it, as SQLAlchemy's map holds modified ones strongly.
      for (const state of batch) if (!state.modified) this.#evict(state);
    }
    this.#count = 0;
  }
}

/**
 * Why a statement cannot be read in `yieldPer` batches, if it cannot (SQLAlchemy 2.0's rule): a
 * joined eager collection repeats its parent over rows a batch may split, and a subquery load
 * re-runs the whole statement.
 */
export function yieldPerConflict(elements: readonly PlanElement[]): string | undefined {
  const conflicts = elements.some((element) => element.kind === "entity" && needsWholeResult(element.load));
  if (!conflicts) return undefined;
  return (
    "Can't use yield_per with eager loaders that require uniquing or row buffering, e.g. joinedload() against " +
    "collections or subqueryload().  Consider the selectinload() strategy for better flexibility in loading objects."
  );
}

/** Refuses a `yieldPer` statement whose loaders need every row at once. */
export function checkYieldPer(elements: readonly PlanElement[]): void {
  const conflict = yieldPerConflict(elements);
  if (conflict !== undefined) throw new InvalidRequestError(conflict);
}

function needsWholeResult(load: EntityLoad): boolean {
  if (load.post.some((post) => post.strategy.needsWholeResult)) return true;
  return load.joined.some((joined) => joined.property.join.uselist || needsWholeResult(joined.entity));
}

function hasPostLoads(element: PlanElement): boolean {
  return element.kind === "entity" && loadHasPostLoads(element.load);
}

function loadHasPostLoads(load: EntityLoad): boolean {
  // Selectin polymorphic loading runs after each batch too.
  if (load.polymorphic !== undefined && load.polymorphic.selectin.length > 0) return true;
  return load.post.length > 0 || load.joined.some((joined) => loadHasPostLoads(joined.entity));
}
