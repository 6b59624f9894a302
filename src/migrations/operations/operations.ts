import { ArgumentError, NotSupportedFeatureError } from "../../shared/errors.ts";
import type { ColumnSpec } from "../../core/schema/column.ts";
import type { TableConstraint } from "../../core/schema/constraints.ts";
import type { ReferentialAction } from "../../core/schema/foreign-key.ts";
import type { ColumnSpecs, Table } from "../../core/schema/table.ts";
import { BatchOperations, type BatchOptions } from "./batch-operations.ts";
import { copyAndMove } from "./copy-and-move.ts";
import type { MigrationDdl } from "./migration-ddl.ts";
import { migrationDdlFor } from "./migration-ddl-for.ts";
import { isTableAlterOp, type AlterColumnChanges, type ConstraintType, type MigrationOp, type TableAlterOp } from "./migration-op.ts";
import type { OperationsContext } from "./operations-context.ts";
import { buildTable } from "./table-builder.ts";

type SchemaOption = { readonly schema?: string };

/**
 * The `op` a revision's `upgrade(op)` and `downgrade(op)` receive (Alembic's `Operations`). Each
 * method renders the change for the database's dialect and runs it (or prints it with `--sql`).
 * On SQLite, changes ALTER TABLE cannot make rebuild the table automatically (copy-and-move); use
 * `batchAlterTable` to group several into one rebuild.
 *
 * ```ts
 * await op.addColumn("users", "email", Column(StringType(100)));
 * // ALTER TABLE "users" ADD COLUMN "email" VARCHAR(100)
 * await op.alterColumn("users", "email", { nullable: false, existingType: StringType(100) });
 * // PostgreSQL: ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL
 * // MySQL:      ALTER TABLE `users` MODIFY `email` VARCHAR(100) NOT NULL
 * // SQLite:     CREATE TABLE "_tsa_tmp_users" (…); INSERT … SELECT …; DROP TABLE "users"; ALTER TABLE … RENAME TO "users"
 * ```
 */
export class Operations {
  readonly #context: OperationsContext;
  readonly #ddl: MigrationDdl;

  constructor(context: OperationsContext) {
    this.#context = context;
    this.#ddl = migrationDdlFor(context.dialect);
  }

  /** The dialect the migration runs on (`op.dialect.name === "postgresql"`), for dialect-specific steps. */
  get dialect(): OperationsContext["dialect"] {
    return this.#context.dialect;
  }

  /** Whether the SQL is printed rather than run (`--sql`). */
  get offline(): boolean {
    return this.#context.offline;
  }

  /**
   * `CREATE TABLE` with its constraints and indexes, declared as for `new Table(…)`; returns the
   * `Table`, handy for `bulkInsert`.
   *
   * ```ts
   * const users = await op.createTable("users", {
   *   id: Column(Integer, { primaryKey: true }),
   *   name: Column(StringType(50), { nullable: false }),
   * });
   * ```
   */
  async createTable(name: string, columns: ColumnSpecs, ...constraints: readonly (TableConstraint | { schema: string })[]): Promise<Table> {
    const schema = constraints.find((c): c is { schema: string } => !("kind" in c))?.schema;
    const tableConstraints = constraints.filter((c): c is TableConstraint => "kind" in c);
    await this.invoke({ kind: "create-table", table: name, schema, columns, constraints: tableConstraints });
    return buildTable(name, schema, columns, tableConstraints);
  }

  /** `DROP TABLE name`. */
  async dropTable(name: string, options: SchemaOption = {}): Promise<void> {
    await this.invoke({ kind: "drop-table", table: name, schema: options.schema });
  }

  /** `ALTER TABLE old RENAME TO new`. */
  async renameTable(oldName: string, newName: string, options: SchemaOption = {}): Promise<void> {
    await this.invoke({ kind: "rename-table", table: oldName, schema: options.schema, newName });
  }

  /** `ALTER TABLE t ADD COLUMN …` (its foreign key as a separate `ADD CONSTRAINT`). */
  async addColumn(table: string, column: string, spec: ColumnSpec<unknown>, options: SchemaOption = {}): Promise<void> {
    await this.invoke({ kind: "add-column", table, schema: options.schema, column: spec.options.name ?? column, spec });
  }

  /** `ALTER TABLE t DROP COLUMN c`. */
  async dropColumn(table: string, column: string, options: SchemaOption = {}): Promise<void> {
    await this.invoke({ kind: "drop-column", table, schema: options.schema, column });
  }

  /**
   * Changes a column's type, nullability, server default (`null` drops it) or name. MySQL restates
   * the column, so give `existingType` (and `existingNullable`, `existingServerDefault`) there;
   * autogenerate always writes them.
   */
  async alterColumn(table: string, column: string, changes: AlterColumnChanges & SchemaOption): Promise<void> {
    const { schema, ...rest } = changes;
    await this.invoke({ kind: "alter-column", table, schema, column, changes: rest });
  }

  /** `CREATE [UNIQUE] INDEX name ON table (columns)`. */
  async createIndex(name: string, table: string, columns: readonly string[], options: SchemaOption & { unique?: boolean } = {}): Promise<void> {
    await this.invoke({ kind: "create-index", name, table, schema: options.schema, columns, unique: options.unique ?? false });
  }

