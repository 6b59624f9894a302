import type { TableColumn } from "../../core/schema/column.ts";
import type { MetaData } from "../../core/schema/metadata.ts";
import type { Table } from "../../core/schema/table.ts";
import type { SqlType } from "../../core/types/sql-type.ts";

/** A column as a diagram shows it. */
export interface DiagramColumn {
  readonly name: string;
  /** `integer`, `varchar(50)`, `numeric(10,2)`, `integer[]`. */
  readonly type: string;
  readonly primaryKey: boolean;
  readonly foreignKey: boolean;
  readonly unique: boolean;
  readonly nullable: boolean;
}

/** A table and its columns. */
export interface DiagramTable {
  readonly name: string;
  readonly columns: readonly DiagramColumn[];
}

/**
 * A foreign key as a link: many `child` rows reference at most one `parent` row; `optional` when
 * a child may reference none (a nullable key), `oneToOne` when at most one child may reference a
 * parent (the key columns are unique or the child's primary key).
 */
export interface DiagramLink {
  readonly parent: string;
  readonly child: string;
  /** The child's foreign key columns, and the parent's columns they reference, in order. */
  readonly columns: readonly string[];
  readonly parentColumns: readonly string[];
  /** The key is (part of) the child's primary key: the child's identity depends on the parent. */
  readonly identifying: boolean;
  readonly optional: boolean;
  readonly oneToOne: boolean;
}

export interface SchemaDiagram {
  readonly tables: readonly DiagramTable[];
  readonly links: readonly DiagramLink[];
}

/** The diagram of a `MetaData`'s tables (models' or reflected), in dependency order: what `erd` renders. */
export function schemaDiagram(metadata: MetaData): SchemaDiagram {
  const tables = metadata.sortedTables;
  return {
    tables: tables.map((table) => ({ name: table.fullName, columns: Object.values(table.c).map((c) => diagramColumn(table, c)) })),
    links: tables.flatMap((table) =>
      table.foreignKeys.map((fk): DiagramLink => {
        const columns = fk.columns.map((key) => table.column(key) as TableColumn<unknown>);
        const names = columns.map((c) => c.name);
        const pk = table.primaryKey.map((c) => c.name);
        const unique =
          (pk.length === names.length && pk.every((n) => names.includes(n))) ||
          table.uniqueConstraints.some((u) => u.columns.length === fk.columns.length && u.columns.every((k) => fk.columns.includes(k)));
        return {
          parent: metadata.referencedTable(fk).fullName,
          child: table.fullName,
          columns: names,
          parentColumns: fk.targets.map((target) => target.slice(target.lastIndexOf(".") + 1)),
          identifying: names.every((n) => pk.includes(n)),
          optional: columns.some((c) => c.nullable),
          oneToOne: unique,
        };
      }),
    ),
  };
}

function diagramColumn(table: Table, column: TableColumn<unknown>): DiagramColumn {
  return {
    name: column.name,
    type: typeLabel(column.type),
    primaryKey: column.primaryKey,
    foreignKey: table.foreignKeys.some((fk) => fk.columns.includes(column.key)),
    unique: column.unique,
    nullable: column.nullable,
  };
}

/** A type as the diagram labels it: its kind with its arguments, in no dialect's spelling. */
export function typeLabel(type: SqlType<unknown>): string {
  const o = type.options;
  switch (type.kind) {
    case "string":
      return o.length === undefined ? "varchar" : `varchar(${o.length})`;
    case "numeric":
      return o.precision === undefined ? "numeric" : `numeric(${[o.precision, o.scale].filter((v) => v !== undefined).join(",")})`;
    case "datetime":
      return o.timezone ? "timestamptz" : "timestamp";
    case "array":
      return `${o.item === undefined ? "unknown" : typeLabel(o.item)}${"[]".repeat(o.dimensions ?? 1)}`;
    case "null":
      return "unknown";
    default:
      return type.kind;
  }
}
