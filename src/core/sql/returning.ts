import { coerceToExpression, isExpression } from "./coercions.ts";
import { FromClause } from "./from-clause.ts";
import type { Node } from "./nodes.ts";

/** The RETURNING list of a DML statement: expressions, or tables standing for all their columns. */
export function returningOf(args: readonly unknown[]): { returning: Node[]; returningKeys: (string | undefined)[] } {
  const returning: Node[] = [];
  const returningKeys: (string | undefined)[] = [];
  for (const arg of args) {
    if (arg instanceof FromClause) {
      for (const c of arg.columnList) {
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
  return { returning, returningKeys };
}
