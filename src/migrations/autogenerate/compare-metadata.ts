import type { Dialect } from "../../core/dialects/dialect.ts";
import type { ServerDefault, TableColumn } from "../../core/schema/column.ts";
import type { ForeignKeyConstraint, Index, UniqueConstraint } from "../../core/schema/constraints.ts";
import type { MetaData } from "../../core/schema/metadata.ts";
import type { Table } from "../../core/schema/table.ts";
import { serverDefaultSql, typeSql } from "../operations/column-ddl.ts";
import type { MigrationOp } from "../operations/migration-op.ts";
import { columnSpecOf, columnsOf, createTableOps, indexColumns, indexName, normalizedForeignKey, uniquesOf } from "./table-ops.ts";

/** One difference: the op that brings the database to the models, and the op that undoes it. */
export interface SchemaChange {
  readonly upgrade: MigrationOp;
  readonly downgrade: MigrationOp;
}

export interface CompareOptions {
  /** Compare server defaults too (Alembic's `compare_server_default`; off by default, as there). */
  readonly compareServerDefault?: boolean;
  /** Tables never reported (the version table). */
  readonly excludeTables?: readonly string[];
}

/**
 * What `revision --autogenerate` and `check` find (Alembic's `compare_metadata`): tables added and
 * removed; per table, columns added and removed, type / nullability (and optionally server
 * default) changes, indexes, unique constraints and foreign keys added and removed. Types are
 * compared as the dialect writes them, so `Boolean` and SQLite's `INTEGER` are the same. Pure:
 * `database` is the reflected schema.
 */
export function compareMetadata(dialect: Dialect, models: MetaData, database: MetaData, options: CompareOptions = {}): SchemaChange[] {
  const excluded = new Set(options.excludeTables ?? []);
  const changes: SchemaChange[] = [];
  const modelTables = models.sortedTables.filter((t) => !excluded.has(t.name));
  for (const model of modelTables) {
    const existing = database.tables.get(model.fullName);
    if (existing === undefined) {
      const [create, ...indexes] = createTableOps(dialect, model);
      changes.push({ upgrade: create!, downgrade: { kind: "drop-table", table: model.name, schema: model.schema } });
      for (const index of indexes) {
        if (index.kind !== "create-index") continue;
        changes.push({ upgrade: index, downgrade: { kind: "drop-index", table: index.table, schema: index.schema, name: index.name } });
      }
    } else {
      changes.push(...compareTable(dialect, model, existing, options));
    }
  }
  const removed = [...database.sortedTables].reverse().filter((t) => !excluded.has(t.name) && !models.tables.has(t.fullName));
  for (const table of removed) {
    const [create, ...indexes] = createTableOps(dialect, table);
    for (const index of indexes) {
      if (index.kind !== "create-index") continue;
      changes.push({ upgrade: { kind: "drop-index", table: index.table, schema: index.schema, name: index.name }, downgrade: index });
    }
    changes.push({ upgrade: { kind: "drop-table", table: table.name, schema: table.schema }, downgrade: create! });
  }
  return changes;
}

