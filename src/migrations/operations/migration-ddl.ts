import { ArgumentError } from "../../shared/errors.ts";
import type { Dialect } from "../../core/dialects/dialect.ts";
import { ForeignKeyConstraint, Index } from "../../core/schema/constraints.ts";
import { Column } from "../../core/schema/column.ts";
import { NullType } from "../../core/types/type-constructors.ts";
import { columnDefinition, serverDefaultSql, typeSql } from "./column-ddl.ts";
import type { MigrationOp, TableAlterOp, TableRef } from "./migration-op.ts";
import { buildTable } from "./table-builder.ts";

/**
 * Turns ops into DDL for one dialect. CREATE TABLE, CREATE INDEX and ADD CONSTRAINT … FOREIGN KEY
 * come from the dialect's own DDL compiler; the ALTER TABLE forms it has no use for (add, drop,
 * alter and rename columns, drop index and constraint, rename table) are written here, the
 * standard way, with the dialects' differences in the subclasses.
 *
 * ```ts
 * ddl.render({ kind: "add-column", table: "users", column: "email", spec: Column(StringType(100)) });
 * // ['ALTER TABLE "users" ADD COLUMN "email" VARCHAR(100)']
 * ```
 */
export class MigrationDdl {
  readonly dialect: Dialect;

  constructor(dialect: Dialect) {
    this.dialect = dialect;
  }

  /**
   * Whether the op needs the table rebuilt (SQLite's copy-and-move, `batchAlterTable`) because
   * the database has no ALTER TABLE for it. Never on PostgreSQL and MySQL.
   */
  needsRecreate(_op: TableAlterOp): boolean {
    return false;
  }

  /** The statements for one op (`execute` and `bulk-insert` are run by the operations themselves). */
  render(op: Exclude<MigrationOp, { kind: "execute" | "bulk-insert" }>): string[] {
    const ddl = this.dialect.ddlCompiler;
    switch (op.kind) {
      case "create-table": {
        const table = buildTable(op.table, op.schema, op.columns, op.constraints);
        return [...ddl.createTypes(table), ...ddl.createTable(table, new Set()), ...ddl.createIndexes(table)];
      }
      case "drop-table":
        return [`DROP TABLE ${this.table(op)}`];
      case "rename-table":
        return [`ALTER TABLE ${this.table(op)} RENAME TO ${this.quote(op.newName)}`];
      case "add-column":
        return this.addColumn(op);
      case "drop-column":
        return [`ALTER TABLE ${this.table(op)} DROP COLUMN ${this.quote(op.column)}`];
      case "alter-column":
        return this.alterColumn(op);
      case "create-index": {
        const columns = Object.fromEntries(op.columns.map((c) => [c, Column(NullType)]));
        const table = buildTable(op.table, op.schema, columns, [new Index(op.name, op.columns, { unique: op.unique })]);
        return ddl.createIndexes(table);
      }
      case "drop-index":
        return [this.dropIndex(op)];
      case "create-foreign-key": {
        const columns = Object.fromEntries(op.columns.map((c) => [c, Column(NullType)]));
        const referent = op.referentSchema === undefined ? op.referent : `${op.referentSchema}.${op.referent}`;
        const fk = new ForeignKeyConstraint(
          op.columns,
          op.referentColumns.map((c) => `${referent}.${c}`),
          { ...(op.name === undefined ? {} : { name: op.name }), ...(op.ondelete ? { ondelete: op.ondelete } : {}), ...(op.onupdate ? { onupdate: op.onupdate } : {}) },
        );
        return [ddl.addForeignKey(buildTable(op.table, op.schema, columns, [fk]), fk)];
      }
      case "create-unique-constraint": {
        const name = op.name === undefined ? "" : `CONSTRAINT ${this.quote(op.name)} `;
        return [`ALTER TABLE ${this.table(op)} ADD ${name}UNIQUE (${op.columns.map((c) => this.quote(c)).join(", ")})`];
      }
      case "drop-constraint":
        return [this.dropConstraint(op)];
    }
  }

  // ---- dialect hooks ---------------------------------------------------------------------------

  protected addColumn(op: Extract<MigrationOp, { kind: "add-column" }>): string[] {
    const statements = [`ALTER TABLE ${this.table(op)} ADD COLUMN ${columnDefinition(this.dialect, op.table, op.schema, op.column, op.spec)}`];
    for (const fk of op.spec.foreignKeys) {
      const dot = fk.target.lastIndexOf(".");
      statements.push(
        ...this.render({
          kind: "create-foreign-key",
          table: op.table,
          schema: op.schema,
          name: fk.options.name,
          columns: [op.column],
          referent: fk.target.slice(0, dot),
          referentColumns: [fk.target.slice(dot + 1)],
          ondelete: fk.options.ondelete,
          onupdate: fk.options.onupdate,
        }),
      );
    }
    return statements;
  }

  /** The standard forms (PostgreSQL's): one ALTER TABLE per change, the rename last. */
  protected alterColumn(op: Extract<MigrationOp, { kind: "alter-column" }>): string[] {
    const { changes } = op;
    const prefix = `ALTER TABLE ${this.table(op)} ALTER COLUMN ${this.quote(op.column)}`;
    const statements: string[] = [];
    if (changes.type !== undefined) {
      const using = changes.postgresqlUsing === undefined ? "" : ` USING ${changes.postgresqlUsing}`;
      statements.push(`${prefix} TYPE ${typeSql(this.dialect, op.table, op.schema, changes.type)}${using}`);
    }
    if (changes.nullable !== undefined) statements.push(`${prefix} ${changes.nullable ? "DROP" : "SET"} NOT NULL`);
    if (changes.serverDefault !== undefined) {
      statements.push(
        changes.serverDefault === null ? `${prefix} DROP DEFAULT` : `${prefix} SET DEFAULT ${serverDefaultSql(this.dialect, changes.serverDefault)}`,
      );
    }
    if (changes.newColumnName !== undefined) {
      statements.push(`ALTER TABLE ${this.table(op)} RENAME COLUMN ${this.quote(op.column)} TO ${this.quote(changes.newColumnName)}`);
    }
    if (statements.length === 0) throw new ArgumentError(`alterColumn(${op.table}.${op.column}) changes nothing`);
    return statements;
  }

  /** `DROP INDEX name`, the index qualified by the table's schema. */
  protected dropIndex(op: Extract<MigrationOp, { kind: "drop-index" }>): string {
    return `DROP INDEX ${this.qualified(op.name, op.schema)}`;
  }

  protected dropConstraint(op: Extract<MigrationOp, { kind: "drop-constraint" }>): string {
    return `ALTER TABLE ${this.table(op)} DROP CONSTRAINT ${this.quote(op.name)}`;
  }

  // ---- pieces --------------------------------------------------------------------------------

  quote(identifier: string): string {
    return this.dialect.compiler.quote(identifier);
  }

  table(ref: TableRef): string {
    return this.qualified(ref.table, ref.schema);
  }

  protected qualified(name: string, schema: string | undefined): string {
    return schema === undefined ? this.quote(name) : `${this.quote(schema)}.${this.quote(name)}`;
  }
}
