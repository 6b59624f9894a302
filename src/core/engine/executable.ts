import type { StatementNode } from "../sql/nodes.ts";

/** Anything `execute()` runs: a select, insert, update, delete or text(), typed by its row `R`. */
export interface Executable<R = unknown> {
  readonly node: StatementNode;
  /** Phantom: the row type. */
  readonly __row: R;
}

/** Named parameter values for `bindparam()` / `text()` parameters. */
export type NamedParams = Readonly<Record<string, unknown>>;
