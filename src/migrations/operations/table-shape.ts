import { ArgumentError } from "../../shared/errors.ts";
import { ColumnSpec, type ServerDefault } from "../../core/schema/column.ts";
import { CheckConstraint, ForeignKeyConstraint, Index, PrimaryKeyConstraint, UniqueConstraint } from "../../core/schema/constraints.ts";
import type { Table } from "../../core/schema/table.ts";
import type { SqlType } from "../../core/types/sql-type.ts";
import type { TableAlterOp } from "./migration-op.ts";
import { buildTable } from "./table-builder.ts";

/** One column of a table being rebuilt, and the column of the old table it is copied from. */
export interface ColumnShape {
  readonly name: string;
  readonly type: SqlType<unknown>;
  readonly nullable: boolean;
  readonly serverDefault: ServerDefault | undefined;
  readonly autoincrement: boolean | "auto";
  /** The old table's column to copy rows from; undefined for a new column. */
  readonly copyFrom: string | undefined;
  /** The copy casts to the new type. */
  readonly typeChanged: boolean;
}

/**
 * A table's shape while a batch applies ops to it, everything keyed by column name (Alembic's
 * `ApplyBatchImpl`): columns, primary key, and constraints. A dropped or renamed column takes its
 * constraints and indexes with it, or renames them along.
 */
export class TableShape {
  readonly name: string;
  readonly schema: string | undefined;
  columns: ColumnShape[];
  primaryKey: string[];
  primaryKeyName: string | undefined;
  foreignKeys: ForeignKeyConstraint[];
  uniques: UniqueConstraint[];
  checks: CheckConstraint[];
  indexes: Index[];

