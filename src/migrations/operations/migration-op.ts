import type { ColumnSpec, ServerDefault } from "../../core/schema/column.ts";
import type { TableConstraint } from "../../core/schema/constraints.ts";
import type { ReferentialAction } from "../../core/schema/foreign-key.ts";
import type { ColumnSpecs, Table } from "../../core/schema/table.ts";
import type { SqlType } from "../../core/types/sql-type.ts";

/** Where a table lives: its name, and its schema when not the default one. */
export interface TableRef {
  readonly table: string;
  readonly schema?: string | undefined;
}

/** What `dropConstraint` needs to know on MySQL, where each kind is dropped differently. */
export type ConstraintType = "foreignkey" | "unique" | "check" | "primary";

/** `alterColumn`'s changes, and (for MySQL's MODIFY, which restates the column) what stays. */
export interface AlterColumnChanges {
  readonly type?: SqlType<unknown>;
  readonly nullable?: boolean;
  /** A new server default, or `null` to drop it. */
  readonly serverDefault?: ServerDefault | null;
  readonly newColumnName?: string;
  readonly existingType?: SqlType<unknown>;
  readonly existingNullable?: boolean;
  readonly existingServerDefault?: ServerDefault | null;
  /** PostgreSQL's `USING` expression for a type change (`"amount::numeric"`). */
  readonly postgresqlUsing?: string;
}

/**
 * One schema change, as plain data (Alembic's `ops.py` objects): what `op.*` records, what
 * autogenerate produces and renders into a revision file, and what each dialect turns into DDL.
 */
export type MigrationOp =
  | (TableRef & { readonly kind: "create-table"; readonly columns: ColumnSpecs; readonly constraints: readonly TableConstraint[] })
  | (TableRef & { readonly kind: "drop-table" })
  | (TableRef & { readonly kind: "rename-table"; readonly newName: string })
  | (TableRef & { readonly kind: "add-column"; readonly column: string; readonly spec: ColumnSpec<unknown> })
  | (TableRef & { readonly kind: "drop-column"; readonly column: string })
  | (TableRef & { readonly kind: "alter-column"; readonly column: string; readonly changes: AlterColumnChanges })
  | (TableRef & { readonly kind: "create-index"; readonly name: string; readonly columns: readonly string[]; readonly unique: boolean })
  | (TableRef & { readonly kind: "drop-index"; readonly name: string })
  | (TableRef & {
      readonly kind: "create-foreign-key";
      readonly name: string | undefined;
      readonly columns: readonly string[];
      readonly referent: string;
      readonly referentSchema?: string | undefined;
      readonly referentColumns: readonly string[];
      readonly ondelete?: ReferentialAction | undefined;
      readonly onupdate?: ReferentialAction | undefined;
    })
  | (TableRef & { readonly kind: "create-unique-constraint"; readonly name: string | undefined; readonly columns: readonly string[] })
  | (TableRef & { readonly kind: "drop-constraint"; readonly name: string; readonly type: ConstraintType | undefined })
  | { readonly kind: "execute"; readonly sql: string }
  | { readonly kind: "bulk-insert"; readonly target: Table; readonly rows: readonly Readonly<Record<string, unknown>>[] };

/** The ops that change one existing table (what a batch collects). */
export type TableAlterOp = Extract<
  MigrationOp,
  { kind: "add-column" | "drop-column" | "alter-column" | "create-index" | "drop-index" | "create-foreign-key" | "create-unique-constraint" | "drop-constraint" }
>;

const TABLE_ALTER_KINDS: ReadonlySet<string> = new Set([
  "add-column", "drop-column", "alter-column", "create-index", "drop-index", "create-foreign-key", "create-unique-constraint", "drop-constraint",
]);

export function isTableAlterOp(op: MigrationOp): op is TableAlterOp {
  return TABLE_ALTER_KINDS.has(op.kind);
}
