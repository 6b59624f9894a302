import { Column, type ColumnSpec } from "../schema/column.ts";
import { Computed } from "../schema/computed.ts";
import { Identity } from "../schema/identity.ts";
import { CheckConstraint, ForeignKeyConstraint, Index, PrimaryKeyConstraint, type TableConstraint, UniqueConstraint } from "../schema/constraints.ts";
import type { MetaData } from "../schema/metadata.ts";
import { Table } from "../schema/table.ts";
import { literalColumn } from "../sql/elements.ts";
import type { ReflectedColumn, ReflectedIdentity, ReflectedIndex } from "./reflected.ts";
import type { ReflectedTable } from "./reflected-table.ts";

/** PostgreSQL's default for SERIAL: the sequence that CREATE TABLE makes again from SERIAL. */
const SEQUENCE_DEFAULT = /^nextval\(/i;

/**
 * A `Table` from what the inspector read, keyed by column name. It holds what `Table` can
 * express: types, nullability, server defaults (as SQL text), autoincrement of the primary key,
 * primary/foreign/unique/check constraints, indexes (over expressions and partial ones too, as
 * SQL text), table and column comments, computed columns (their SQL as text) and identity
 * columns with their options.
 */
export function tableFromReflection(metadata: MetaData, reflected: ReflectedTable): Table {
  const primaryKey = reflected.primaryKey.constrainedColumns;
  const columns: Record<string, ColumnSpec<unknown>> = {};
  for (const column of reflected.columns) columns[column.name] = columnSpec(column, primaryKey.includes(column.name));

  const qualify = (schema: string | null, table: string): string => {
    const s = schema ?? reflected.schema;
    return s === undefined ? table : `${s}.${table}`;
  };
  const foreignKeys = reflected.foreignKeys.map(
    (fk) =>
      new ForeignKeyConstraint(
        fk.constrainedColumns,
        fk.referredColumns.map((c) => `${qualify(fk.referredSchema, fk.referredTable)}.${c}`),
        { ...(fk.name === null ? {} : { name: fk.name }), ...fk.options },
      ),
  );
  const constraints: TableConstraint[] = [
    ...(primaryKey.length > 0
      ? [new PrimaryKeyConstraint(primaryKey, reflected.primaryKey.name === null ? {} : { name: reflected.primaryKey.name })]
      : []),
    ...foreignKeys,
    ...reflected.uniqueConstraints.map((u) => new UniqueConstraint(u.columnNames, u.name === null ? {} : { name: u.name })),
    ...reflected.checkConstraints.map(
      (c) => new CheckConstraint(literalColumn<boolean>(c.sqltext), c.name === null ? {} : { name: c.name }),
    ),
    ...reflected.indexes.filter((index) => isOwnIndex(index) && !backsForeignKey(index, foreignKeys)).map(indexOf),
  ];
  const options = {
    ...(reflected.schema === undefined ? {} : { schema: reflected.schema }),
    ...(reflected.comment.text === null ? {} : { comment: reflected.comment.text }),
  };
  return new Table(reflected.name, metadata, columns, ...constraints, options);
}

function columnSpec(column: ReflectedColumn, inPrimaryKey: boolean): ColumnSpec<unknown> {
  const sequenceDefault = column.autoincrement && column.default !== null && SEQUENCE_DEFAULT.test(column.default);
  return Column(column.type, {
    nullable: column.nullable,
    ...(column.comment === null ? {} : { comment: column.comment }),
    ...(column.computed === undefined ? {} : { computed: new Computed(column.computed.sqltext, { persisted: column.computed.persisted }) }),
    ...(column.identity === undefined ? {} : { identity: identityOf(column.identity) }),
    ...(column.default === null || sequenceDefault || column.computed !== undefined ? {} : { serverDefault: literalColumn(column.default) }),
    // Stated either way, so that the "auto" rule cannot make a plain integer key SERIAL.
    ...(inPrimaryKey ? { autoincrement: column.autoincrement } : {}),
  });
}

/**
 * An `Identity` with the start, increment and cycle the catalog reports; the bounds and cache are
 * left to their defaults (the catalog always reports them, and a BIGINT's bound is past what a
 * JavaScript number holds exactly).
 */
function identityOf(identity: ReflectedIdentity): Identity {
  return new Identity({
    always: identity.always,
    start: Number(identity.start),
    increment: Number(identity.increment),
    ...(identity.cycle ? { cycle: true } : {}),
  });
}

/** Not the index a unique constraint already is. */
function isOwnIndex(index: ReflectedIndex): boolean {
  return index.duplicatesConstraint === undefined;
}

/** An `Index` with expression parts and a partial index's predicate as SQL text. */
function indexOf(index: ReflectedIndex): Index {
  const elements = index.columnNames.map((name, i) => name ?? literalColumn(index.expressions?.[i] ?? ""));
  const { postgresqlWhere, sqliteWhere } = index.dialectOptions;
  return new Index(index.name, elements, {
    unique: index.unique,
    ...(postgresqlWhere === undefined ? {} : { postgresqlWhere: literalColumn<boolean>(postgresqlWhere) }),
    ...(sqliteWhere === undefined ? {} : { sqliteWhere: literalColumn<boolean>(sqliteWhere) }),
  });
}

/** MySQL makes an index for each foreign key, named after it, which CREATE TABLE makes again. */
function backsForeignKey(index: ReflectedIndex, foreignKeys: readonly ForeignKeyConstraint[]): boolean {
  return foreignKeys.some((fk) => fk.name === index.name);
}
