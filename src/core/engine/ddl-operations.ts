import { ArgumentError } from "../../shared/errors.ts";
import { type Io, type MaybePromise, io } from "../../shared/io.ts";
import { hasNamedTypeCatalog, type NamedType } from "../compiler/base-ddl-compiler.ts";
import type { Dialect } from "../dialects/dialect.ts";
import type { ForeignKeyConstraint } from "../schema/constraints.ts";
import { MetaData } from "../schema/metadata.ts";
import type { Table } from "../schema/table.ts";

/** What one DDL statement (or catalog query) returns that DDL reads. */
type DdlRows = { readonly rows: readonly (readonly unknown[])[] };

/**
 * What DDL needs from a connection: run one statement with positional parameters, get its rows.
 * A driver connection answers with a promise or the rows; a connection's own executor with an `Io`
 * of them (its statement path, composed by `yield*`).
 */
export interface DdlExecutor {
  execute(sql: string, params: unknown[]): MaybePromise<DdlRows> | Io<DdlRows>;
}

/** The parts of a dialect DDL uses. */
export type DdlDialect = Pick<Dialect, "capabilities" | "ddlCompiler" | "tableExistsQuery">;

export interface DdlOptions {
  /** Skip tables that already exist (create) or do not exist (drop). Default true, as in SQLAlchemy. */
  readonly checkfirst?: boolean;
}

/**
 * `metadata.createAll()`: creates the tables (and their indexes and named types) parents first,
 * then adds the foreign keys that close a cycle with ALTER TABLE where the dialect can.
 *
 * ```ts
 * yield* createTables(executor, dialect, metadata);
 * // CREATE TABLE "organizations" (…); CREATE TABLE "users" (…); CREATE INDEX …
 * ```
 */
export function* createTables(
  executor: DdlExecutor,
  dialect: DdlDialect,
  target: MetaData | readonly Table[],
  options: DdlOptions = {},
): Io<void> {
  const checkfirst = options.checkfirst ?? true;
  const ddl = dialect.ddlCompiler;
  const { tables, deferredForeignKeys } = orderOf(target);
  const deferred = dialect.capabilities.alterAddForeignKey ? deferredForeignKeys : new Set<ForeignKeyConstraint>();
  const toCreate: Table[] = [];
  for (const table of tables) if (!checkfirst || !(yield* tableExists(executor, dialect, table))) toCreate.push(table);

  for (const type of namedTypesOf(dialect, toCreate)) {
    if (checkfirst && (yield* typeExists(executor, type))) continue;
    yield* send(executor, type.create, []);
  }
  if (!hasNamedTypeCatalog(ddl)) for (const table of toCreate) yield* runAll(executor, ddl.createTypes(table));

  for (const table of toCreate) {
    yield* runAll(executor, ddl.createTable(table, deferred));
    yield* runAll(executor, ddl.createIndexes(table));
  }
  for (const table of toCreate) {
    for (const fk of table.foreignKeys) if (deferred.has(fk)) yield* send(executor, ddl.addForeignKey(table, fk), []);
  }
}

/**
 * `metadata.dropAll()`: drops the tables children first. The foreign keys that close a cycle are
 * dropped first (on SQLite, which cannot, their enforcement is deferred to COMMIT instead), so
 * that no drop meets a live reference; named types go after the last table using them.
 *
 * ```ts
 * yield* dropTables(executor, dialect, metadata);
 * // DROP TABLE "users"; DROP TABLE "organizations"
 * ```
 */
export function* dropTables(
  executor: DdlExecutor,
  dialect: DdlDialect,
  target: MetaData | readonly Table[],
  options: DdlOptions = {},
): Io<void> {
  const checkfirst = options.checkfirst ?? true;
  const ddl = dialect.ddlCompiler;
  const { tables, deferredForeignKeys } = orderOf(target);
  const reversed = [...tables].reverse();
  const toDrop: Table[] = [];
  for (const table of reversed) if (!checkfirst || (yield* tableExists(executor, dialect, table))) toDrop.push(table);

  const breakCycles = new Set<string>();
  for (const table of toDrop) {
    for (const fk of table.foreignKeys) if (deferredForeignKeys.has(fk)) breakCycles.add(ddl.dropForeignKey(table, fk));
  }
  yield* runAll(executor, [...breakCycles]);
  for (const table of toDrop) yield* send(executor, ddl.dropTable(table), []);

  if (!hasNamedTypeCatalog(ddl)) {
    for (const table of toDrop) yield* runAll(executor, ddl.dropTypes(table));
    return;
  }
  // A type that another existing table of the same MetaData uses stays.
  const dropped = new Set(toDrop);
  const stillUsed = new Set<string>();
  for (const table of toDrop[0]?.metadata.tables.values() ?? []) {
    if (dropped.has(table)) continue;
    const types = ddl.namedTypes(table);
    if (types.length > 0 && (yield* tableExists(executor, dialect, table))) for (const type of types) stillUsed.add(type.key);
  }
  for (const type of namedTypesOf(dialect, toDrop)) {
    if (stillUsed.has(type.key)) continue;
    if (checkfirst && !(yield* typeExists(executor, type))) continue;
    yield* send(executor, type.drop, []);
  }
}

/** Whether the table exists, by the dialect's catalog query (values always bound). */
export function* tableExists(executor: DdlExecutor, dialect: DdlDialect, table: Table): Io<boolean> {
  const query = dialect.tableExistsQuery(table.name, table.schema);
  const result = yield* send(executor, query.sql, query.params);
  return result.rows.length > 0;
}

function orderOf(target: MetaData | readonly Table[]) {
  if (target instanceof MetaData) return target.creationOrder();
  const metadata = target[0]?.metadata;
  if (metadata === undefined) return { tables: [] as readonly Table[], deferredForeignKeys: new Set<ForeignKeyConstraint>() };
  if (target.some((t) => t.metadata !== metadata)) {
    throw new ArgumentError("createTables/dropTables take tables of one MetaData at a time");
  }
  return metadata.creationOrder(target);
}

function namedTypesOf(dialect: DdlDialect, tables: readonly Table[]): NamedType[] {
  const ddl = dialect.ddlCompiler;
  if (!hasNamedTypeCatalog(ddl)) return [];
  const types = new Map<string, NamedType>();
  for (const table of tables) for (const type of ddl.namedTypes(table)) if (!types.has(type.key)) types.set(type.key, type);
  return [...types.values()];
}

function* typeExists(executor: DdlExecutor, type: NamedType): Io<boolean> {
  const result = yield* send(executor, type.existsQuery.sql, [...type.existsQuery.params]);
  return result.rows.length > 0;
}

function* runAll(executor: DdlExecutor, statements: readonly string[]): Io<void> {
  for (const sql of statements) yield* send(executor, sql, []);
}

/** One statement through `executor`, whichever kind of answer it gives. */
function* send(executor: DdlExecutor, sql: string, params: unknown[]): Io<DdlRows> {
  const outcome = executor.execute(sql, params);
  return isIo(outcome) ? yield* outcome : yield* io(outcome);
}

function isIo(outcome: MaybePromise<DdlRows> | Io<DdlRows>): outcome is Io<DdlRows> {
  return typeof (outcome as Partial<Io<DdlRows>>).next === "function";
}
