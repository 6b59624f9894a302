import type { Table } from "../schema/table.ts";
import type { ForeignKeyConstraint } from "../schema/constraints.ts";

/**
 * Compiles schema objects into DDL statements for one dialect. Values in DDL (server defaults,
 * CHECK expressions) cannot be bound, so they are rendered as escaped literals here and only here.
 */
export interface DdlCompiler {
  /** `CREATE TABLE …` with columns, primary key, unique/check constraints and the foreign keys not deferred. */
  createTable(table: Table, deferredForeignKeys: ReadonlySet<ForeignKeyConstraint>): string[];
  /** `CREATE [UNIQUE] INDEX …` statements for the table's indexes. */
  createIndexes(table: Table): string[];
  /** `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY …` for a foreign key created after its tables. */
  addForeignKey(table: Table, fk: ForeignKeyConstraint): string;
  /** `ALTER TABLE … DROP CONSTRAINT …` to break a cycle before dropping. */
  dropForeignKey(table: Table, fk: ForeignKeyConstraint): string;
  /** `DROP TABLE …`. */
  dropTable(table: Table): string;
  /** Statements that create types a table needs first (PostgreSQL ENUM types). */
  createTypes(table: Table): string[];
  /** Statements that drop those types after the table. */
  dropTypes(table: Table): string[];
}
