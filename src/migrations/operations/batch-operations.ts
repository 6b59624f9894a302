import type { ColumnSpec } from "../../core/schema/column.ts";
import type { ReferentialAction } from "../../core/schema/foreign-key.ts";
import type { Table } from "../../core/schema/table.ts";
import type { AlterColumnChanges, ConstraintType, TableAlterOp } from "./migration-op.ts";

/** `batchAlterTable`'s options (Alembic's `recreate`, `copy_from`). */
export interface BatchOptions {
  readonly schema?: string;
  /** `"auto"` (default): rebuild only when an op needs it; `"always"`; `"never"`. */
  readonly recreate?: "auto" | "always" | "never";
  /** The table as it is, for offline rebuilds (otherwise it is reflected). */
  readonly copyFrom?: Table;
}

/**
 * The `batch` of `op.batchAlterTable(table, (batch) => …)`: the same changes as `op`, for one
 * table, recorded and run together when the callback returns.
 */
export class BatchOperations {
  readonly table: string;
  readonly schema: string | undefined;
  readonly #ops: TableAlterOp[] = [];

  constructor(table: string, schema: string | undefined) {
    this.table = table;
    this.schema = schema;
  }

  /** The recorded ops, in order. */
  get ops(): readonly TableAlterOp[] {
    return this.#ops;
  }

  addColumn(column: string, spec: ColumnSpec<unknown>): this {
    return this.#add({ kind: "add-column", column: spec.options.name ?? column, spec });
  }

  dropColumn(column: string): this {
    return this.#add({ kind: "drop-column", column });
  }

  alterColumn(column: string, changes: AlterColumnChanges): this {
    return this.#add({ kind: "alter-column", column, changes });
  }

  createIndex(name: string, columns: readonly string[], options: { unique?: boolean } = {}): this {
    return this.#add({ kind: "create-index", name, columns, unique: options.unique ?? false });
  }

  dropIndex(name: string): this {
    return this.#add({ kind: "drop-index", name });
  }

  createForeignKey(
    name: string | null,
    referent: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options: { referentSchema?: string; ondelete?: ReferentialAction; onupdate?: ReferentialAction } = {},
  ): this {
    return this.#add({
      kind: "create-foreign-key",
      name: name ?? undefined,
      columns: localColumns,
      referent,
      referentSchema: options.referentSchema,
      referentColumns: remoteColumns,
      ondelete: options.ondelete,
      onupdate: options.onupdate,
    });
  }

  createUniqueConstraint(name: string | null, columns: readonly string[]): this {
    return this.#add({ kind: "create-unique-constraint", name: name ?? undefined, columns });
  }

  dropConstraint(name: string, options: { type?: ConstraintType } = {}): this {
    return this.#add({ kind: "drop-constraint", name, type: options.type });
  }

  #add(op: DistributiveOmit<TableAlterOp, "table" | "schema">): this {
    this.#ops.push({ ...op, table: this.table, schema: this.schema } as TableAlterOp);
    return this;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
