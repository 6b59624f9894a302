import type { CompiledStatement } from "../compiler/compiled-statement.ts";
import { boundParameters } from "../compiler/bound-parameters.ts";
import type { ExtractedStatement } from "../compiler/cache-key.ts";
import type { Dialect, ValueProcessor } from "../dialects/dialect.ts";
import type { DriverResult, ExecuteOptions } from "../drivers/driver.ts";
import type { StatementNode } from "../sql/nodes.ts";
import type { NamedParams } from "./executable.ts";

/** What the engine derives once per compiled statement: processors and the row shape. */
interface ExecutionPlan {
  readonly bindProcessors: readonly (ValueProcessor | undefined)[];
  readonly anyBindProcessor: boolean;
  readonly resultProcessors: readonly (ValueProcessor | undefined)[];
  readonly keys: readonly string[];
  readonly exactIntegers: boolean;
  /** Result columns with no declared type, for the driver to parse as its client library would. */
  readonly untypedColumns: ExecuteOptions["untypedColumns"];
  /** What `execute` tells the driver, built once (exact integers, cacheable, untyped columns). */
  readonly executeOptions: ExecuteOptions;
}

const plans = new WeakMap<CompiledStatement, ExecutionPlan>();

function planFor(compiled: CompiledStatement, dialect: Dialect): ExecutionPlan {
  let plan = plans.get(compiled);
  if (plan === undefined) {
    const bindProcessors = compiled.paramTypes.map((t) => dialect.types.bind(t));
    const exactIntegers = compiled.resultColumns.some((c) => c.type.kind === "bigint");
    const untypedColumns = untypedColumnsOf(compiled);
    plan = {
      bindProcessors,
      anyBindProcessor: bindProcessors.some((p) => p !== undefined),
      resultProcessors: compiled.resultColumns.map((c) => dialect.types.result(c.type)),
      keys: compiled.resultColumns.map((c) => c.key),
      exactIntegers,
      untypedColumns,
      executeOptions: untypedColumns === undefined ? { exactIntegers, cacheable: true } : { exactIntegers, cacheable: true, untypedColumns },
    };
    plans.set(compiled, plan);
  }
  return plan;
}

/**
 * Which result columns have no type (`true`: all, as for `text()` without `.columns()`), decided
 * once per compiled statement; `undefined` when every column is typed, the common case.
 */
function untypedColumnsOf(compiled: CompiledStatement): ExecuteOptions["untypedColumns"] {
  if (compiled.resultColumns.length === 0) return compiled.returnsRows ? true : undefined;
  const untyped = compiled.resultColumns.map((c) => c.type.kind === "null");
  return untyped.includes(true) ? untyped : undefined;
}

/** A statement compiled for a dialect with its values bound and processed, ready for the driver. */
export interface PreparedStatement {
  readonly sql: string;
  readonly params: unknown[];
  readonly compiled: CompiledStatement;
  readonly plan: ExecutionPlan;
}

/** Compiles (or fetches from the cache) and binds: the pure half of executing a statement. */
export function prepareStatement(dialect: Dialect, node: StatementNode, named?: NamedParams): PreparedStatement {
  const { compiled, extracted } = dialect.compiler.compile(node);
  return bindPrepared(dialect, compiled, extracted, named);
}

export function bindPrepared(
  dialect: Dialect,
  compiled: CompiledStatement,
  extracted: ExtractedStatement,
  named?: NamedParams,
): PreparedStatement {
  return bindValues(dialect, compiled, boundParameters(compiled, extracted, named));
}

/**
 * `bindPrepared` of values already in placeholder order (`params`, processed in place): for a
 * caller that has them at hand, such as the batches of a bulk INSERT, without a slot per value.
 */
export function bindValues(dialect: Dialect, compiled: CompiledStatement, params: unknown[]): PreparedStatement {
  const plan = planFor(compiled, dialect);
  if (plan.anyBindProcessor) {
    for (let i = 0; i < params.length; i++) {
      const process = plan.bindProcessors[i];
      const value = params[i];
      if (process !== undefined && value !== null && value !== undefined) params[i] = process(value);
    }
  }
  return { sql: compiled.sql, params, compiled, plan };
}

/** Turns driver rows (arrays) into row objects keyed by result column, with result processing. */
export function rowsFrom<R>(result: Pick<DriverResult, "rows">, plan: ExecutionPlan): R[] {
  const { keys, resultProcessors } = plan;
  const width = keys.length;
  const out = new Array<R>(result.rows.length);
  for (let r = 0; r < result.rows.length; r++) {
    const raw = result.rows[r] as readonly unknown[];
    const row: Record<string, unknown> = {};
    for (let i = 0; i < width; i++) {
      const value = raw[i];
      const process = resultProcessors[i];
      row[keys[i] as string] = process === undefined || value === null ? value : process(value);
    }
    out[r] = row as R;
  }
  return out;
}