function compareTable(dialect: Dialect, model: Table, existing: Table, options: CompareOptions): SchemaChange[] {
  const ref = { table: model.name, schema: model.schema };
  const drops: SchemaChange[] = [];
  const columnChanges: SchemaChange[] = [];
  const creates: SchemaChange[] = [];

  // Foreign keys, by what they link (names differ between databases).
  const modelFks = model.foreignKeys.map((fk) => normalizedForeignKey(dialect, model, fk));
  const dbFks = existing.foreignKeys.map((fk) => normalizedForeignKey(dialect, existing, fk));
  const fkSignature = (fk: ForeignKeyConstraint): string => `${fk.columns.join(",")}->${fk.targets.join(",")}`;
  for (const fk of dbFks) {
    if (modelFks.some((m) => fkSignature(m) === fkSignature(fk)) || fk.name === undefined) continue;
    drops.push({ upgrade: { kind: "drop-constraint", ...ref, name: fk.name, type: "foreignkey" }, downgrade: createForeignKeyOp(ref, fk) });
  }
  for (const fk of modelFks) {
    if (dbFks.some((d) => fkSignature(d) === fkSignature(fk))) continue;
    // An unnamed foreign key gets a name here, so that the downgrade can drop it (the database
    // would name it its own way: users_team_id_fkey, users_ibfk_1).
    const name = fk.name ?? `fk_${model.name}_${fk.columns.join("_")}_${referredTable(fk)}`;
    creates.push({ upgrade: createForeignKeyOp(ref, fk, name), downgrade: { kind: "drop-constraint", ...ref, name, type: "foreignkey" } });
  }

  // Indexes by name; a unique index and a unique constraint are the same thing on MySQL.
  const indexOf = (table: Table, i: Index) => {
    const columns = indexColumns(table, i);
    return { name: indexName(table, i, columns), columns, unique: i.unique };
  };
  const dbIndexes = existing.indexes.map((i) => indexOf(existing, i));
  const modelIndexes = model.indexes.map((i) => indexOf(model, i));
  const dbUniques = uniquesOf(existing);
  const modelUniques = uniquesOf(model);
  const same = (a: readonly string[], b: readonly string[]): boolean => a.join("\u0000") === b.join("\u0000");
  // MySQL/MariaDB create an index for each foreign key without one, and keep it when the key is
  // dropped: an index of exactly a foreign key's columns that the models do not name is that one
  // (as Alembic's MySQL implementation leaves such indexes out of the comparison).
  const backsForeignKey = (index: { columns: readonly string[] }): boolean =>
    dialect.name === "mysql" && [...dbFks, ...modelFks].some((fk) => same(fk.columns, index.columns));
  for (const index of dbIndexes) {
    const match = modelIndexes.find((m) => m.name === index.name);
    if (match && same(match.columns, index.columns) && match.unique === index.unique) continue;
    if (!match && modelUniques.some((u) => u.name === index.name)) continue;
    if (!match && !index.unique && backsForeignKey(index)) continue;
    drops.push({
      upgrade: { kind: "drop-index", ...ref, name: index.name },
      downgrade: { kind: "create-index", ...ref, name: index.name, columns: index.columns, unique: index.unique },
    });
  }
  for (const index of modelIndexes) {
    const match = dbIndexes.find((d) => d.name === index.name);
    if (match && same(match.columns, index.columns) && match.unique === index.unique) continue;
    if (!match && index.unique && dbUniques.some((u) => u.name === index.name && same(u.columns, index.columns))) continue;
    creates.push({
      upgrade: { kind: "create-index", ...ref, name: index.name, columns: index.columns, unique: index.unique },
      downgrade: { kind: "drop-index", ...ref, name: index.name },
    });
  }
  const uniqueMatches = (a: UniqueConstraint, b: UniqueConstraint): boolean =>
    same(a.columns, b.columns) && (a.name === undefined || b.name === undefined || a.name === b.name);
  for (const unique of dbUniques) {
    if (modelUniques.some((m) => uniqueMatches(m, unique))) continue;
    if (modelIndexes.some((m) => m.unique && m.name === unique.name)) continue;
    if (unique.name === undefined) continue;
    drops.push({
      upgrade: { kind: "drop-constraint", ...ref, name: unique.name, type: "unique" },
      downgrade: { kind: "create-unique-constraint", ...ref, name: unique.name, columns: unique.columns },
    });
  }
  for (const unique of modelUniques) {
    if (dbUniques.some((d) => uniqueMatches(unique, d))) continue;
    if (dbIndexes.some((d) => d.unique && same(d.columns, unique.columns))) continue;
    const name = unique.name ?? `uq_${model.name}_${unique.columns.join("_")}`;
    creates.push({
      upgrade: { kind: "create-unique-constraint", ...ref, name, columns: unique.columns },
      downgrade: { kind: "drop-constraint", ...ref, name, type: "unique" },
    });
  }

  // Columns.
  const dbColumns = columnsOf(existing);
  const modelColumns = columnsOf(model);
  for (const column of modelColumns) {
    const current = dbColumns.find((c) => c.name === column.name);
    if (current === undefined) {
      columnChanges.push({
        upgrade: { kind: "add-column", ...ref, column: column.name, spec: columnSpecOf(model, column) },
        downgrade: { kind: "drop-column", ...ref, column: column.name },
      });
      continue;
    }
    const alter = compareColumn(dialect, model, column, current, options);
    if (alter) columnChanges.push(alter);
  }
  for (const column of dbColumns) {
    if (modelColumns.some((c) => c.name === column.name)) continue;
    columnChanges.push({
      upgrade: { kind: "drop-column", ...ref, column: column.name },
      downgrade: { kind: "add-column", ...ref, column: column.name, spec: columnSpecOf(existing, column) },
    });
  }
  // Constraints go before the columns they name, and come back after them.
  const added = columnChanges.filter((c) => c.upgrade.kind === "add-column");
  const altered = columnChanges.filter((c) => c.upgrade.kind === "alter-column");
  const dropped = columnChanges.filter((c) => c.upgrade.kind === "drop-column");
  return [...drops, ...added, ...altered, ...dropped, ...creates];
}

