import { BaseDdlCompiler, type ColumnTypeNames } from "../../compiler/base-ddl-compiler.ts";
import type { TableColumn } from "../../schema/column.ts";
import type { ForeignKeyConstraint, Index } from "../../schema/constraints.ts";
import type { Table } from "../../schema/table.ts";
import type { Expression } from "../../sql/coercions.ts";
import type { Node } from "../../sql/nodes.ts";

/**
 * SQLite's DDL. Types are chosen for their affinity: exact decimals and JSON are TEXT (NUMERIC
 * affinity would turn `"1.10"` or a large JSON number into a lossy REAL); DATE/DATETIME/TIME keep
 * SQLAlchemy's names (NUMERIC affinity leaves ISO strings as text). The generated integer
 * primary key is declared `INTEGER` whatever its type, so that it aliases the rowid. Foreign
 * keys are always inline: SQLite has no ALTER TABLE … ADD CONSTRAINT, and does not check the
 * referenced table at CREATE time, so cycles need nothing special until they are dropped.
 */
export class SqliteDdlCompiler extends BaseDdlCompiler {
  protected readonly typeNames: ColumnTypeNames = {
    integer: () => "INTEGER",
    bigint: () => "BIGINT",
    smallint: () => "SMALLINT",
    string: (type, column) => this.varchar(type, column, false),
    text: () => "TEXT",
    boolean: () => "INTEGER",
    float: () => "FLOAT",
    numeric: () => "TEXT",
    date: () => "DATE",
    datetime: () => "DATETIME",
    time: () => "TIME",
    interval: () => "BIGINT",
    json: () => "TEXT",
    uuid: () => "CHAR(36)",
    binary: () => "BLOB",
    enum: (type, column) => `VARCHAR(${Math.max(...this.enumValues(type, column).map((v) => v.length))})`,
    array: (_type, column) => this.noArrays(column),
  };

  protected override booleanLiteral(value: boolean): string {
    return value ? "1" : "0";
  }

  /** Only a single-column key can alias the rowid. */
  protected override isAutoincrement(table: Table, column: TableColumn<unknown>): boolean {
    return table.primaryKey.length === 1 && super.isAutoincrement(table, column);
  }

  protected override columnType(table: Table, column: TableColumn<unknown>): string {
    return this.isAutoincrement(table, column) ? "INTEGER" : super.columnType(table, column);
  }

  /** An Enum is a VARCHAR limited to its values by a CHECK. */
  protected override columnConstraints(table: Table, column: TableColumn<unknown>): string[] {
    if (column.type.kind !== "enum") return [];
    const values = this.enumValues(column.type, column).map((v) => this.literal(v));
    return [`CHECK (${this.compiler.quote(column.name)} IN (${values.join(", ")}))`];
  }

  /**
   * SQLite accepts only literals, signed numbers and CURRENT_* keywords bare; any other expression
   * needs parentheses (SQLAlchemy's rule for text defaults).
   */
  protected override defaultExpression(sql: string, node: Node): string {
    if (node.kind === "raw-column" && (/^\s*['"(]/.test(sql) || !/\W/.test(sql))) return sql;
    return `(${sql})`;
  }

  /**
   * SQLite cannot drop a constraint. Deferring every foreign key check to COMMIT lets the tables of
   * a cycle that hold rows drop one after the other inside the transaction DDL runs in (the
   * pragma resets at COMMIT; outside a transaction it has no lasting effect).
   */
  override dropForeignKey(_table: Table, _fk: ForeignKeyConstraint): string {
    return "PRAGMA defer_foreign_keys = ON";
  }

  /** SQLite qualifies the index name, not the table, with the schema. */
  protected override indexNameAndTable(table: Table, name: string): [string, string] {
    const q = this.compiler.quote.bind(this.compiler);
    return [table.schema === undefined ? q(name) : `${q(table.schema)}.${q(name)}`, q(table.name)];
  }

  /** A partial index: `sqliteWhere`. */
  protected override indexWhere(index: Index): Expression<boolean> | undefined {
    return index.sqliteWhere;
  }
}
