import { ArgumentError } from "../../shared/errors.ts";
import { BaseDdlCompiler } from "../../core/compiler/base-ddl-compiler.ts";
import type { Dialect } from "../../core/dialects/dialect.ts";
import type { ColumnSpec, ServerDefault } from "../../core/schema/column.ts";
import type { SqlType } from "../../core/types/sql-type.ts";
import { Column } from "../../core/schema/column.ts";
import { Integer } from "../../core/types/type-constructors.ts";
import { bareColumnSpec, buildTable } from "./table-builder.ts";

/**
 * A column's definition as the dialect's CREATE TABLE writes it (`"email" VARCHAR(100) NOT NULL`),
 * for ADD COLUMN and MySQL's MODIFY. Rendered by the dialect's own DDL compiler, from a one-column
 * table, so types, defaults and literals are exactly those of `createAll`; foreign keys,
 * uniqueness and the primary key are left out (they are separate statements).
 */
export function columnDefinition(dialect: Dialect, table: string, schema: string | undefined, name: string, spec: ColumnSpec<unknown>): string {
  const bare = bareColumnSpec(spec, { primaryKey: false, nullable: spec.options.nullable ?? !(spec.options.primaryKey ?? false), name });
  const built = buildTable(table, schema, { [name]: bare });
  const [sql] = dialect.ddlCompiler.createTable(built, new Set());
  const start = sql!.indexOf("(\n  ");
  const end = sql!.lastIndexOf("\n)");
  if (start < 0 || end < start) throw new ArgumentError(`internal: unexpected CREATE TABLE rendering ${JSON.stringify(sql)}`);
  return sql!.slice(start + 4, end);
}

/** A type as the dialect writes it in a column definition (`VARCHAR(100)`, `TIMESTAMP`). */
export function typeSql(dialect: Dialect, table: string, schema: string | undefined, type: SqlType<unknown>): string {
  const quoted = dialect.compiler.quote("c");
  const definition = columnDefinition(dialect, table, schema, "c", Column(type));
  // SQLite writes an Enum as VARCHAR(n) CHECK (…): the type is what precedes the constraint.
  return definition.slice(quoted.length + 1).replace(/ CHECK \(.*$/s, "");
}

/** A server default as the DDL writes it after DEFAULT (rendered the column definition's way). */
export function serverDefaultSql(dialect: Dialect, value: ServerDefault): string {
  const definition = columnDefinition(dialect, "t", undefined, "c", Column(Integer, { serverDefault: value }));
  const at = definition.indexOf(" DEFAULT ");
  if (at < 0) throw new ArgumentError(`internal: no DEFAULT in ${JSON.stringify(definition)}`);
  return definition.slice(at + " DEFAULT ".length);
}

/** A value as a literal of the dialect (offline `bulkInsert`, the version table in `--sql`). */
export function literalSql(dialect: Dialect, value: unknown): string {
  const ddl = dialect.ddlCompiler;
  if (!(ddl instanceof BaseDdlCompiler)) throw new ArgumentError(`The ${dialect.name} DDL compiler cannot render literals`);
  return ddl.literal(value);
}