function compareColumn(
  dialect: Dialect,
  model: Table,
  column: TableColumn<unknown>,
  current: TableColumn<unknown>,
  options: CompareOptions,
): SchemaChange | undefined {
  const ref = { table: model.name, schema: model.schema, column: column.name };
  const typeChanged = current.type.kind !== "null" && typeSql(dialect, model.name, model.schema, column.type) !== typeSql(dialect, model.name, model.schema, current.type);
  const nullableChanged = !column.primaryKey && column.nullable !== current.nullable;
  const defaultChanged =
    options.compareServerDefault === true && normalizedDefault(dialect, column.serverDefault) !== normalizedDefault(dialect, current.serverDefault);
  if (!typeChanged && !nullableChanged && !defaultChanged) return undefined;
  const existing = {
    existingType: current.type,
    existingNullable: current.nullable,
    ...(current.serverDefault === undefined ? {} : { existingServerDefault: current.serverDefault }),
  };
  const modelSide = {
    existingType: column.type,
    existingNullable: column.nullable,
    ...(column.serverDefault === undefined ? {} : { existingServerDefault: column.serverDefault }),
  };
  return {
    upgrade: {
      kind: "alter-column",
      ...ref,
      changes: {
        ...(typeChanged ? { type: column.type } : {}),
        ...(nullableChanged ? { nullable: column.nullable } : {}),
        ...(defaultChanged ? { serverDefault: column.serverDefault ?? null } : {}),
        ...existing,
      },
    },
    downgrade: {
      kind: "alter-column",
      ...ref,
      changes: {
        ...(typeChanged ? { type: current.type } : {}),
        ...(nullableChanged ? { nullable: current.nullable } : {}),
        ...(defaultChanged ? { serverDefault: current.serverDefault ?? null } : {}),
        ...modelSide,
      },
    },
  };
}

/** A default's SQL without what databases add when they store it: outer parentheses and `::type` casts. */
function normalizedDefault(dialect: Dialect, value: ServerDefault | undefined): string | undefined {
  if (value === undefined) return undefined;
  let sql = serverDefaultSql(dialect, value).trim();
  sql = sql.replace(/::[a-z_ ]+(\([^)]*\))?(\[\])?/gi, "");
  while (/^\(.*\)$/s.test(sql)) sql = sql.slice(1, -1).trim();
  return sql.toLowerCase();
}

/** The table a foreign key references, without its schema. */
function referredTable(fk: ForeignKeyConstraint): string {
  const target = fk.targets[0] as string;
  const referent = target.slice(0, target.lastIndexOf("."));
  return referent.slice(referent.lastIndexOf(".") + 1);
}

function createForeignKeyOp(ref: { table: string; schema: string | undefined }, fk: ForeignKeyConstraint, name: string | undefined = fk.name): MigrationOp {
  const target = fk.targets[0]!;
  const referent = target.slice(0, target.lastIndexOf("."));
  const dot = referent.lastIndexOf(".");
  return {
    kind: "create-foreign-key",
    ...ref,
    name,
    columns: fk.columns,
    referent: dot < 0 ? referent : referent.slice(dot + 1),
    referentSchema: dot < 0 ? undefined : referent.slice(0, dot),
    referentColumns: fk.targets.map((t) => t.slice(t.lastIndexOf(".") + 1)),
    ondelete: fk.ondelete,
    onupdate: fk.onupdate,
  };
}
