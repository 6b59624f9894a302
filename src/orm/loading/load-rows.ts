import type { ValueProcessor } from "../../core/dialects/dialect.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, STATE, UNLOADED } from "../state/instance-state.ts";
import type { ResultElement } from "../query/entity-select.ts";

/** Where loaded instances go: the session's identity map. */
export interface LoadTarget {
  get(key: string): InstanceState | undefined;
  add(state: InstanceState): void;
}

export interface LoadOptions {
  readonly populateExisting: boolean;
}

/** Per entity, what hydration needs precomputed: which row position fills which slot. */
interface EntityPlan {
  readonly mapper: Mapper;
  readonly offset: number;
  readonly slots: readonly number[];
  /** Row positions (relative to offset) of the primary key columns, in key order. */
  readonly pkPositions: readonly number[];
}

/**
 * Turns raw driver rows into result tuples of identity-mapped instances (pure, synchronous: the
 * hot path of every ORM query). A row whose primary key is already in the map yields the same
 * instance; its loaded attributes are kept (unless `populateExisting`), unloaded ones are filled.
 */
export function loadRows(
  rows: readonly (readonly unknown[])[],
  processors: readonly (ValueProcessor | undefined)[],
  layout: readonly ResultElement[],
  target: LoadTarget,
  options: LoadOptions,
): unknown[][] {
  const plans = layout.map((element) => (element.kind === "entity" ? planFor(element) : undefined));
  const out = new Array<unknown[]>(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as readonly unknown[];
    const tuple = new Array<unknown>(layout.length);
    for (let e = 0; e < layout.length; e++) {
      const plan = plans[e];
      if (plan === undefined) {
        const offset = (layout[e] as { offset: number }).offset;
        tuple[e] = processed(row[offset], processors[offset]);
      } else {
        tuple[e] = loadInstance(row, plan, processors, target, options);
      }
    }
    out[r] = tuple;
  }
  return out;
}

function planFor(element: Extract<ResultElement, { kind: "entity" }>): EntityPlan {
  const slots = element.columns.map((c) => c.slot);
  const pkPositions = element.mapper.primaryKey.map((pk) => element.columns.indexOf(pk));
  return { mapper: element.mapper, offset: element.offset, slots, pkPositions };
}

function loadInstance(
  row: readonly unknown[],
  plan: EntityPlan,
  processors: readonly (ValueProcessor | undefined)[],
  target: LoadTarget,
  options: LoadOptions,
): object | null {
  const { mapper, offset, slots, pkPositions } = plan;
  const identity = new Array<unknown>(pkPositions.length);
  for (let i = 0; i < pkPositions.length; i++) {
    const position = offset + (pkPositions[i] as number);
    const value = row[position];
    // An outer join that matched nothing: no entity.
    if (value === null || value === undefined) return null;
    identity[i] = processed(value, processors[position]);
  }
  const key = mapper.identityKey(identity);
  const existing = target.get(key);
  if (existing !== undefined) {
    fillExisting(existing, row, plan, processors, options.populateExisting);
    return existing.object;
  }
  const values = new Array<unknown>(mapper.slotCount).fill(UNLOADED);
  for (let i = 0; i < slots.length; i++) {
    const position = offset + i;
    values[slots[i] as number] = processed(row[position], processors[position]);
  }
  const object = mapper.instantiate(values);
  const state = (object as { [STATE]: InstanceState })[STATE];
  state.key = key;
  state.identity = identity;
  state.status = "persistent";
  target.add(state);
  return object;
}

function fillExisting(
  state: InstanceState,
  row: readonly unknown[],
  plan: EntityPlan,
  processors: readonly (ValueProcessor | undefined)[],
  overwrite: boolean,
): void {
  const values = state.values;
  let stillUnloaded = false;
  for (let i = 0; i < plan.slots.length; i++) {
    const slot = plan.slots[i] as number;
    if (overwrite || values[slot] === UNLOADED) {
      const position = plan.offset + i;
      values[slot] = processed(row[position], processors[position]);
    }
  }
  if (overwrite) state.resetHistory();
  for (const c of plan.mapper.columns) if (values[c.slot] === UNLOADED && !c.deferred) stillUnloaded = true;
  if (!stillUnloaded) state.unloadedReason = undefined;
}

function processed(value: unknown, process: ValueProcessor | undefined): unknown {
  return process === undefined || value === null || value === undefined ? value : process(value);
}
