import type { ResultColumn } from "../sql/result-columns.ts";
import type { SqlType } from "../types/sql-type.ts";

/**
 * The output of compiling a statement, independent of its values: SQL text with the dialect's
 * placeholders, which extracted value fills each placeholder, and the result columns. Cached by
 * the statement's structural key and reused for every execution of the same shape.
 */
export interface CompiledStatement {
  readonly sql: string;
  /** For placeholder i (in text order), the index of its value among the extracted slots. */
  readonly slotOrder: readonly number[];
  /** The SQL type of each placeholder's value, in text order (for bind processing). */
  readonly paramTypes: readonly SqlType<unknown>[];
  /** Named parameters by placeholder, for values given at execution (`bindparam`, `text`). */
  readonly paramKeys: readonly (string | undefined)[];
  /** Result columns of a query or RETURNING; empty for statements that return no rows. */
  readonly resultColumns: readonly ResultColumn[];
  /** The statement returns rows (SELECT, compound, RETURNING, textual query). */
  readonly returnsRows: boolean;
}
