import { BaseDdlCompiler, type ColumnTypeNames, type NamedType, shortenName } from "../../compiler/base-ddl-compiler.ts";
import { ArgumentError } from "../../../shared/errors.ts";
import type { TableColumn } from "../../schema/column.ts";
import { Computed } from "../../schema/computed.ts";
import type { Index } from "../../schema/constraints.ts";
import type { Expression } from "../../sql/coercions.ts";
import type { Table } from "../../schema/table.ts";
import type { SqlType } from "../../types/sql-type.ts";

const SERIAL: Readonly<Record<string, string>> = { integer: "SERIAL", bigint: "BIGSERIAL", smallint: "SMALLSERIAL" };

const SEQUENCE_EXISTS_SQL =
  "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " +
  "WHERE c.relkind = 'S' AND c.relname = $1 AND n.nspname = coalesce($2, current_schema())";

const TYPE_EXISTS_SQL =
  "SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace " +
  "WHERE t.typname = $1 AND n.nspname = coalesce($2, current_schema())";

/**
 * PostgreSQL's DDL: SERIAL for generated keys (as SQLAlchemy 2.0 does), and each Enum a named
 * `CREATE TYPE … AS ENUM`, created before its table and dropped after it. An Enum without a
 * `name` gets `<table>_<column>_enum`.
 */
export class PostgresqlDdlCompiler extends BaseDdlCompiler {
  protected readonly typeNames: ColumnTypeNames = {
    integer: () => "INTEGER",
    bigint: () => "BIGINT",
    smallint: () => "SMALLINT",
    string: (type, column) => this.varchar(type, column, false),
    text: () => "TEXT",
    boolean: () => "BOOLEAN",
    float: () => "DOUBLE PRECISION",
    numeric: (type, column) => this.numeric(type, column),
    date: () => "DATE",
    datetime: (type) => (type.options.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP"),
    time: () => "TIME",
    interval: () => "INTERVAL",
    json: () => "JSON",
    uuid: () => "UUID",
    binary: () => "BYTEA",
    enum: (type, column, table) => this.#qualifiedTypeName(table, this.#enumName(type, column, table)),
    array: (type, column, table) => {
      const item = type.options.item;
      if (item === undefined || item.kind === "array" || item.kind === "null") {
        throw new ArgumentError(`Column ${column}: ARRAY needs an item type that is not itself an ARRAY (use dimensions)`);
      }
      return `${this.typeNames[item.kind](item, column, table)}${"[]".repeat(type.options.dimensions ?? 1)}`;
    },
  };

  protected override columnType(table: Table, column: TableColumn<unknown>): string {
    if (this.isAutoincrement(table, column)) return SERIAL[column.type.kind] as string;
    return super.columnType(table, column);
  }

  /** `COMMENT ON TABLE … IS '…'` and `COMMENT ON COLUMN … IS '…'` after CREATE TABLE. */
  protected override commentStatements(table: Table): string[] {
    const target = this.tableName(table);
    return [
      ...(table.comment === undefined ? [] : [`COMMENT ON TABLE ${target} IS ${this.literal(table.comment)}`]),
      ...Object.values(table.c as Readonly<Record<string, TableColumn<unknown>>>)
        .filter((c) => c.comment !== undefined && !c.system)
        .map((c) => `COMMENT ON COLUMN ${target}.${this.compiler.quote(c.name)} IS ${this.literal(c.comment)}`),
    ];
  }

  /** A partial index: `postgresqlWhere`. */
  protected override indexWhere(index: Index): Expression<boolean> | undefined {
    return index.postgresqlWhere;
  }

  /** ` USING gin` for `postgresqlUsing: "gin"`. */
  protected override indexUsing(index: Index): string {
    const method = index.postgresqlUsing;
    if (method === undefined) return "";
    if (!/^[a-z_][a-z0-9_]*$/i.test(method)) throw new ArgumentError(`Index ${index.name}: ${JSON.stringify(method)} is not an index method name`);
    return ` USING ${method}`;
  }

  /** STORED unless `persisted: false` (VIRTUAL, PostgreSQL ≥ 18): PostgreSQL before 18 has only stored generated columns. */
  protected override computedClause(computed: Computed): string {
    return super.computedClause(computed.persisted === undefined ? new Computed(computed.sqltext, { persisted: true }) : computed);
  }

  protected override sequenceExistsQuery(name: string, schema: string | undefined): { sql: string; params: unknown[] } {
    return { sql: SEQUENCE_EXISTS_SQL, params: [name, schema ?? null] };
  }

  override namedTypes(table: Table): readonly NamedType[] {
    const types = new Map<string, NamedType>(super.namedTypes(table).map((t) => [t.key, t]));
    for (const column of Object.values(table.c as Readonly<Record<string, TableColumn<unknown>>>)) {
      if (column.type.kind !== "enum") continue;
      const name = this.#enumName(column.type, column, table);
      const qualified = this.#qualifiedTypeName(table, name);
      const key = `${table.schema ?? ""}.${name}`;
      if (types.has(key)) continue;
      const values = this.enumValues(column.type, column).map((v) => this.literal(v));
      types.set(key, {
        key,
        create: `CREATE TYPE ${qualified} AS ENUM (${values.join(", ")})`,
        drop: `DROP TYPE ${qualified}`,
        existsQuery: { sql: TYPE_EXISTS_SQL, params: [name, table.schema ?? null] },
      });
    }
    return [...types.values()];
  }

  #enumName(type: SqlType<unknown>, column: TableColumn<unknown>, table: Table): string {
    return type.options.name ?? shortenName(`${table.name}_${column.name}_enum`);
  }

  #qualifiedTypeName(table: Table, name: string): string {
    const q = this.compiler.quote.bind(this.compiler);
    return table.schema === undefined ? q(name) : `${q(table.schema)}.${q(name)}`;
  }
}
