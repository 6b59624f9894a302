import { ArgumentError } from "../../shared/errors.ts";
import type { ExtractedStatement } from "./cache-key.ts";
import type { CompiledStatement } from "./compiled-statement.ts";

/**
 * The values of one execution, in placeholder order and not yet processed for the dialect: each
 * placeholder's extracted slot, a named parameter's value from `named` (falling back to the
 * value it was built with), a client-side default computed now.
 *
 * ```ts
 * const { compiled, extracted } = compiler.compile(select(users.c.id).where(users.c.id.eq(bindparam("id", Integer))).node);
 * boundParameters(compiled, extracted, { id: 5 });  // [5]
 * ```
 */
export function boundParameters(
  compiled: CompiledStatement,
  extracted: ExtractedStatement,
  named?: Readonly<Record<string, unknown>>,
): unknown[] {
  const { slotOrder } = compiled;
  const { slots } = extracted;
  const params = new Array<unknown>(slotOrder.length);
  for (let i = 0; i < slotOrder.length; i++) {
    const slot = slots[slotOrder[i] as number];
    if (slot === undefined) throw new ArgumentError("internal: a placeholder has no extracted value");
    if (slot.kind === "column-default") {
      params[i] = slot.compute();
    } else if (slot.key === undefined) {
      params[i] = slot.value;
    } else if (named !== undefined && Object.hasOwn(named, slot.key)) {
      params[i] = named[slot.key];
    } else if (slot.value !== undefined) {
      params[i] = slot.value;
    } else {
      throw new ArgumentError(`A value is required for bind parameter "${slot.key}"`);
    }
  }
  return params;
}
