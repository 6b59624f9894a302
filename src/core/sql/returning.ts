import { coerceToExpression, isExpression } from "./coercions.ts";
import { type DmlExecutionOptions, type DmlStatementExtras, type ReturningTarget, DML_TARGET, isDmlTargetable } from "./dml-target.ts";
import { FromClause } from "./from-clause.ts";
import type { Node } from "./nodes.ts";

/**
 * The RETURNING list of a DML statement: expressions, or tables standing for all their columns;
 * a mapped class stands for its table's columns too, and is noted in `targets` so that a session
 * can build its instances from them.
 */
export function returningOf(args: readonly unknown[]): { returning: Node[]; returningKeys: (string | undefined)[]; targets: ReturningTarget[] } {
  const returning: Node[] = [];
  const returningKeys: (string | undefined)[] = [];
  const targets: ReturningTarget[] = [];
  for (const arg of args) {
    if (arg instanceof FromClause) {
      for (const c of arg.columnList) {
        returning.push(c.node);
        returningKeys.push(c.key);
      }
    } else if (isDmlTargetable(arg)) {
      const columns = Object.values(arg[DML_TARGET]().c);
      targets.push({ target: arg, offset: returning.length, width: columns.length });
      for (const c of columns) {
        returning.push(c.node);
        returningKeys.push(c.key);
      }
    } else if (isExpression(arg)) {
      returning.push(arg.node);
      returningKeys.push((arg as { rowKey?: string }).rowKey);
    } else {
      returning.push(coerceToExpression(arg, "returning()"));
      returningKeys.push(undefined);
    }
  }
  return { returning, returningKeys, targets };
}

/** A DML statement's node and extras with `returning()`'s list set: the shared body of insert/update/delete `returning()`. */
export function withReturning<N extends { readonly returning: readonly Node[] }>(
  node: N,
  extras: DmlStatementExtras,
  args: readonly unknown[],
): { node: N; extras: DmlStatementExtras } {
  const { returning, returningKeys, targets } = returningOf(args);
  return { node: Object.freeze({ ...node, returning, returningKeys }), extras: { ...extras, returningTargets: targets } };
}

/** A DML statement's extras with more execution options merged in (update/delete `executionOptions()`). */
export function withExecutionOptions(extras: DmlStatementExtras, options: DmlExecutionOptions): DmlStatementExtras {
  return { ...extras, executionOptions: { ...extras.executionOptions, ...options } };
}
