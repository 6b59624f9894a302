import { BaseDdlCompiler } from "../../core/compiler/base-ddl-compiler.ts";
import type { Dialect } from "../../core/dialects/dialect.ts";
import { ColumnSpec, type TableColumn } from "../../core/schema/column.ts";
import { ForeignKeyConstraint, type Index, UniqueConstraint } from "../../core/schema/constraints.ts";
import type { Table } from "../../core/schema/table.ts";
import type { MigrationOp } from "../operations/migration-op.ts";

type Column = TableColumn<unknown>;

/** A table's columns, by name. */
export function columnsOf(table: Table): Column[] {
  return Object.values(table.c as Readonly<Record<string, Column>>).filter((c) => !c.system);
}

/** A column as a declaration keyed by its database name: type, nullability, server default, key. */
export function columnSpecOf(table: Table, column: Column): ColumnSpec<unknown> {
  const autoincrement = table.autoincrementColumn === column;
  return new ColumnSpec(
    column.type,
    {
      ...(column.primaryKey ? { primaryKey: true } : {}),
      nullable: column.nullable,
      ...(column.serverDefault === undefined ? {} : { serverDefault: column.serverDefault }),
      ...(column.primaryKey && !autoincrement && ["integer", "bigint", "smallint"].includes(column.type.kind) && table.primaryKey.length === 1
        ? { autoincrement: false }
        : {}),
    },
    [],
  );
}

/** The name the DDL gives a foreign key (its own, or `fk_<table>_<columns>_<referent>`). */
export function foreignKeyNameOf(dialect: Dialect, table: Table, fk: ForeignKeyConstraint): string | undefined {
  if (fk.name !== undefined) return fk.name;
  return dialect.ddlCompiler instanceof BaseDdlCompiler ? dialect.ddlCompiler.foreignKeyName(table, fk) : undefined;
}

/** A foreign key over column names, with the referent's column names, named as the DDL names it. */
export function normalizedForeignKey(dialect: Dialect, table: Table, fk: ForeignKeyConstraint): ForeignKeyConstraint {
  const referent = table.metadata.referencedTable(fk);
  const name = foreignKeyNameOf(dialect, table, fk);
  return new ForeignKeyConstraint(
    fk.columns.map((k) => table.column(k)?.name ?? k),
    fk.targets.map((t) => {
      const column = t.slice(t.lastIndexOf(".") + 1);
      return `${referent.fullName}.${referent.column(column)?.name ?? column}`;
    }),
    {
      ...(name === undefined ? {} : { name }),
      ...(fk.ondelete === undefined ? {} : { ondelete: fk.ondelete }),
      ...(fk.onupdate === undefined ? {} : { onupdate: fk.onupdate }),
    },
  );
}

/**
 * The unique constraints CREATE TABLE declares, over column names: a single column marked both
 * `unique` and `index` is a unique index instead, as in the DDL.
 */
export function uniquesOf(table: Table): UniqueConstraint[] {
  const uniqueIndexes = table.indexes.filter((i) => i.unique).map((i) => i.columns.join("\u0000"));
  return table.uniqueConstraints
    .filter((u) => u.name !== undefined || u.columns.length !== 1 || !uniqueIndexes.includes(u.columns.join("\u0000")))
    .map((u) => new UniqueConstraint(u.columns.map((k) => table.column(k)?.name ?? k), u.name === undefined ? {} : { name: u.name }));
}

/** An index over column names. */
export function indexColumns(table: Table, index: Index): string[] {
  return index.columns.map((k) => table.column(k)?.name ?? k);
}

/** `createTable` for a table as it is (from the models, or reflected for a downgrade), then its indexes. */
export function createTableOps(dialect: Dialect, table: Table): MigrationOp[] {
  const columns = Object.fromEntries(columnsOf(table).map((c) => [c.name, columnSpecOf(table, c)]));
  return [
    {
      kind: "create-table",
      table: table.name,
      schema: table.schema,
      columns,
      constraints: [...table.foreignKeys.map((fk) => normalizedForeignKey(dialect, table, fk)), ...uniquesOf(table), ...table.checkConstraints],
    },
    ...table.indexes.map(
      (index): MigrationOp => {
        const columns = indexColumns(table, index);
        return { kind: "create-index", table: table.name, schema: table.schema, name: indexName(table, index, columns), columns, unique: index.unique };
      },
    ),
  ];
}

/** An index's name: the MetaData's convention gave it one, unless the convention has no `ix` (then as SQLAlchemy's default would). */
export function indexName(table: Table, index: Index, columns: readonly string[]): string {
  return index.name ?? `ix_${table.name}_${columns.join("_")}`;
}
