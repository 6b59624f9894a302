import type { Dialect } from "../../core/dialects/dialect.ts";
import type { Table } from "../../core/schema/table.ts";

/**
 * Where the ops of a migration go: a live connection (online) or a script of SQL (offline,
 * `--sql`). The operations render DDL; the context runs or prints it.
 */
export interface OperationsContext {
  readonly dialect: Dialect;
  /** Offline: nothing can be read from the database (no reflection for SQLite's table rebuild). */
  readonly offline: boolean;
  /** Runs (or prints) one statement of DDL or literal SQL. */
  run(sql: string): Promise<void>;
  /** Inserts rows with bound values (online), or prints INSERTs with literal values (offline). */
  bulkInsert(table: Table, rows: readonly Readonly<Record<string, unknown>>[]): Promise<void>;
  /** The table as the database has it now (online only). */
  reflectTable(name: string, schema: string | undefined): Promise<Table>;
}
