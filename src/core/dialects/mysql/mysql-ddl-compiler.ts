import { BaseDdlCompiler, type ColumnTypeNames } from "../../compiler/base-ddl-compiler.ts";
import type { TableColumn } from "../../schema/column.ts";
import type { Sequence } from "../../schema/sequence.ts";
import type { Table } from "../../schema/table.ts";
import type { Expression } from "../../sql/coercions.ts";
import type { Node } from "../../sql/nodes.ts";

/**
 * MySQL / MariaDB DDL: InnoDB tables (foreign keys are enforced) in utf8mb4 (every Unicode
 * character, astral ones included); VARCHAR needs a length, as in SQLAlchemy; DATETIME(6) and
 * TIME(6) keep microseconds; an Enum is an inline `ENUM(…)`. String literals escape backslashes
 * too, since MySQL reads `\` as an escape character.
 */
export class MysqlDdlCompiler extends BaseDdlCompiler {
  protected readonly typeNames: ColumnTypeNames = {
    integer: () => "INTEGER",
    bigint: () => "BIGINT",
    smallint: () => "SMALLINT",
    string: (type, column) => this.varchar(type, column, true),
    text: () => "TEXT",
    boolean: () => "BOOL",
    float: () => "DOUBLE",
    numeric: (type, column) => this.numeric(type, column),
    date: () => "DATE",
    datetime: () => "DATETIME(6)",
    time: () => "TIME(6)",
    interval: () => "BIGINT",
    json: () => "JSON",
    uuid: () => "CHAR(36)",
    binary: () => "LONGBLOB",
    enum: (type, column) => `ENUM(${this.enumValues(type, column).map((v) => this.literal(v)).join(", ")})`,
    array: (_type, column) => this.noArrays(column),
  };

  protected override stringLiteral(value: string): string {
    return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
  }

  protected override tableOptions(table: Table): string {
    const comment = table.comment === undefined ? "" : ` COMMENT=${this.literal(table.comment)}`;
    return ` ENGINE=InnoDB DEFAULT CHARSET=utf8mb4${comment}`;
  }

  /** Every expression of a functional index in its own parentheses (MySQL ≥ 8.0.13's key part syntax). */
  protected override indexElement(table: Table, element: string | Expression): string {
    return typeof element === "string" ? super.indexElement(table, element) : `(${this.expression(element)})`;
  }

  protected override dropForeignKeyClause(quotedName: string): string {
    return `DROP FOREIGN KEY ${quotedName}`;
  }

  /** `name TYPE [GENERATED ALWAYS AS (…)] [NOT NULL] [DEFAULT …] [AUTO_INCREMENT] [COMMENT '…']`. */
  protected override columnSpecification(table: Table, column: TableColumn<unknown>): string {
    const generation = this.generation(table, column);
    const defaultSql = generation === "sequence" ? this.sequenceNextValue(table, column.sequence as Sequence) : this.serverDefault(column);
    return [
      this.compiler.quote(column.name),
      this.columnType(table, column),
      ...(column.computed === undefined ? [] : [this.computedClause(column.computed)]),
      ...(column.nullable ? [] : ["NOT NULL"]),
      ...(defaultSql === undefined ? [] : [`DEFAULT ${defaultSql}`]),
      ...(generation === "autoincrement" ? ["AUTO_INCREMENT"] : []),
      ...(column.comment === undefined ? [] : [`COMMENT ${this.literal(column.comment)}`]),
    ].join(" ");
  }

  /** MariaDB ≥ 10.3: `(NEXT VALUE FOR seq)` as the column default. */
  protected override sequenceNextValue(table: Table, sequence: Sequence): string {
    return `(NEXT VALUE FOR ${this.sequenceName(table, sequence)})`;
  }

  protected override sequenceExistsQuery(name: string, schema: string | undefined): { sql: string; params: unknown[] } {
    return {
      sql: "SELECT 1 FROM information_schema.tables WHERE table_type = 'SEQUENCE' AND table_schema = COALESCE(?, DATABASE()) AND table_name = ?",
      params: [schema ?? null, name],
    };
  }

  /** AUTO_INCREMENT must lead a key, so the generated column goes first in a composite primary key. */
  protected override primaryKeyColumns(table: Table): readonly TableColumn<unknown>[] {
    const generated = table.primaryKey.find((c) => this.isAutoincrement(table, c));
    return generated === undefined ? table.primaryKey : [generated, ...table.primaryKey.filter((c) => c !== generated)];
  }

  /** Function defaults need parentheses (MySQL 8.0.13+, MariaDB 10.2+); SQL text is written as given. */
  protected override defaultExpression(sql: string, node: Node): string {
    return node.kind === "raw-column" ? sql : `(${sql})`;
  }
}
