import { StaleDataError } from "../../shared/errors.ts";
import type { AnyConnection } from "../../core/engine/any-connection.ts";
import type { Table } from "../../core/schema/table.ts";
import { and } from "../../core/sql/elements.ts";
import type { Expression } from "../../core/sql/coercions.ts";
import { delete_ } from "../../core/sql/delete.ts";
import { insert } from "../../core/sql/insert.ts";
import { update } from "../../core/sql/update.ts";
import type { ColumnProperty } from "../mapper/column-property.ts";
import type { Inheritance } from "../mapper/inheritance.ts";
import type { Mapper } from "../mapper/mapper.ts";
import { type InstanceState, UNLOADED } from "../state/instance-state.ts";
import { identityOf } from "./row-identity.ts";
import { ROW_GONE, expectedVersion } from "./row-version.ts";
import { type Io, io } from "../../shared/io.ts";

/**
 * Whether rows of `mapper` span several tables (a joined-table subclass): its INSERT, UPDATE and
 * DELETE are one statement per table, written here; every other mapper keeps the batched path.
 */
export function spansTables(mapper: Mapper): boolean {
  return mapper.inheritance !== undefined && mapper.inheritance.tables.length > 1;
}

function tablesOf(mapper: Mapper): { inheritance: Inheritance; tables: readonly Table[] } {
  const inheritance = mapper.inheritance as Inheritance;
  return { inheritance, tables: inheritance.tables };
}

/**
 * INSERTs a new object of a joined-table subclass: the base table's row first (its generated key
 * read back, by RETURNING where the database has it), then each subclass table's row with the
 * key copied into it (SQLAlchemy's `_emit_insert_statements` per table of the mapper).
 */
export function* insertJoinedRow(state: InstanceState, conn: AnyConnection): Io<void> {
  const mapper = state.mapper as Mapper;
  const { inheritance, tables } = tablesOf(mapper);
  for (const [index, table] of tables.entries()) {
    const columns = inheritance.tableColumns.get(table) ?? [];
    const row: Record<string, unknown> = {};
    for (const c of columns) {
      let value = state.valueAt(c.slot);
      if (value === UNLOADED) {
        if (c.slot === mapper.versionColumn?.slot && mapper.versionGenerator !== false) value = mapper.versionGenerator(null);
        else if (c.column.hasClientDefault) value = c.column.defaultValue();
        else continue;
        state.storeAt(c.slot, value);
      }
      if (value === null && c.column === table.autoincrementColumn) continue;
      row[c.key] = value;
    }
    const generated = index === 0 ? mapper.primaryKey.filter((c) => row[c.key] === undefined) : [];
    const returning = generated.length > 0 && conn.dialect.capabilities.insertReturning;
    let statement = insert(table).values(row as never);
    if (returning) statement = statement.returning(...generated.map((c) => c.column)) as never;
    const result = yield* conn.executeIo(statement);
    if (returning) {
      const back = result.first() as Record<string, unknown> | null;
      for (const c of generated) state.storeAt(c.slot, back?.[c.key] ?? null);
    } else if (generated.length === 1 && result.lastInsertId !== undefined) {
      const c = generated[0] as ColumnProperty;
      state.storeAt(c.slot, c.column.type.kind === "bigint" ? BigInt(result.lastInsertId) : Number(result.lastInsertId));
    }
  }
  for (const c of mapper.columns) if (state.valueAt(c.slot) === UNLOADED && !c.column.hasServerDefault) state.storeAt(c.slot, null);
}

/** UPDATEs the tables of a joined-table subclass's row that hold one of `columns` (the changed ones), each by its key. */
export function* updateJoinedRow(state: InstanceState, columns: readonly ColumnProperty[], conn: AnyConnection): Io<void> {
  const mapper = state.mapper as Mapper;
  const { inheritance, tables } = tablesOf(mapper);
  const identity = identityOf(mapper, state);
  // A versioned hierarchy: the base table's row takes the next version (and must still hold the
  // loaded one) whichever table changed, as SQLAlchemy does.
  const version = mapper.versionColumn;
  const expected = version === undefined ? undefined : yield* expectedVersion(state, version, conn);
  if (expected === ROW_GONE) throw new StaleDataError(`UPDATE statement on table '${(tables[0] as Table).name}' expected to update 1 row(s); 0 were matched (${mapper.describe(state)}).`);
  const bumped = version !== undefined && mapper.versionGenerator !== false && !columns.includes(version);
  if (bumped) state.storeAt(version.slot, (mapper.versionGenerator as (current: unknown) => unknown)(expected));
  for (const [index, table] of tables.entries()) {
    const own = new Set(inheritance.tableColumns.get(table) ?? []);
    const set = columns.filter((c) => own.has(c));
    if (index === 0 && bumped) set.push(version);
    if (set.length === 0) continue;
    const values = Object.fromEntries(set.map((c) => [c.key, state.valueAt(c.slot)]));
    const key = keyClause(inheritance, table, identity);
    const where = index === 0 && version !== undefined ? and(key, version.column.eq(expected as never)) : key;
    const result = yield* conn.executeIo(update(table).where(where).values(values as never));
    if (result.rowsAffected !== 1) {
      throw new StaleDataError(`UPDATE statement on table '${table.name}' expected to update 1 row(s); ${result.rowsAffected} were matched (${mapper.describe(state)}).`);
    }
  }
}

/** DELETEs a joined-table subclass's row from each of its tables, the subclass's first. */
export function* deleteJoinedRow(state: InstanceState, conn: AnyConnection): Io<void> {
  const mapper = state.mapper as Mapper;
  const { inheritance, tables } = tablesOf(mapper);
  const identity = identityOf(mapper, state);
  const version = mapper.versionColumn;
  const expected = version === undefined ? undefined : yield* expectedVersion(state, version, conn);
  for (const table of [...tables].reverse()) {
    const key = keyClause(inheritance, table, identity);
    const base = table === tables[0];
    const where = base && version !== undefined ? and(key, version.column.eq(expected as never)) : key;
    const result = yield* conn.executeIo(delete_(table).where(where));
    if (base && version !== undefined && result.rowsAffected !== 1) {
      throw new StaleDataError(`DELETE statement on table '${table.name}' expected to delete 1 row(s); ${result.rowsAffected} were matched (${mapper.describe(state)}).`);
    }
    if (result.rowsAffected === 0) {
      process.emitWarning(`DELETE statement on table '${table.name}' expected to delete 1 row(s); 0 were matched (${mapper.describe(state)}).`, {
        type: "StaleDataWarning",
        code: "TSALCHEMY_STALE_DELETE",
      });
    }
  }
}

/** `table.key = ? AND …` on the table's own key columns. */
function keyClause(inheritance: Inheritance, table: Table, identity: readonly unknown[]): Expression<boolean> {
  const keys = (inheritance.tableColumns.get(table) ?? []).filter((c) => c.column.primaryKey);
  return and(...keys.map((c, i) => c.column.eq(identity[i] as never)));
}
