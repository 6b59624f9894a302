import type { BindSlot, ColumnDefaultSlot } from "../../core/compiler/cache-key.ts";
import type { CompiledStatement } from "../../core/compiler/compiled-statement.ts";
import type { SqlCompiler } from "../../core/compiler/sql-compiler.ts";
import type { AnyConnection } from "../../core/engine/any-connection.ts";
import type { Executable } from "../../core/engine/executable.ts";
import { bindPrepared, bindValues } from "../../core/engine/prepared-statement.ts";
import type { Result } from "../../core/engine/result.ts";
import { type Io, io } from "../../shared/io.ts";
import { setBounded } from "../../shared/bounded-map.ts";

/**
 * A compiled flush statement and, per slot as first extracted, the client-side default computed
 * there anew each time, or `null` where the next value given goes (the first values are not kept).
 */
interface Template {
  readonly compiled: CompiledStatement;
  readonly defaults: readonly (ColumnDefaultSlot | null)[];
}

const TEMPLATES_PER_MAPPER = 32;
const templates = new WeakMap<SqlCompiler, WeakMap<object, Map<string, Template>>>();

/**
 * Runs a flush statement whose shape is `key` (per `owner`, usually a mapper), binding `values`
 * in the order the statement built by `build` binds them. The first statement of a shape is built
 * and compiled as any other; later ones reuse its compilation without building a statement tree
 * or walking it for a cache key (the ~10% of a 1,000-row flush that hashed every value). `key`
 * is `undefined` when some value is not plain (`isPlainValue`): the statement is built then.
 */
export function* runTemplated(
  conn: AnyConnection,
  owner: object,
  key: string | undefined,
  values: readonly unknown[],
  build: () => Executable<unknown>,
): Io<Result<unknown>> {
  // Values that are not plain build their statement each time (see isPlainValue).
  if (key === undefined) return yield* conn.executeIo(build());
  const compiler = conn.dialect.compiler;
  let byOwner = templates.get(compiler);
  if (byOwner === undefined) templates.set(compiler, (byOwner = new WeakMap()));
  let byKey = byOwner.get(owner);
  if (byKey === undefined) byOwner.set(owner, (byKey = new Map()));
  const template = byKey.get(key);
  if (template !== undefined) return yield* conn.executePreparedIo(bindValues(conn.dialect, template.compiled, templateParams(template, values)));
  const { compiled, extracted } = compiler.compile(build().node);
  if (bindsExactly(extracted.slots, values)) {
    const defaults = extracted.slots.map((slot) => (slot.kind === "bind" ? null : slot));
    setBounded(byKey, key, { compiled, defaults }, TEMPLATES_PER_MAPPER);
  }
  return yield* conn.executePreparedIo(bindPrepared(conn.dialect, compiled, extracted));
}

/**
 * The template's parameters in placeholder order: `values` in its bound values' slots, in order,
 * and each client-side default computed (no slot object per value, as a 1,000-row INSERT would make).
 */
function templateParams(template: Template, values: readonly unknown[]): unknown[] {
  const defaults = template.defaults;
  const bySlot = new Array<unknown>(defaults.length);
  let next = 0;
  for (let i = 0; i < defaults.length; i++) {
    const slot = defaults[i] as ColumnDefaultSlot | null;
    bySlot[i] = slot === null ? values[next++] : slot.compute();
  }
  const order = template.compiled.slotOrder;
  const params = new Array<unknown>(order.length);
  for (let i = 0; i < order.length; i++) params[i] = bySlot[order[i] as number];
  return params;
}

/**
 * Whether a freshly compiled statement binds exactly `values`, in order (besides client-side
 * defaults): only then can its compilation take other values of the same shape.
 */
function bindsExactly(slots: readonly BindSlot[], values: readonly unknown[]): boolean {
  let next = 0;
  for (const slot of slots) {
    if (slot.kind === "column-default") continue;
    if (slot.key !== undefined || next >= values.length || !Object.is(slot.value, values[next])) return false;
    next++;
  }
  return next === values.length;
}
