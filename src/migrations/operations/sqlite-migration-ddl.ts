import { NotSupportedFeatureError } from "../../shared/errors.ts";
import { MigrationDdl } from "./migration-ddl.ts";
import type { MigrationOp, TableAlterOp } from "./migration-op.ts";

/**
 * SQLite: ALTER TABLE can add a column, rename a column or table, and little else, so the other
 * changes rebuild the table (copy-and-move, `batchAlterTable`); adding a column with a foreign key
 * does too, since SQLite declares foreign keys only in CREATE TABLE.
 */
export class SqliteMigrationDdl extends MigrationDdl {
  override needsRecreate(op: TableAlterOp): boolean {
    switch (op.kind) {
      case "add-column":
        return op.spec.foreignKeys.length > 0 || op.spec.options.unique === true || op.spec.options.primaryKey === true;
      case "alter-column": {
        const { type, nullable, serverDefault } = op.changes;
        return type !== undefined || nullable !== undefined || serverDefault !== undefined;
      }
      case "create-index":
      case "drop-index":
        return false;
      case "drop-column":
      case "create-foreign-key":
      case "create-unique-constraint":
      case "drop-constraint":
        return true;
    }
  }

  protected override alterColumn(op: Extract<MigrationOp, { kind: "alter-column" }>): string[] {
    if (this.needsRecreate(op)) throw recreateOnly(op.kind);
    return super.alterColumn(op);
  }

  protected override dropConstraint(op: Extract<MigrationOp, { kind: "drop-constraint" }>): string {
    throw recreateOnly(op.kind);
  }
}

function recreateOnly(kind: string): NotSupportedFeatureError {
  return new NotSupportedFeatureError(`SQLite has no ALTER TABLE for ${kind}: the table is rebuilt instead (batchAlterTable)`);
}
