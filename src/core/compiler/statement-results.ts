import type { CompoundSelectNode, SelectNode, StatementNode } from "../sql/nodes.ts";
import { type ResultColumn, resultColumnsOf } from "../sql/result-columns.ts";

/** The columns a statement's rows have: its select list (the first select's, for a compound), RETURNING, or text().columns(). */
export function resultColumnsOfStatement(statement: StatementNode): ResultColumn[] {
  switch (statement.kind) {
    case "select":
      return resultColumnsOf(statement.columns, statement.columnKeys);
    case "compound-select": {
      let first: SelectNode | CompoundSelectNode = statement;
      while (first.kind === "compound-select") first = first.selects[0] as SelectNode | CompoundSelectNode;
      return resultColumnsOf(first.columns, first.columnKeys);
    }
    case "text":
      return resultColumnsOf(statement.columns, []);
    default:
      return resultColumnsOf(statement.returning, statement.returningKeys);
  }
}
/** Whether executing the statement yields rows; for text(), judged by its first keyword or a RETURNING. */
export function returnsRows(statement: StatementNode): boolean {
  switch (statement.kind) {
    case "select":
    case "compound-select":
      return true;
    case "text":
    {
      const sql = statement.parts.join(" ");
      return /^\s*(\(\s*)*(SELECT|WITH|VALUES|SHOW|PRAGMA|EXPLAIN)\b/i.test(sql) || /\bRETURNING\b/i.test(sql);
    }
    default:
      return statement.returning.length > 0;
  }
}