  /** `DROP INDEX name` (MySQL: `… ON table`, so give the table there). */
  async dropIndex(name: string, table?: string, options: SchemaOption = {}): Promise<void> {
    if (table === undefined && this.dialect.name === "mysql") {
      throw new ArgumentError(`MySQL drops an index from its table: dropIndex("${name}", "<table>")`);
    }
    await this.invoke({ kind: "drop-index", name, table: table ?? "", schema: options.schema });
  }

  /** `ALTER TABLE source ADD CONSTRAINT name FOREIGN KEY (…) REFERENCES referent (…)`. */
  async createForeignKey(
    name: string | null,
    source: string,
    referent: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options: { sourceSchema?: string; referentSchema?: string; ondelete?: ReferentialAction; onupdate?: ReferentialAction } = {},
  ): Promise<void> {
    await this.invoke({
      kind: "create-foreign-key",
      name: name ?? undefined,
      table: source,
      schema: options.sourceSchema,
      columns: localColumns,
      referent,
      referentSchema: options.referentSchema,
      referentColumns: remoteColumns,
      ondelete: options.ondelete,
      onupdate: options.onupdate,
    });
  }

  /** `ALTER TABLE t ADD CONSTRAINT name UNIQUE (…)`. */
  async createUniqueConstraint(name: string | null, table: string, columns: readonly string[], options: SchemaOption = {}): Promise<void> {
    await this.invoke({ kind: "create-unique-constraint", name: name ?? undefined, table, schema: options.schema, columns });
  }

  /** `ALTER TABLE t DROP CONSTRAINT name`; MySQL needs `type` ("foreignkey", "unique", "check", "primary"). */
  async dropConstraint(name: string, table: string, options: SchemaOption & { type?: ConstraintType } = {}): Promise<void> {
    await this.invoke({ kind: "drop-constraint", name, table, schema: options.schema, type: options.type });
  }

  /** Runs SQL text as is (`op.execute("UPDATE users SET active = true")`). */
  async execute(sql: string): Promise<void> {
    await this.invoke({ kind: "execute", sql });
  }

  /**
   * Inserts rows into a table (the one `createTable` returned, or any `Table`): bound values
   * online, literal values with `--sql`.
   */
  async bulkInsert(table: Table, rows: readonly Readonly<Record<string, unknown>>[]): Promise<void> {
    await this.invoke({ kind: "bulk-insert", target: table, rows });
  }

  /**
   * Groups changes to one table (Alembic's `batch_alter_table`). Where the database cannot make
   * one of them with ALTER TABLE (SQLite), the table is rebuilt once with all of them
   * (copy-and-move); elsewhere they run one by one. `recreate: "always"` rebuilds anyway,
   * `"never"` refuses to. Offline, a rebuild needs `copyFrom`: the table as it is.
   *
   * ```ts
   * await op.batchAlterTable("users", (batch) => {
   *   batch.alterColumn("email", { type: StringType(200), nullable: false });
   *   batch.dropColumn("legacy");
   * });
   * ```
   */
  async batchAlterTable(table: string, build: (batch: BatchOperations) => void | Promise<void>, options: BatchOptions = {}): Promise<void> {
    const batch = new BatchOperations(table, options.schema);
    await build(batch);
    await this.#runBatch(table, options, batch.ops);
  }

  /** Runs one op (what every method above does). */
  async invoke(op: MigrationOp): Promise<void> {
    switch (op.kind) {
      case "execute":
        await this.#context.run(op.sql);
        return;
      case "bulk-insert":
        await this.#context.bulkInsert(op.target, op.rows);
        return;
      default:
        if (isTableAlterOp(op) && this.#ddl.needsRecreate(op)) {
          await this.#runBatch(op.table, { schema: op.schema }, [op]);
          return;
        }
        for (const sql of this.#ddl.render(op)) await this.#context.run(sql);
    }
  }

  async #runBatch(table: string, options: BatchOptions, ops: readonly TableAlterOp[]): Promise<void> {
    const recreate = options.recreate ?? "auto";
    const rebuild = recreate === "always" || (recreate === "auto" && ops.some((op) => this.#ddl.needsRecreate(op)));
    if (!rebuild) {
      for (const op of ops) {
        if (this.#ddl.needsRecreate(op)) {
          throw new NotSupportedFeatureError(`${op.kind} on ${table} needs the table rebuilt on ${this.dialect.name}, and recreate is "never"`);
        }
        for (const sql of this.#ddl.render(op)) await this.#context.run(sql);
      }
      return;
    }
    let current = options.copyFrom;
    if (current === undefined) {
      if (this.#context.offline) {
        throw new NotSupportedFeatureError(
          `Rebuilding ${table} offline (--sql) cannot read the table: pass batchAlterTable("${table}", …, { copyFrom: <Table> })`,
        );
      }
      current = await this.#context.reflectTable(table, options.schema);
    }
    for (const sql of copyAndMove(this.dialect, current, ops)) await this.#context.run(sql);
  }
}