  constructor(table: Table) {
    const nameOf = (key: string): string => table.column(key)?.name ?? key;
    this.name = table.name;
    this.schema = table.schema;
    const columns = Object.values(table.c as Readonly<Record<string, Table["primaryKey"][number]>>);
    this.columns = columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      serverDefault: c.serverDefault,
      autoincrement: table.autoincrementColumn === c ? true : c.primaryKey ? false : c.autoincrementOption,
      copyFrom: c.name,
      typeChanged: false,
    }));
    this.primaryKey = table.primaryKey.map((c) => c.name);
    this.primaryKeyName = undefined;
    this.foreignKeys = table.foreignKeys.map(
      (fk) =>
        new ForeignKeyConstraint(fk.columns.map(nameOf), fk.targets, {
          ...(fk.name === undefined ? {} : { name: fk.name }),
          ...(fk.ondelete === undefined ? {} : { ondelete: fk.ondelete }),
          ...(fk.onupdate === undefined ? {} : { onupdate: fk.onupdate }),
        }),
    );
    this.uniques = table.uniqueConstraints.map((u) => new UniqueConstraint(u.columns.map(nameOf), u.name === undefined ? {} : { name: u.name }));
    this.checks = [...table.checkConstraints];
    this.indexes = table.indexes.map((i) => withColumns(i, nameOf));
  }

  /** Applies one op; ops that need no rebuild (indexes) apply as well, so the rebuilt table has them. */
  apply(op: TableAlterOp): void {
    switch (op.kind) {
      case "add-column": {
        const o = op.spec.options;
        this.columns.push({
          name: op.column,
          type: op.spec.type,
          nullable: o.nullable ?? !(o.primaryKey ?? false),
          serverDefault: o.serverDefault,
          autoincrement: o.autoincrement ?? "auto",
          copyFrom: undefined,
          typeChanged: false,
        });
        if (o.primaryKey) this.primaryKey.push(op.column);
        if (o.unique) this.uniques.push(new UniqueConstraint([op.column]));
        for (const fk of op.spec.foreignKeys) this.foreignKeys.push(new ForeignKeyConstraint([op.column], [fk.target], fk.options));
        return;
      }
      case "drop-column": {
        this.#column(op.column);
        const keep = <C extends { columns: readonly string[] }>(c: C): boolean => !c.columns.includes(op.column);
        this.columns = this.columns.filter((c) => c.name !== op.column);
        this.primaryKey = this.primaryKey.filter((c) => c !== op.column);
        this.foreignKeys = this.foreignKeys.filter(keep);
        this.uniques = this.uniques.filter(keep);
        this.indexes = this.indexes.filter(keep);
        return;
      }
      case "alter-column": {
        const column = this.#column(op.column);
        const { type, nullable, serverDefault, newColumnName } = op.changes;
        const changed: ColumnShape = {
          ...column,
          ...(type === undefined ? {} : { type, typeChanged: true }),
          ...(nullable === undefined ? {} : { nullable }),
          ...(serverDefault === undefined ? {} : { serverDefault: serverDefault ?? undefined }),
          ...(newColumnName === undefined ? {} : { name: newColumnName }),
        };
        this.columns = this.columns.map((c) => (c === column ? changed : c));
        if (newColumnName !== undefined) this.#renameColumn(op.column, newColumnName);
        return;
      }
      case "create-index":
        this.indexes.push(new Index(op.name, op.columns, { unique: op.unique }));
        return;
      case "drop-index":
        this.indexes = this.indexes.filter((i) => i.name !== op.name);
        return;
      case "create-foreign-key": {
        const referent = op.referentSchema === undefined ? op.referent : `${op.referentSchema}.${op.referent}`;
        this.foreignKeys.push(
          new ForeignKeyConstraint(op.columns, op.referentColumns.map((c) => `${referent}.${c}`), {
            ...(op.name === undefined ? {} : { name: op.name }),
            ...(op.ondelete === undefined ? {} : { ondelete: op.ondelete }),
            ...(op.onupdate === undefined ? {} : { onupdate: op.onupdate }),
          }),
        );
        return;
      }
      case "create-unique-constraint":
        this.uniques.push(new UniqueConstraint(op.columns, op.name === undefined ? {} : { name: op.name }));
        return;
      case "drop-constraint": {
        const before = this.foreignKeys.length + this.uniques.length + this.checks.length;
        this.foreignKeys = this.foreignKeys.filter((c) => c.name !== op.name);
        this.uniques = this.uniques.filter((c) => c.name !== op.name);
        this.checks = this.checks.filter((c) => c.name !== op.name);
        if (op.type === "primary" || this.primaryKeyName === op.name) {
          this.primaryKey = [];
          return;
        }
        if (before === this.foreignKeys.length + this.uniques.length + this.checks.length) {
          throw new ArgumentError(`Table ${this.name} has no constraint named "${op.name}" to drop`);
        }
        return;
      }
    }
  }

  /** The `Table` of this shape under `name` (the temporary name of the copy). */
  toTable(name: string): Table {
    const specs = Object.fromEntries(
      this.columns.map((c) => [
        c.name,
        new ColumnSpec(
          c.type,
          {
            nullable: c.nullable,
            ...(c.serverDefault === undefined ? {} : { serverDefault: c.serverDefault }),
            ...(this.primaryKey.includes(c.name) ? { autoincrement: c.autoincrement } : {}),
          },
          [],
        ),
      ]),
    );
    const constraints = [
      ...(this.primaryKey.length > 0 ? [new PrimaryKeyConstraint(this.primaryKey)] : []),
      ...this.foreignKeys,
      ...this.uniques,
      ...this.checks,
      ...this.indexes,
    ];
    return buildTable(name, this.schema, specs, constraints);
  }

  #column(name: string): ColumnShape {
    const column = this.columns.find((c) => c.name === name);
    if (!column) throw new ArgumentError(`Table ${this.name} has no column "${name}"`);
    return column;
  }

  #renameColumn(from: string, to: string): void {
    const rename = (cols: readonly string[]): string[] => cols.map((c) => (c === from ? to : c));
    this.primaryKey = rename(this.primaryKey);
    this.foreignKeys = this.foreignKeys.map(
      (fk) => new ForeignKeyConstraint(rename(fk.columns), fk.targets, {
        ...(fk.name === undefined ? {} : { name: fk.name }),
        ...(fk.ondelete === undefined ? {} : { ondelete: fk.ondelete }),
        ...(fk.onupdate === undefined ? {} : { onupdate: fk.onupdate }),
      }),
    );
    this.uniques = this.uniques.map((u) => new UniqueConstraint(rename(u.columns), u.name === undefined ? {} : { name: u.name }));
    this.indexes = this.indexes.map((i) => withColumns(i, (c) => (c === from ? to : c)));
  }
}

/**
 * `index` with its column elements mapped by `column` — the whole index otherwise: expressions,
 * uniqueness, WHERE and USING stay (a column renamed inside an expression or WHERE is not followed).
 */
function withColumns(index: Index, column: (key: string) => string): Index {
  return new Index(index.name, index.elements.map((e) => (typeof e === "string" ? column(e) : e)), {
    unique: index.unique,
    postgresqlWhere: index.postgresqlWhere,
    sqliteWhere: index.sqliteWhere,
    postgresqlUsing: index.postgresqlUsing,
  });
}
