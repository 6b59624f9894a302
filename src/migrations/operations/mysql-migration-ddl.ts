import { ArgumentError } from "../../shared/errors.ts";
import { Column } from "../../core/schema/column.ts";
import { columnDefinition, serverDefaultSql } from "./column-ddl.ts";
import { MigrationDdl } from "./migration-ddl.ts";
import type { MigrationOp } from "./migration-op.ts";

/**
 * MySQL / MariaDB: a column's type, nullability or name changes with `MODIFY` / `CHANGE`, which
 * restate the whole column, so they need what stays (`existingType`, `existingNullable`,
 * `existingServerDefault`), as in Alembic; a default alone is `ALTER COLUMN … SET DEFAULT`.
 * Constraints are dropped by kind: `DROP FOREIGN KEY`, `DROP INDEX` (a unique constraint is
 * an index), `DROP CHECK`, `DROP PRIMARY KEY`.
 */
export class MysqlMigrationDdl extends MigrationDdl {
  protected override alterColumn(op: Extract<MigrationOp, { kind: "alter-column" }>): string[] {
    const { changes } = op;
    const restates = changes.type !== undefined || changes.nullable !== undefined || changes.newColumnName !== undefined;
    if (!restates) {
      if (changes.serverDefault === undefined) throw new ArgumentError(`alterColumn(${op.table}.${op.column}) changes nothing`);
      const prefix = `ALTER TABLE ${this.table(op)} ALTER COLUMN ${this.quote(op.column)}`;
      return [changes.serverDefault === null ? `${prefix} DROP DEFAULT` : `${prefix} SET DEFAULT ${serverDefaultSql(this.dialect, changes.serverDefault)}`];
    }
    const type = changes.type ?? changes.existingType;
    if (type === undefined) {
      throw new ArgumentError(
        `MySQL restates the whole column to change ${op.table}.${op.column}: pass existingType (and existingNullable, existingServerDefault) to alterColumn`,
      );
    }
    const serverDefault = changes.serverDefault !== undefined ? changes.serverDefault : changes.existingServerDefault;
    const name = changes.newColumnName ?? op.column;
    const spec = Column(type, {
      nullable: changes.nullable ?? changes.existingNullable ?? true,
      ...(serverDefault === null || serverDefault === undefined ? {} : { serverDefault }),
    });
    const definition = columnDefinition(this.dialect, op.table, op.schema, name, spec);
    return changes.newColumnName === undefined
      ? [`ALTER TABLE ${this.table(op)} MODIFY ${definition}`]
      : [`ALTER TABLE ${this.table(op)} CHANGE ${this.quote(op.column)} ${definition}`];
  }

  protected override dropIndex(op: Extract<MigrationOp, { kind: "drop-index" }>): string {
    return `DROP INDEX ${this.quote(op.name)} ON ${this.table(op)}`;
  }

  protected override dropConstraint(op: Extract<MigrationOp, { kind: "drop-constraint" }>): string {
    const prefix = `ALTER TABLE ${this.table(op)}`;
    switch (op.type) {
      case "foreignkey":
        return `${prefix} DROP FOREIGN KEY ${this.quote(op.name)}`;
      case "unique":
        return `${prefix} DROP INDEX ${this.quote(op.name)}`;
      case "check":
        return `${prefix} DROP CHECK ${this.quote(op.name)}`;
      case "primary":
        return `${prefix} DROP PRIMARY KEY`;
      case undefined:
        throw new ArgumentError(`MySQL drops each kind of constraint differently: pass type ("foreignkey", "unique", "check" or "primary") to dropConstraint("${op.name}")`);
    }
  }
}
